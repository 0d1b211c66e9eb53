"""Selects written in Python are, character for character, what Django's templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from matchmaking.web.form_renderer import FormRenderer

CHOICES = [("", "—"), ("se", "Sverige & Norge"), ("es", gettext_lazy("Spain")), (3, '"quoted" <b>')]
GROUPED = [
    ("", "All"),
    ("Sweden", [("SE11", "Stockholm"), ("SE23", "Västsverige")]),
    ("ES", [("ES51", "Cataluña")]),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    marked = forms.ChoiceField(choices=[("a", mark_safe("<em>safe</em>"))], required=False)
    attrs = forms.ChoiceField(
        choices=CHOICES,
        required=True,
        widget=forms.Select(attrs={"aria-describedby": "help", "data-x": 'a"b', "disabled": True}),
    )
    empty = forms.ChoiceField(choices=[], required=False)
    null = forms.TypedChoiceField(choices=[(None, "none"), (1, "one")], required=False)


@pytest.mark.parametrize(
    "data",
    [{}, {"plain": "se", "grouped": "SE23", "many": ["se", "es"], "attrs": "3", "null": "1"},
     {"plain": "<x>", "many": ["3"]}],
)  # fmt: skip
def test_selects_are_written_as_the_templates_write_them(data):
    for name in Everything.base_fields:
        ours = Everything(data or None, renderer=FormRenderer())[name]
        theirs = Everything(data or None, renderer=DjangoTemplates())[name]
        assert str(ours.as_widget()) == str(theirs.as_widget()), name
        assert str(ours.as_field_group()) == str(theirs.as_field_group()), name


def test_a_widget_with_templates_of_its_own_still_uses_them():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    class OwnForm(forms.Form):
        field = forms.ChoiceField(choices=CHOICES, widget=Own)

    ours, theirs = OwnForm(renderer=FormRenderer())["field"], OwnForm(renderer=DjangoTemplates())["field"]
    assert str(ours.as_widget()) == str(theirs.as_widget())
    assert '<input type="select"' in str(ours.as_widget())  # the radio option's template, used

"""Filters of the monitoring pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form, choice_field, term_choices
from matchmaking.mobility.forms import DATE
from matchmaking.monitoring.indicators import definitions
from matchmaking.monitoring.models import Target


class MobilityExportForm(Form):
    """Filters of the per-mobility export: a period, and one organisation (among those allowed)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").choices = [("", _("All you may see")), *organisations]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class QuickSelect(forms.Select):
    """A select whose options are written in Python, not through a template each: the cockpit's
    organisation filter lists every organisation of the network (thousands), and rendering an option
    template per organisation took a third of a second of every page."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # every value and label escaped above
        )


class CockpitForm(Form):
    """The cockpit's filters: a period, places (country, NUTS-2 region, organisation, kind), the type of
    exchange and a target group. Every one is optional; an organisation or region outside what the user
    may see simply finds nothing."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    country = forms.ChoiceField(widget=QuickSelect, label=_("Country"), required=False)
    region = forms.ChoiceField(widget=QuickSelect, label=_("NUTS-2 region"), required=False)
    organisation = forms.ChoiceField(widget=QuickSelect, label=_("Organisation"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    activity_type = forms.ChoiceField(label=_("Type of exchange"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        regions: list[tuple[str, str]],
        countries: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        choice_field(self, "country").choices = [everything, *countries]
        choice_field(self, "region").choices = [everything, *regions]
        choice_field(self, "organisation").choices = [everything, *organisations]
        choice_field(self, "kind").choices = [everything, *term_choices("organisation-kinds")]
        choice_field(self, "activity_type").choices = [everything, *term_choices("opportunity-types")]
        choice_field(self, "target_group").choices = [everything, *term_choices("target-groups")]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class TargetForm(Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Set by"), choices=Target.Source.choices)
    value = forms.DecimalField(
        label=_("Target (%)"), required=False, min_value=0, max_value=100, decimal_places=2,
        help_text=_("Leave empty to remove the target."),
    )  # fmt: skip
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=300,
        help_text=_("The text that sets the target (title, date, reference). Empty: the one recorded stays."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "indicator").choices = [(d.code, d.title) for d in definitions().with_targets()]


class LearnerCountForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.ChoiceField(label=_("NUTS-2 region"), required=False)
    organisation = forms.ChoiceField(label=_("or organisation"), required=False)
    learners = forms.IntegerField(label=_("Learners"), min_value=0)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]], organisations: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region").choices = [("", _("None")), *regions]
        choice_field(self, "organisation").choices = [("", _("None")), *organisations]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("region")) == bool(data.get("organisation")):
            self.add_error("region", _("Choose a region or an organisation."))
        return data


class LearnerImportForm(Form):
    file = forms.FileField(
        label=_("File of learner counts (CSV or XLSX)"),
        help_text=_("Columns: year, region (NUTS-2 code) or organisation (identifier), learners, source."),
    )

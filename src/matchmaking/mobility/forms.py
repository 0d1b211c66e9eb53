"""Forms for offers and requests, their search and their suggestions."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import COMMON_LANGUAGES, Choice, Form, choice_field, term_choices
from matchmaking.mobility.models import ActivityType, Direction, Funding, Opportunity, Support
from matchmaking.organisations.forms import region_filter_choices
from matchmaking.taxonomies.code_lists import terms_of
from matchmaking.taxonomies.models import LANGUAGES_SCHEME

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def language_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in terms_of(LANGUAGES_SCHEME, COMMON_LANGUAGES)]


class OpportunityForm(Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    direction = forms.ChoiceField(
        label=_("Offer or request"), choices=Direction.choices, widget=forms.RadioSelect
    )
    type = forms.ChoiceField(label=_("Type"))
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you can show, or what you want to learn, in a few sentences."),
    )
    topics = forms.MultipleChoiceField(label=_("Practice topics"), widget=forms.CheckboxSelectMultiple)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages for the visit"), widget=forms.CheckboxSelectMultiple
    )
    earliest = forms.DateField(label=_("Earliest date"), required=False, widget=DATE)
    latest = forms.DateField(
        label=_("Latest date"), required=False, widget=DATE,
        help_text=_("The listing expires after this day; you are reminded two weeks before."),
    )  # fmt: skip
    duration_days = forms.IntegerField(label=_("Duration in days"), min_value=1, max_value=366, initial=2)
    group_size = forms.IntegerField(
        label=_("Group size"), min_value=1, max_value=500, initial=2,
        help_text=_(
            "For an offer: how many visitors you can take. For a request: how many of you would travel."
        ),
    )  # fmt: skip
    funding = forms.ChoiceField(label=_("Funding"), required=False, choices=Funding.choices)
    activity_code = forms.ChoiceField(
        label=_("Erasmus+ activity type"), required=False, choices=ActivityType.choices,
        help_text=_("Only for Erasmus+ funded mobility, e.g. SM-JOB-SHDW for job shadowing."),
    )  # fmt: skip
    support_offered = forms.MultipleChoiceField(
        label=_("Accessibility and inclusion support you can give"), required=False,
        choices=Support.choices, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    support_notes = forms.CharField(
        label=_("More about the support"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").choices = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0][0]
        choice_field(self, "type").choices = [("", _("Choose a type")), *term_choices("opportunity-types")]
        choice_field(self, "topics").choices = term_choices("practice-topics")
        choice_field(self, "target_groups").choices = term_choices("target-groups")
        choice_field(self, "languages").choices = language_choices()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("funding") not in (Funding.ERASMUS_KA1, Funding.ERASMUS_KA2) and data.get(
            "activity_code"
        ):
            self.add_error("activity_code", _("An Erasmus+ activity type needs Erasmus+ funding."))
        return data

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data


class OpportunitySearchForm(Form):
    q = forms.CharField(label=_("Keywords"), required=False)
    direction = forms.ChoiceField(label=_("Offer or request"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    topic = forms.ChoiceField(label=_("Practice topic"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region (NUTS 2)"), required=False)
    funding = forms.ChoiceField(label=_("Funding"), required=False)
    support = forms.ChoiceField(label=_("Support offered"), required=False)
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_to = forms.DateField(label=_("Available until"), required=False, widget=DATE)
    mine = forms.BooleanField(label=_("Only my organisation's (all statuses)"), required=False)

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_: list[Choice] = [("", _("Any"))]
        names = {c.alpha_2: c.name for c in pycountry.countries}
        choice_field(self, "direction").choices = [
            *any_,
            (Direction.OFFER, _("Offers")),
            (Direction.REQUEST, _("Requests")),
        ]
        choice_field(self, "type").choices = any_ + term_choices("opportunity-types")
        choice_field(self, "topic").choices = any_ + term_choices("practice-topics")
        choice_field(self, "target_group").choices = any_ + term_choices("target-groups")
        choice_field(self, "language").choices = any_ + language_choices()
        choice_field(self, "country").choices = any_ + [(c, names.get(c, c)) for c in countries]
        choice_field(self, "region").choices = region_filter_choices()
        choice_field(self, "funding").choices = any_ + [c for c in Funding.choices if c[0]]
        choice_field(self, "support").choices = any_ + list(Support.choices)


class SuggestionFilterForm(Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    available_from = forms.DateField(label=_("Free from"), required=False, widget=DATE)
    available_to = forms.DateField(label=_("Free until"), required=False, widget=DATE)

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_: list[Choice] = [("", _("Any"))]
        names = {c.alpha_2: c.name for c in pycountry.countries}
        choice_field(self, "country").choices = any_ + [(c, names.get(c, c)) for c in countries]
        choice_field(self, "kind").choices = any_ + term_choices("organisation-kinds")
        choice_field(self, "type").choices = any_ + term_choices("opportunity-types")
        choice_field(self, "language").choices = any_ + language_choices()


class WhyNotForm(Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Type a few letters of its name or city, then choose it in the list."),
    )


class SavedSearchForm(Form):
    name = forms.CharField(label=_("Name of this search"), max_length=120)
    alerts = forms.BooleanField(label=_("Tell me when a new match appears"), required=False, initial=True)


class StatusForm(Form):
    status = forms.ChoiceField(choices=Opportunity.Status.choices)
    reason = forms.CharField(required=False, max_length=500)

"""Forms for action plans, follow-up, referrals and outcomes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form, choice_field, country_choices
from matchmaking.pathways.models import Offer, Outcome, Referral, Step, SupportService

DATE = forms.DateInput(attrs={"type": "date"})
SCALE = [(str(i), str(i)) for i in range(1, 11)]


class GoalForm(Form):
    title = forms.CharField(label=_("New goal"), max_length=300)


class StepForm(Form):
    goal = forms.ChoiceField(label=_("Goal"))
    title = forms.CharField(label=_("Step"), max_length=300)
    type = forms.ChoiceField(label=_("Type"), choices=Step.Type.choices)
    owner = forms.ChoiceField(label=_("Organisation responsible"))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    agreed_with_participant = forms.BooleanField(label=_("Agreed with the participant"), required=False)

    def __init__(
        self, *args: Any, goals: list[tuple[str, str]], organisations: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "goal").choices = goals
        choice_field(self, "owner").choices = organisations


class MeetingForm(Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentForm(Form):
    recorded_on = forms.DateField(label=_("Date"), widget=DATE)
    motivation = forms.TypedChoiceField(label=_("Motivation (1–10)"), choices=SCALE, coerce=int)
    confidence = forms.TypedChoiceField(label=_("Confidence (1–10)"), choices=SCALE, coerce=int)
    readiness = forms.TypedChoiceField(label=_("Readiness for work (1–10)"), choices=SCALE, coerce=int)
    wellbeing = forms.TypedChoiceField(label=_("Well-being (1–10)"), choices=SCALE, coerce=int)


class ReferralForm(Form):
    service = forms.ChoiceField(label=_("Support service"))
    reason = forms.CharField(
        label=_("What the person needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remind_on = forms.DateField(label=_("Remind me on"), required=False, widget=DATE)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "service").choices = services


class ServiceForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=SupportService.Category.choices)
    country = forms.ChoiceField(label=_("Country"))
    languages = forms.CharField(label=_("Languages (codes, comma-separated)"), required=False, max_length=100)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = country_choices()


class ServiceFilterForm(Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *SupportService.Category.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.CharField(label=_("Language (code)"), required=False, max_length=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = [("", _("Any")), *country_choices()[1:]]


class OfferForm(Form):
    type = forms.ChoiceField(label=_("Type of offer"), choices=Offer.Type.choices)
    offered_on = forms.DateField(label=_("Offered on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OutcomeForm(Form):
    exit_type = forms.ChoiceField(label=_("How the person left"), choices=Outcome.ExitType.choices)
    exit_on = forms.DateField(label=_("Date"), widget=DATE)
    dropped_out = forms.BooleanField(label=_("Dropped out"), required=False)
    drop_out_reasons = forms.MultipleChoiceField(
        label=_("Reasons for dropping out"),
        required=False,
        choices=Outcome.DropOutReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralAnswerForm(Form):
    """The support service's answer to a referral."""

    status = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (needed when refusing)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = statuses


class ReferralInboxFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Referral.Status.choices]
    )

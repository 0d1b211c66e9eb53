"""Forms of one person's placements: the suggestions' filters, the proposal, the host's answer and the
lifecycle steps. They hand plain codes and dates to the services in ``lifecycle.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form
from matchmaking.placements.models import EndReason, LabourMarket, Proposal
from matchmaking.placements.models_lifecycle import Outcome

DATE = forms.DateInput(attrs={"type": "date"})
ANY = [("", _("Any"))]


class SuggestionFilterForm(Form):
    labour_market = forms.ChoiceField(
        label=_("Labour-market type"), choices=ANY + list(LabourMarket.choices), required=False
    )
    country = forms.CharField(
        label=_("Country (two letters)"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    min_fit = forms.IntegerField(label=_("Minimum fit (0–100)"), min_value=0, max_value=100, required=False)

    def clean_country(self) -> str:
        value: str = self.cleaned_data.get("country") or ""
        return value.strip().upper()


class ProposeForm(Form):
    placement = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the host (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoldForm(Form):
    interview_on = forms.DateField(label=_("Interview on"), widget=DATE)


class DecideForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", "—"), *Proposal.DeclineReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the case worker (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartForm(Form):
    started_on = forms.DateField(label=_("Started on"), widget=DATE)


class AttendanceForm(Form):
    noted_on = forms.DateField(label=_("Day"), widget=DATE)
    present = forms.BooleanField(label=_("Present"), required=False, initial=True)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class EndForm(Form):
    how = forms.ChoiceField(
        label=_("How the placement ended"),
        choices=[("completed", _("Completed")), ("early", _("Ended early"))],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("Why it ended early"), choices=[("", "—"), *EndReason.choices], required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    leaves_programme = forms.BooleanField(
        label=_("The person also leaves the programme on this date (follow-up checks are scheduled)"),
        required=False,
    )

    def service_args(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "ended_on": d["ended_on"],
            "early": d["how"] == "early",
            "reason": d.get("reason") or "",
            "outcome": d["outcome"],
            "leaves_programme": bool(d.get("leaves_programme")),
        }

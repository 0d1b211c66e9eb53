"""Forms for placements, imports and allocation rounds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form, choice_field, country_choices
from matchmaking.participants.models import SupportRequirement
from matchmaking.placements.models import (
    DEFAULT_MIN_FIT,
    LabourMarket,
    PlacementKind,
    Proposal,
    Round,
    Scheme,
)

DATE = forms.DateInput(attrs={"type": "date"})


class PlacementForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occupation = forms.CharField(
        label=_("Occupation (ESCO)"),
        max_length=300,
        required=False,
        help_text=_("Type the occupation, e.g. kitchen assistant; the closest ESCO occupation is stored."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required_skills = forms.CharField(
        label=_("Required skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, in your words or as ESCO URIs; each is matched to the closest ESCO skill."
        ),
    )
    desired_skills = forms.CharField(
        label=_("Desired skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nice to have; one per line."),
    )
    language = forms.CharField(label=_("Language needed (code)"), max_length=3, required=False)
    language_level = forms.ChoiceField(
        label=_("Level needed (CEFR)"),
        required=False,
        choices=[
            ("", "–"),
            ("A1", "A1"),
            ("A2", "A2"),
            ("B1", "B1"),
            ("B2", "B2"),
            ("C1", "C1"),
            ("C2", "C2"),
        ],
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000, initial=1)
    start = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    end = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    labour_market = forms.ChoiceField(label=_("Labour market"), choices=LabourMarket.choices)
    kind = forms.ChoiceField(label=_("Type of placement"), choices=PlacementKind.choices)
    scheme = forms.ChoiceField(label=_("Programme"), choices=Scheme.choices, required=False)
    support_offered = forms.MultipleChoiceField(
        label=_("Support offered"),
        required=False,
        choices=SupportRequirement.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = country_choices()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("language") and not data.get("language_level"):
            self.add_error("language_level", _("Give the level needed."))
        return data


class ImportForm(Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("participants", _("Participants")), ("placements", _("Placements"))],
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("All rows are imported, or none: every bad row is named.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s bytes."), params={"limit": f"{limit:,}"}
            )
        return upload


class RoundForm(Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=Round.Method.choices, widget=forms.RadioSelect)
    floor = forms.IntegerField(
        label=_("Fewer-opportunities floor"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_(
            "Optimal method only: place at least this many people flagged 'fewer opportunities' "
            "(positive action)."
        ),
    )
    min_fit = forms.IntegerField(
        label=_("Minimum fit"),
        min_value=0,
        max_value=100,
        initial=DEFAULT_MIN_FIT,
        required=False,
        help_text=format_lazy(
            _(
                "Nobody is proposed for a placement they fit less than this (0–100; default {default}). "
                "People with no placement at or above it are listed as 'no suitable placement' with "
                "their skill gaps."
            ),
            default=DEFAULT_MIN_FIT,
        ),
    )
    participants = forms.MultipleChoiceField(label=_("Participants"), widget=forms.CheckboxSelectMultiple)
    placements = forms.MultipleChoiceField(label=_("Placements"), widget=forms.CheckboxSelectMultiple)

    def __init__(
        self,
        *args: Any,
        participants: list[tuple[str, str]],
        placements: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "participants").choices = participants
        choice_field(self, "placements").choices = placements


class OverrideForm(Form):
    """The reviewer's choice: one of the person's best placements (shown with their fit), or any
    placement of the round by its identifier, or none."""

    placement = forms.ChoiceField(label=_("Placement"), required=False)
    placement_key = forms.CharField(
        label=_("Or a placement of the round, by its identifier"), required=False, max_length=100
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000)

    def __init__(self, *args: Any, placements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "placement").choices = [("", _("No placement")), *placements]


class DecideForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"), required=False, choices=[("", "–"), *Proposal.DeclineReason.choices]
    )
    note = forms.CharField(label=_("Note to the case worker"), required=False, max_length=2000)


class ContestForm(Form):
    reason = forms.CharField(
        label=_("Why the proposal should change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AnswerForm(Form):
    upheld = forms.ChoiceField(
        label=_("Outcome"), choices=[("no", _("Not upheld")), ("yes", _("Upheld"))], widget=forms.RadioSelect
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class PlacementFilterForm(Form):
    q = forms.CharField(label=_("Keywords"), required=False, max_length=100)
    labour_market = forms.ChoiceField(
        label=_("Labour market"), required=False, choices=[("", _("Any")), *LabourMarket.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = [("", _("Any")), *country_choices()[1:]]

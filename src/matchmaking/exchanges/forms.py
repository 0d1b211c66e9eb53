"""Forms of exchanges: proposal, answer, dates, visitors, programme items, report, quotes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.counterparts import HOST, VISIT
from matchmaking.exchanges.models import (
    CompletionReport,
    Exchange,
    Feedback,
    FollowUp,
    ProgrammeItem,
    Visitor,
)
from matchmaking.forms import Form, choice_field
from matchmaking.mobility.forms import DATE
from matchmaking.mobility.models import ActivityType, Funding, Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProposalForm(Form):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Introduce yourselves: who would travel, what you hope to learn or show."),
    )
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    group_size = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=500)
    funding = forms.ChoiceField(label=_("Funding"), required=False, choices=Funding.choices)
    activity_code = forms.ChoiceField(
        label=_("Erasmus+ activity type"), required=False, choices=ActivityType.choices
    )
    blended = forms.BooleanField(
        label=_("Blended mobility: the visit has a virtual component"), required=False,
        help_text=_("Online work before, during or after the visit."),
    )  # fmt: skip


class CounterpartForm(Form):
    """Which of our listings answers theirs in the role the proposer chose, or a new one made with the
    proposal (``NEW``): for which organisation, of which kind, in a few words."""

    NEW = "new"

    role = forms.ChoiceField(choices=[(VISIT, _("We want to visit")), (HOST, _("We want to host"))])
    ours = forms.ChoiceField(label=_("Answer with"), widget=forms.RadioSelect)
    organisation = forms.ChoiceField(label=_("New listing for"), required=False)
    type = forms.ChoiceField(label=_("Kind of the new listing"), required=False)
    description = forms.CharField(
        label=_("The new listing in a few words"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Without it, your message describes the new listing."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        role: str,
        listings: list[Opportunity],
        organisations: list[Organisation],
        types: list[Term],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].widget = forms.HiddenInput()
        self.fields["role"].initial = role
        new = (
            _("A new request, created with this proposal")
            if role == VISIT
            else _("A new offer, created with this proposal")
        )
        choice_field(self, "ours").choices = [
            *((o.key, listing_label(o, several=len(organisations) > 1)) for o in listings),
            (self.NEW, new),
        ]
        self.fields["ours"].initial = listings[0].key if listings else self.NEW
        choice_field(self, "organisation").choices = [(o.key, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["organisation"].initial = organisations[0].key if organisations else ""
        choice_field(self, "type").choices = [(t.code, t.label) for t in types]
        self.fields["type"].initial = types[0].code if types else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ours") == self.NEW and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the new listing is for."))
        return data


def listing_label(opportunity: Opportunity, *, several: bool) -> str:
    """One of our listings, for the choice: its kind, its dates, its organisation when we have several."""
    label = str(opportunity.type.label)
    if opportunity.earliest and opportunity.latest:
        label += (
            f", {date_format(opportunity.earliest, 'j M Y')} – {date_format(opportunity.latest, 'j M Y')}"
        )
    if opportunity.description:
        label += f": {Truncator(opportunity.description).chars(80)}"
    return f"{opportunity.organisation.name} – {label}" if several else label


class SendDraftForm(Form):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("It goes with the proposal: who would travel, what you hope to learn or show."),
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class FlagsForm(Form):
    """The Erasmus+ reporting flags of an exchange's mobilities."""

    green_travel = forms.BooleanField(
        label=_("Green travel"), required=False, help_text=Exchange._meta.get_field("green_travel").help_text
    )
    blended = forms.BooleanField(
        label=_("Blended mobility"), required=False, help_text=Exchange._meta.get_field("blended").help_text
    )
    force_majeure = forms.BooleanField(
        label=_("Force majeure"),
        required=False,
        help_text=Exchange._meta.get_field("force_majeure").help_text,
    )


class DatesForm(Form):
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    group_size = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=500)


class VisitorForm(forms.ModelForm):
    class Meta:
        model = Visitor
        fields = [
            "name",
            "email",
            "role",
            "learning_goals",
            "kind",
            "accompanying",
            "fewer_opportunities",
            "start",
            "end",
        ]
        widgets = {"learning_goals": forms.Textarea(attrs={"rows": 3}), "start": DATE, "end": DATE}
        help_texts = {
            "learning_goals": _(
                "What this person wants to see or learn; the host tailors their agenda to it."
            ),
            "fewer_opportunities": _(
                "For Erasmus+ reporting and the partnership's monitoring only; never shown to the host "
                "and never used for matching. Reasons are not recorded here."
            ),
            "start": _("Leave empty if the same as the exchange."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProgrammeItemForm(forms.ModelForm):
    class Meta:
        model = ProgrammeItem
        fields = [
            "day",
            "starts_at",
            "ends_at",
            "activity",
            "format",
            "host_person",
            "location",
            "notes",
            "visitors",
        ]
        widgets = {
            "day": DATE,
            "starts_at": TIME,
            "ends_at": TIME,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "visitors": forms.CheckboxSelectMultiple,
        }
        help_texts = {"visitors": _("Leave all unticked for an item for the whole group.")}

    def __init__(self, *args: Any, exchange: Exchange, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        visitors = self.fields["visitors"]
        assert isinstance(visitors, forms.ModelMultipleChoiceField)
        visitors.queryset = exchange.visitors.all()
        visitors.required = False

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["visitors"] = [v.pk for v in data.get("visitors") or []]
        return data


class ReportForm(forms.ModelForm):
    class Meta:
        model = CompletionReport
        fields = ["summary", "outcomes", "host_lessons", "visitor_lessons", "follow_up_actions"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FeedbackForm(Form):
    feedback = forms.ChoiceField(
        label=_("How did the visit go?"), required=False, choices=[("", "–"), *Feedback.choices]
    )
    follow_up = forms.ChoiceField(
        label=_("Six months later: did cooperation follow?"),
        required=False,
        choices=[("", "–"), *FollowUp.choices],
    )


class TestimonialForm(Form):
    author_name = forms.CharField(label=_("Name of the person quoted"), max_length=150)
    side = forms.ChoiceField(label=_("Organisation"))
    text = forms.CharField(label=_("Quote"), widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(
        label=_("The person agrees that this quote is published with their name"), required=False
    )

    def __init__(self, *args: Any, exchange: Exchange, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "side").choices = [
            (exchange.visitor_id, exchange.visitor.name),
            (exchange.host_id, exchange.host.name),
        ]

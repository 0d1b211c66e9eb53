"""Forms of exchanges: proposal, answer, dates, visitors, programme items, report, quotes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
from matchmaking.mobility.models import ActivityType, Funding

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

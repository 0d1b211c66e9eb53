"""Forms of events: the event, sessions, tables, registration, availability, requests, feedback and
the proposal made from a meeting. They validate input and hand plain values to the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.events.models import FollowUpAnswer, NextStep, Priority, Slot
from matchmaking.events.services import EventData
from matchmaking.events.services_registration import DelegateData
from matchmaking.forms import Form, choice_field, country_choices, term_choices
from matchmaking.mobility.forms import DATE
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Europe/Brussels")
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    slot_minutes = forms.IntegerField(
        label=_("Meeting length in minutes"), min_value=1, max_value=240, initial=20
    )
    break_minutes = forms.IntegerField(
        label=_("Break between meetings in minutes"), min_value=0, max_value=120, initial=5
    )
    max_open_requests = forms.IntegerField(
        label=_("Most unanswered requests per organisation"), min_value=0, max_value=1000, initial=10
    )
    min_meetings = forms.IntegerField(
        label=_("Fewest meetings per organisation"), min_value=0, max_value=1000, initial=0
    )
    max_meetings = forms.IntegerField(
        label=_("Most meetings per organisation"), min_value=0, max_value=1000, initial=12
    )
    newcomer_min_meetings = forms.IntegerField(
        label=_("Meetings guaranteed to a newcomer"),
        min_value=0,
        max_value=1000,
        initial=2,
        help_text=_("An organisation at its first event gets at least this many meetings when possible."),
    )
    must_meet_mandatory = forms.BooleanField(
        label=_("Accepted must-meet requests are always scheduled"), required=False, initial=True
    )

    def __init__(self, *args: Any, organisers: list[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields = {
                "organiser": forms.ChoiceField(
                    label=_("Organised by"), choices=[(str(o.pk), o.name) for o in organisers]
                ),
                **self.fields,
            }

    def data_for_service(self) -> EventData:
        data = {k: v for k, v in self.cleaned_data.items() if k != "organiser"}
        return EventData(**data)


class SessionForm(Form):
    name = forms.CharField(label=_("Session name"), max_length=100, initial=_("Morning"))
    day = forms.DateField(label=_("Day"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("To"), widget=TIME)


class TableForm(Form):
    name = forms.CharField(label=_("Table or room"), max_length=100)
    capacity = forms.IntegerField(label=_("Seats"), min_value=2, max_value=100, initial=4)
    accessible = forms.BooleanField(label=_("Accessible (step-free) meeting point"), required=False)


def parse_delegates(text: str) -> list[DelegateData]:
    """One delegate a line: name, email, role (email and role optional)."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if not parts or not parts[0]:
            continue
        out.append(
            DelegateData(name=parts[0], email=parts[1] if len(parts) > 1 else "", role=", ".join(parts[2:]))
        )
    return out


class RegistrationForm(Form):
    offer_text = forms.CharField(
        label=_("What we offer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    seek_text = forms.CharField(
        label=_("What we seek"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages we can meet in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    listings = forms.MultipleChoiceField(
        label=_("Our offers and requests to show"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation] | None = None,
        listings: Sequence[Opportunity] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            extra = {
                "organisation": forms.ChoiceField(
                    label=_("Organisation"), choices=[(str(o.pk), o.name) for o in organisations]
                ),
                "delegates": forms.CharField(
                    label=_("Delegates"),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("One person a line: name, email, role. Email and role may be left out."),
                ),
            }
            self.fields = {**extra, **self.fields}
        choice_field(self, "languages").choices = term_choices("languages")
        choice_field(self, "listings").choices = [
            (str(o.pk), f"{o.get_direction_display()}: {o.type.label} ({o.organisation.name})")
            for o in listings
        ]


class DelegateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.CharField(label=_("Role or job title"), required=False, max_length=200)
    needs_accessible = forms.BooleanField(
        label=_("Needs an accessible (step-free) meeting point"), required=False
    )

    def data(self) -> DelegateData:  # type: ignore[override]
        return DelegateData(**self.cleaned_data)


class AvailabilityForm(Form):
    slots = forms.MultipleChoiceField(
        label=_("Slots in which we are free"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, slots: list[Slot], zone: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "slots").choices = [
            (
                str(s.pk),
                f"{s.session.name} {s.starts_at.astimezone(zone):%a %d %b %H:%M}"
                f"–{s.ends_at.astimezone(zone):%H:%M}",
            )
            for s in slots
        ]


class BlockedSlotsForm(AvailabilityForm):
    slots = forms.MultipleChoiceField(
        label=_("Slots in which this person cannot meet"), required=False, widget=forms.CheckboxSelectMultiple
    )


class RequestForm(Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(
        label=_("How much do you want this meeting?"), choices=Priority.choices, initial=Priority.WOULD_LIKE
    )
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Priority.MUST, _("Accept: must meet")),
            (Priority.WOULD_LIKE, _("Accept: would like to meet")),
            ("decline", _("No thanks")),
        ],
    )


class FeedbackForm(Form):
    took_place = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
    )
    useful = forms.TypedChoiceField(
        label=_("How useful was it (1 to 5)?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 6)],
    )
    next_step = forms.ChoiceField(
        label=_("Next step"), required=False, choices=[("", "—"), *NextStep.choices]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(Form):
    follow_up = forms.ChoiceField(label=_("What came of it?"), choices=FollowUpAnswer.choices)


class ProposalForm(Form):
    role = forms.ChoiceField(
        label=_("Your organisation"), choices=[("host", _("hosts the visit")), ("visitor", _("visits them"))]
    )
    ours = forms.ChoiceField(label=_("From your offer or request"), required=False)
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    group_size = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=500)
    message = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, listings: Sequence[Opportunity] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "ours").choices = [("", "—")] + [
            (str(o.pk), f"{o.get_direction_display()}: {o.type.label}") for o in listings
        ]


class ParticipantFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = [("", _("Any")), *country_choices()[1:]]
        choice_field(self, "kind").choices = [("", _("Any")), *term_choices("organisation-kinds")]
        choice_field(self, "language").choices = [("", _("Any")), *term_choices("languages")]


class PlaceForm(Form):
    slot = forms.ChoiceField(label=_("Slot"), required=False)
    table = forms.ChoiceField(label=_("Table or room"), required=False)

    def __init__(
        self, *args: Any, slots: Sequence[Slot], tables: Sequence[Any], zone: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "slot").choices = [("", _("No slot: let the scheduler place it"))] + [
            (str(s.pk), f"{s.starts_at.astimezone(zone):%a %d %b %H:%M}") for s in slots
        ]
        choice_field(self, "table").choices = [("", "—")] + [
            (str(t.pk), f"{t.name} ({t.capacity})" + (f", {_('accessible')}" if t.accessible else ""))
            for t in tables
        ]

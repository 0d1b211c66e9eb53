"""Write paths of the day and after: agendas opened, check-in and no-shows, feedback on each meeting,
a meeting turned into an exchange proposal, and the six-month "what came of it?" answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.events.access import can_act_for_registration, can_manage_event
from matchmaking.events.models import (
    Delegate,
    Event,
    EventState,
    FollowUpAnswer,
    Meeting,
    MeetingFeedback,
    NextStep,
    Registration,
)
from matchmaking.events.services import event_today
from matchmaking.exchanges.models import Exchange
from matchmaking.exchanges.services import exchange_propose, proposal_defaults
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.models import Membership
from matchmaking.permissions.roles import AnyUser, signed_in

DAY_STATES = (EventState.SCHEDULED, EventState.HELD)
AFTER_STATES = (EventState.HELD, EventState.CLOSED)
HOST, VISITOR = "host", "visitor"


def agenda_opened(*, delegate: Delegate, now: datetime | None = None) -> None:
    """Remember that a delegate opened the agenda (for the nudge to those who have not)."""
    if delegate.agenda_opened_at is None:
        Delegate.objects.filter(pk=delegate.pk, agenda_opened_at__isnull=True).update(
            agenda_opened_at=now or timezone.now()
        )


def _on_the_day(event: Event, now: datetime | None) -> None:
    if event.state not in DAY_STATES:
        raise ValidationError({"state": _("Check-in is for a scheduled event on its day.")})
    if event_today(event, now) < event.start:
        raise ValidationError(
            {
                "checked_in": _("Check-in opens on the event's first day, %(date)s.")
                % {"date": date_format(event.start)}
            }
        )


@transaction.atomic
def delegate_check_in(
    *, actor: AnyUser, delegate: Delegate, present: bool = True, now: datetime | None = None
) -> Delegate:
    event = delegate.registration.event
    if not can_manage_event(actor, event):
        raise PermissionDenied
    _on_the_day(event, now)
    before = delegate.checked_in_at
    delegate.checked_in_at = (now or timezone.now()) if present else None
    delegate.save(update_fields=["checked_in_at"])
    audit_record(
        actor=actor,
        action="event.check-in",
        obj=delegate.registration,
        before={"delegate": delegate.pk, "checked_in": before is not None},
        after={"delegate": delegate.pk, "checked_in": present},
        organisation_id=event.organiser_id,
    )
    return delegate


@transaction.atomic
def meeting_mark(
    *,
    actor: AnyUser,
    meeting: Meeting,
    held: bool,
    no_show: Registration | None = None,
    now: datetime | None = None,
) -> Meeting:
    """The organiser marks a meeting held, or not held because one side did not come."""
    event = meeting.event
    if not can_manage_event(actor, event):
        raise PermissionDenied
    _on_the_day(event, now)
    if no_show is not None and no_show.pk not in (meeting.first_id, meeting.second_id):
        raise ValidationError(
            {"no_show": _("Only one of the two organisations of the meeting can be missing.")}
        )
    if held and no_show is not None:
        raise ValidationError({"no_show": _("A meeting that took place has nobody missing.")})
    before = {"held": meeting.held, "no_show": meeting.no_show_id}
    meeting.held, meeting.no_show = held, no_show
    meeting.save(update_fields=["held", "no_show"])
    audit_record(
        actor=actor,
        action="event.meeting-marked",
        obj=meeting,
        before=before,
        after={"held": held, "no_show": no_show.pk if no_show else None},
        organisation_id=event.organiser_id,
    )
    return meeting


def _side(meeting: Meeting, registration: Registration) -> None:
    if registration.pk not in (meeting.first_id, meeting.second_id):
        raise PermissionDenied


@transaction.atomic
def feedback_save(
    *,
    actor: AnyUser,
    meeting: Meeting,
    registration: Registration,
    took_place: bool,
    useful: int | None = None,
    next_step: str = "",
    comment: str = "",
) -> MeetingFeedback:
    """One side's word on a meeting, once the event has been held."""
    _side(meeting, registration)
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    if meeting.event.state not in AFTER_STATES:
        raise ValidationError({"took_place": _("Feedback opens once the event has been held.")})
    if useful is not None and not 1 <= useful <= 5:
        raise ValidationError({"useful": _("Give a mark from 1 to 5.")})
    if next_step and next_step not in NextStep.values:
        raise ValidationError({"next_step": _("Choose one of the next steps.")})
    found, _created = MeetingFeedback.objects.get_or_create(meeting=meeting, registration=registration)
    before = {"took_place": found.took_place, "useful": found.useful, "next_step": found.next_step}
    found.took_place, found.useful, found.next_step = took_place, useful if took_place else None, next_step
    found.comment, found.author = comment.strip(), signed_in(actor)
    found.save()
    audit_record(
        actor=actor,
        action="event.feedback",
        obj=meeting,
        before=before,
        after={"took_place": took_place, "useful": found.useful, "next_step": next_step},
        organisation_id=registration.organisation_id,
    )
    return found


@transaction.atomic
def follow_up_save(
    *, actor: AnyUser, meeting: Meeting, registration: Registration, answer: str, now: datetime | None = None
) -> MeetingFeedback:
    """Six months after the event: what came of the meeting? Never asked before that date."""
    _side(meeting, registration)
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    opens = meeting.event.follow_up_opens
    if event_today(meeting.event, now) < opens:
        raise ValidationError(
            {
                "follow_up": _("This question opens six months after the event, on %(date)s.")
                % {"date": date_format(opens)}
            }
        )
    if answer not in FollowUpAnswer.values:
        raise ValidationError({"follow_up": _("Choose one of the answers.")})
    found, _created = MeetingFeedback.objects.get_or_create(meeting=meeting, registration=registration)
    before = found.follow_up
    found.follow_up, found.follow_up_at, found.author = answer, now or timezone.now(), signed_in(actor)
    found.save()
    audit_record(
        actor=actor,
        action="event.follow-up",
        obj=meeting,
        before={"follow_up": before},
        after={"follow_up": answer},
        organisation_id=registration.organisation_id,
    )
    return found


@transaction.atomic
def events_prompt_follow_up(*, now: datetime) -> int:
    """Six months after an event, ask every delegation (once) what came of its meetings."""
    count = 0
    for event in Event.objects.filter(
        state__in=AFTER_STATES, follow_up_prompted_at__isnull=True, end__lte=now.date() - timedelta(days=183)
    ):
        if event_today(event, now) < event.follow_up_opens:
            continue
        orgs = list(
            Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).values_list(
                "organisation_id", flat=True
            )
        )
        notify(
            memberships=Membership.objects.filter(organisation_id__in=orgs).select_related("user"),
            kind="event.follow-up",
            params={"event": event.title, "start": event.start, "end": event.end},
            url=event.get_absolute_url(),
        )
        Event.objects.filter(pk=event.pk).update(follow_up_prompted_at=now)
        count += 1
    return count


# --- From a meeting to an exchange proposal ----------------------------------------------------------


@dataclass(frozen=True)
class ProposalDraft:
    """What the proposal form is pre-filled with."""

    role: str
    ours: Opportunity | None
    theirs: Opportunity | None
    start: date
    end: date
    group_size: int
    message: str
    choices: list[Opportunity]


def _listing_for(registration: Registration, role: str) -> list[Opportunity]:
    """Our open listings that make us host (offers) or visitor (requests), the registration's first."""
    direction_q = {"direction": Direction.OFFER} if role == HOST else {"direction": Direction.REQUEST}
    linked = set(registration.listings.values_list("pk", flat=True))
    found = list(
        Opportunity.objects.filter(
            organisation_id=registration.organisation_id, status=Opportunity.Status.OPEN, **direction_q
        ).select_related("type", "organisation")
    )
    return sorted(found, key=lambda o: (o.pk not in linked, o.pk))


def proposal_draft(*, meeting: Meeting, registration: Registration, role: str = "") -> ProposalDraft:
    """The proposal pre-filled from a meeting: both organisations, topics and dates."""
    _side(meeting, registration)
    other = meeting.other(registration.pk)
    if role not in (HOST, VISITOR):
        role = HOST if _listing_for(registration, HOST) else VISITOR
    choices = _listing_for(registration, role)
    ours = choices[0] if choices else None
    theirs = next(iter(_listing_for(other, VISITOR if role == HOST else HOST)), None)
    defaults: dict[str, Any] = (
        proposal_defaults(ours, theirs)
        if ours is not None
        else {
            "start": timezone.localdate() + timedelta(days=30),
            "end": timezone.localdate() + timedelta(days=32),
            "group_size": 1,
        }
    )
    topics = sorted({t.label for o in (ours, theirs) if o is not None for t in o.topics.all()})
    message = _("Following our meeting at %(event)s, we would like to plan an exchange.") % {
        "event": meeting.event.title
    }
    if topics:
        message += " " + _("Topics: %(topics)s.") % {"topics": ", ".join(topics)}
    return ProposalDraft(
        role=role,
        ours=ours,
        theirs=theirs,
        start=defaults["start"],
        end=defaults["end"],
        group_size=defaults["group_size"],
        message=message,
        choices=choices,
    )


@transaction.atomic
def meeting_to_exchange(
    *,
    actor: AnyUser,
    meeting: Meeting,
    registration: Registration,
    role: str,
    ours: Opportunity | None,
    start: date,
    end: date,
    group_size: int,
    message: str,
) -> Exchange:
    """Turn a meeting into an exchange proposal: ``registration``'s organisation is the ``role``
    (host or visitor), the other organisation of the meeting the other side."""
    _side(meeting, registration)
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.event.state not in AFTER_STATES:
        raise ValidationError({"role": _("A meeting becomes an exchange once the event has been held.")})
    if locked.exchange_id is not None:
        raise ValidationError({"role": _("This meeting has already become an exchange proposal.")})
    if role not in (HOST, VISITOR):
        raise ValidationError({"role": _("Say whether you host or visit.")})
    if ours is None:
        raise ValidationError(
            {
                "ours": _(
                    "Post an offer (to host) or a request (to visit) first; the proposal is made from it."
                )
            }
        )
    if ours.organisation_id != registration.organisation_id:
        raise ValidationError({"ours": _("Only your own offers and requests can be used.")})
    if (ours.direction == Direction.OFFER) != (role == HOST):
        raise ValidationError(
            {"ours": _("To host, choose one of your offers; to visit, one of your requests.")}
        )
    other = meeting.other(registration.pk)
    theirs = next(iter(_listing_for(other, VISITOR if role == HOST else HOST)), None)
    exchange = exchange_propose(
        actor=actor,
        ours=ours,
        other=other.organisation,
        theirs=theirs,
        message=message,
        start=start,
        end=end,
        group_size=group_size,
    )
    expected_host = registration.organisation_id if role == HOST else other.organisation_id
    if exchange.host_id != expected_host:  # exchange_propose decides host and visitor from the listing
        raise ValidationError({"role": _("The proposal would not have the host you chose.")})
    locked.exchange = exchange
    locked.save(update_fields=["exchange"])
    audit_record(
        actor=actor,
        action="event.meeting-to-exchange",
        obj=locked,
        after={"exchange": exchange.pk, "role": role},
        organisation_id=registration.organisation_id,
    )
    return exchange

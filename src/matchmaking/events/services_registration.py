"""Write paths of registrations and meeting requests: register a delegation, its delegates and its
availability; ask for a meeting (must meet / would like / no thanks), answer, withdraw; remind those
who leave requests unanswered or have not said when they are free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.events.access import can_act_for_registration, can_manage_event, can_register
from matchmaking.events.models import (
    Delegate,
    Event,
    EventState,
    Meeting,
    MeetingRequest,
    Priority,
    Registration,
    Slot,
)
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.permissions.roles import AnyUser, signed_in
from matchmaking.taxonomies.models import Term

REGISTRATION_STATES = (EventState.REGISTRATION_OPEN, EventState.REQUESTS_OPEN)
AVAILABILITY_STATES = (EventState.REGISTRATION_OPEN, EventState.REQUESTS_OPEN, EventState.SCHEDULED)
# A request unanswered for this long is reminded (once per period).
REMIND_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class DelegateData:
    name: str
    email: str = ""
    role: str = ""
    needs_accessible: bool = False
    user: User | None = None


def _open_registration(event: Event) -> None:
    if event.state not in REGISTRATION_STATES:
        raise ValidationError(
            {
                "organisation": _("Registration is not open (the event is “%(state)s”).")
                % {"state": event.get_state_display()}
            }
        )


def _check_delegates(delegates: Iterable[DelegateData]) -> list[DelegateData]:
    people = [d for d in delegates if d.name.strip()]
    if not people:
        raise ValidationError({"delegates": _("Name at least one delegate.")})
    return people


def _listings(organisation: Organisation, listings: Iterable[Opportunity]) -> list[Opportunity]:
    chosen = list(listings)
    for opp in chosen:
        if opp.organisation_id != organisation.pk:
            raise ValidationError({"listings": _("Only your own offers and requests can be linked.")})
    return chosen


def _languages(codes: Iterable[str]) -> list[Term]:
    wanted = sorted(set(codes))
    found = list(Term.objects.filter(scheme="languages", code__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {t.code for t in found})
        raise ValidationError(
            {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    return found


@transaction.atomic
def registration_create(
    *,
    actor: AnyUser,
    event: Event,
    organisation: Organisation,
    delegates: list[DelegateData],
    offer_text: str = "",
    seek_text: str = "",
    languages: Iterable[str] = (),
    listings: Iterable[Opportunity] = (),
) -> Registration:
    """Register ``organisation`` with its delegation; the organisation's first event makes it a newcomer."""
    if not can_register(actor, event, organisation.pk):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _open_registration(locked)
    if Registration.objects.filter(event=locked, organisation=organisation).exists():
        raise ValidationError({"organisation": _("%(org)s is already registered.") % {"org": organisation}})
    people = _check_delegates(delegates)
    chosen = _listings(organisation, listings)
    terms = _languages(languages) or list(organisation.languages.all())
    newcomer = not Registration.objects.filter(organisation=organisation).exclude(event=locked).exists()
    registration = Registration.objects.create(
        event=locked,
        organisation=organisation,
        offer_text=offer_text.strip(),
        seek_text=seek_text.strip(),
        newcomer=newcomer,
        registered_by=signed_in(actor),
    )
    registration.languages.set(terms)
    registration.listings.set(chosen)
    Delegate.objects.bulk_create(
        Delegate(
            registration=registration,
            name=d.name.strip(),
            email=d.email.strip(),
            role=d.role.strip(),
            needs_accessible=d.needs_accessible,
            user=d.user,
        )
        for d in people
    )
    audit_record(
        actor=actor,
        action="event.registered",
        obj=registration,
        after={"event": locked.pk, "organisation": organisation.key, "delegates": len(people)},
        organisation_id=organisation.pk,
    )
    notify(
        memberships=Membership.objects.filter(organisation_id=locked.organiser_id).select_related("user"),
        kind="event.registered",
        params={"org": organisation.name, "event": locked.title, "start": locked.start, "end": locked.end},
        url=locked.get_absolute_url(),
    )
    return registration


@transaction.atomic
def registration_update(
    *,
    actor: AnyUser,
    registration: Registration,
    offer_text: str,
    seek_text: str,
    languages: Iterable[str],
    listings: Iterable[Opportunity],
) -> Registration:
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    if registration.event.state in (EventState.HELD, EventState.CLOSED):
        raise ValidationError({"offer_text": _("The event has taken place; the registration is closed.")})
    before = {"offer_text": registration.offer_text, "seek_text": registration.seek_text}
    registration.offer_text, registration.seek_text = offer_text.strip(), seek_text.strip()
    registration.save(update_fields=["offer_text", "seek_text"])
    registration.languages.set(_languages(languages))
    registration.listings.set(_listings(registration.organisation, listings))
    audit_record(
        actor=actor,
        action="event.registration-updated",
        obj=registration,
        before=before,
        after={"offer_text": registration.offer_text, "seek_text": registration.seek_text},
        organisation_id=registration.organisation_id,
    )
    return registration


@transaction.atomic
def delegate_add(*, actor: AnyUser, registration: Registration, data: DelegateData) -> Delegate:
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    if registration.event.state in (EventState.HELD, EventState.CLOSED):
        raise ValidationError({"name": _("The event has taken place; the delegation is closed.")})
    if not data.name.strip():
        raise ValidationError({"name": _("Give the delegate's name.")})
    delegate = Delegate.objects.create(
        registration=registration,
        name=data.name.strip(),
        email=data.email.strip(),
        role=data.role.strip(),
        needs_accessible=data.needs_accessible,
        user=data.user,
    )
    audit_record(
        actor=actor,
        action="event.delegate-added",
        obj=registration,
        after={"delegate": delegate.pk},
        organisation_id=registration.organisation_id,
    )
    return delegate


@transaction.atomic
def delegate_remove(*, actor: AnyUser, delegate: Delegate) -> None:
    registration = delegate.registration
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    if registration.delegates.count() <= 1:
        raise ValidationError({"delegates": _("A delegation keeps at least one delegate.")})
    pk = delegate.pk
    delegate.delete()
    audit_record(
        actor=actor,
        action="event.delegate-removed",
        obj=registration,
        before={"delegate": pk},
        organisation_id=registration.organisation_id,
    )


@transaction.atomic
def availability_set(*, actor: AnyUser, registration: Registration, slots: Iterable[Slot]) -> Registration:
    """The slots in which the delegation is free to meet."""
    if not can_act_for_registration(actor, registration):
        raise PermissionDenied
    event = registration.event
    if event.state not in AVAILABILITY_STATES:
        raise ValidationError(
            {
                "slots": _("Availability can no longer change (the event is “%(state)s”).")
                % {"state": event.get_state_display()}
            }
        )
    chosen = list(slots)
    if any(s.event_id != event.pk for s in chosen):
        raise ValidationError({"slots": _("That slot belongs to another event.")})
    if not chosen:
        raise ValidationError({"slots": _("Tick at least one slot in which you are free.")})
    before = sorted(registration.available_slots.values_list("index", flat=True))
    registration.available_slots.set(chosen)
    registration.availability_set_at = timezone.now()
    registration.save(update_fields=["availability_set_at"])
    audit_record(
        actor=actor,
        action="event.availability",
        obj=registration,
        before={"slots": before},
        after={"slots": sorted(s.index for s in chosen)},
        organisation_id=registration.organisation_id,
    )
    return registration


@transaction.atomic
def registration_withdraw(*, actor: AnyUser, registration: Registration) -> Registration:
    if not (can_act_for_registration(actor, registration) or can_manage_event(actor, registration.event)):
        raise PermissionDenied
    if registration.event.state in (EventState.HELD, EventState.CLOSED):
        raise ValidationError({"status": _("The event has taken place; the registration stays.")})
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status"])
    MeetingRequest.objects.filter(requester=registration, status=MeetingRequest.Status.PENDING).update(
        status=MeetingRequest.Status.CANCELLED
    )
    MeetingRequest.objects.filter(recipient=registration, status=MeetingRequest.Status.PENDING).update(
        status=MeetingRequest.Status.DECLINED
    )
    Meeting.objects.filter(request__requester=registration).delete()
    Meeting.objects.filter(request__recipient=registration).delete()
    audit_record(
        actor=actor,
        action="event.withdrawn",
        obj=registration,
        after={"status": registration.status},
        organisation_id=registration.organisation_id,
    )
    return registration


# --- Meeting requests ------------------------------------------------------------------------------


def meetings_count(registration: Registration) -> int:
    return (
        MeetingRequest.objects.filter(status=MeetingRequest.Status.ACCEPTED, event_id=registration.event_id)
        .filter(requester=registration)
        .count()
        + MeetingRequest.objects.filter(status=MeetingRequest.Status.ACCEPTED, recipient=registration).count()
    )


def max_meetings_of(registration: Registration) -> int:
    return (
        registration.max_meetings
        if registration.max_meetings is not None
        else registration.event.max_meetings
    )


@transaction.atomic
def request_create(
    *,
    actor: AnyUser,
    requester: Registration,
    recipient: Registration,
    priority: str,
    message: str = "",
    reasons: list[dict[str, Any]] | None = None,
    score: float | None = None,
) -> MeetingRequest:
    """Ask ``recipient`` for a meeting; "no thanks" records that you do not want one (nobody is told)."""
    if not can_act_for_registration(actor, requester):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=requester.event_id)
    if event.state != EventState.REQUESTS_OPEN:
        raise ValidationError(
            {
                "priority": _("Meeting requests are not open (the event is “%(state)s”).")
                % {"state": event.get_state_display()}
            }
        )
    if recipient.event_id != event.pk or recipient.status != Registration.Status.REGISTERED:
        raise ValidationError({"recipient": _("That organisation is not registered for this event.")})
    if requester.status != Registration.Status.REGISTERED:
        raise ValidationError({"requester": _("Your registration was withdrawn.")})
    if recipient.pk == requester.pk:
        raise ValidationError({"recipient": _("You cannot ask your own organisation for a meeting.")})
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose must meet, would like to meet, or no thanks.")})
    if MeetingRequest.objects.filter(requester=requester, recipient=recipient).exists():
        raise ValidationError(
            {"recipient": _("You have already answered for %(org)s.") % {"org": recipient.organisation}}
        )
    reverse = MeetingRequest.objects.filter(requester=recipient, recipient=requester).first()
    if reverse is not None and priority != Priority.NO_THANKS:
        raise ValidationError(
            {
                "recipient": _("%(org)s has already asked you; answer their request.")
                % {"org": recipient.organisation}
            }
        )
    status = MeetingRequest.Status.PENDING
    if priority == Priority.NO_THANKS:
        status = MeetingRequest.Status.DISMISSED
    else:
        pending = MeetingRequest.objects.filter(
            requester=requester, status=MeetingRequest.Status.PENDING
        ).count()
        if pending >= event.max_open_requests:
            raise ValidationError(
                {
                    "recipient": _(
                        "You have %(n)s requests waiting for an answer, the most this event allows; "
                        "wait for answers or withdraw one."
                    )
                    % {"n": pending}
                }
            )
        if meetings_count(requester) >= max_meetings_of(requester):
            raise ValidationError(
                {
                    "recipient": _("You already have the most meetings allowed (%(n)s).")
                    % {"n": max_meetings_of(requester)}
                }
            )
    found = MeetingRequest.objects.create(
        event=event,
        requester=requester,
        recipient=recipient,
        priority=priority,
        message=message.strip(),
        status=status,
        reasons=reasons or [],
        score=score,
        created_by=signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="event.request",
        obj=found,
        after={"to": recipient.organisation.key, "priority": priority},
        organisation_id=requester.organisation_id,
    )
    if status == MeetingRequest.Status.PENDING:
        notify(
            memberships=Membership.objects.filter(organisation_id=recipient.organisation_id).select_related(
                "user"
            ),
            kind="event.request",
            params={
                "org": requester.organisation.name,
                "event": event.title,
                "start": event.start,
                "end": event.end,
            },
            text=message.strip()[:500],
            url=event.get_absolute_url() + f"registrations/{recipient.pk}/requests/",
        )
    return found


@transaction.atomic
def request_answer(
    *, actor: AnyUser, request: MeetingRequest, accept: bool, priority: str = ""
) -> MeetingRequest:
    """The recipient accepts (as must meet or would like) or declines (no thanks)."""
    if not can_act_for_registration(actor, request.recipient):
        raise PermissionDenied
    locked = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "requester__organisation", "recipient__organisation")
        .get(pk=request.pk)
    )
    if locked.event.state != EventState.REQUESTS_OPEN:
        raise ValidationError(
            {
                "status": _("Meeting requests are not open (the event is “%(state)s”).")
                % {"state": locked.event.get_state_display()}
            }
        )
    if locked.status != MeetingRequest.Status.PENDING:
        raise ValidationError({"status": _("This request has already been answered.")})
    if accept:
        priority = priority or Priority.WOULD_LIKE
        if priority not in (Priority.MUST, Priority.WOULD_LIKE):
            raise ValidationError({"priority": _("Choose must meet or would like to meet.")})
        for side in (locked.recipient, locked.requester):
            if meetings_count(side) >= max_meetings_of(side):
                raise ValidationError(
                    {
                        "status": _("%(org)s already has the most meetings allowed (%(n)s).")
                        % {"org": side.organisation, "n": max_meetings_of(side)}
                    }
                )
        locked.status, locked.recipient_priority = MeetingRequest.Status.ACCEPTED, priority
    else:
        locked.status, locked.recipient_priority = MeetingRequest.Status.DECLINED, Priority.NO_THANKS
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "recipient_priority", "answered_at"])
    if accept:
        Meeting.objects.create(
            event=locked.event, request=locked, first=locked.requester, second=locked.recipient
        )
    audit_record(
        actor=actor,
        action="event.request-answered",
        obj=locked,
        before={"status": "pending"},
        after={"status": locked.status, "priority": locked.recipient_priority},
        organisation_id=locked.recipient.organisation_id,
    )
    notify(
        memberships=Membership.objects.filter(
            organisation_id=locked.requester.organisation_id
        ).select_related("user"),
        kind="event.request-answered",
        params={
            "variant": "accepted" if accept else "declined",
            "org": locked.recipient.organisation.name,
            "event": locked.event.title,
        },
        url=locked.event.get_absolute_url() + f"registrations/{locked.requester_id}/requests/",
    )
    return locked


@transaction.atomic
def request_cancel(*, actor: AnyUser, request: MeetingRequest) -> MeetingRequest:
    """The requester withdraws a request (and the meeting, before the schedule is published)."""
    if not can_act_for_registration(actor, request.requester):
        raise PermissionDenied
    locked = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    if locked.status not in (
        MeetingRequest.Status.PENDING,
        MeetingRequest.Status.ACCEPTED,
        MeetingRequest.Status.DISMISSED,
    ):
        raise ValidationError({"status": _("This request can no longer be withdrawn.")})
    if locked.status == MeetingRequest.Status.ACCEPTED and locked.event.state not in (
        EventState.REQUESTS_OPEN,
    ):
        raise ValidationError(
            {"status": _("The schedule is published; ask the organiser to move or drop the meeting.")}
        )
    before = locked.status
    if locked.status == MeetingRequest.Status.DISMISSED:
        locked.delete()
        return locked
    locked.status = MeetingRequest.Status.CANCELLED
    locked.save(update_fields=["status"])
    Meeting.objects.filter(request=locked).delete()
    audit_record(
        actor=actor,
        action="event.request-withdrawn",
        obj=locked,
        before={"status": before},
        after={"status": locked.status},
        organisation_id=locked.requester.organisation_id,
    )
    return locked


# --- Reminders ---------------------------------------------------------------------------------


@transaction.atomic
def event_send_reminders(*, actor: AnyUser, event: Event, now: datetime | None = None) -> dict[str, int]:
    """Remind recipients of unanswered requests, delegations that have not said when they are free, and,
    once the schedule is published, delegates who have not opened their agenda. ``actor`` None: the job."""
    if actor is not None and not can_manage_event(actor, event):
        raise PermissionDenied
    now = now or timezone.now()
    counts = {"requests": 0, "availability": 0, "agenda": 0}
    url = event.get_absolute_url()
    if event.state == EventState.REQUESTS_OPEN:
        due = (
            MeetingRequest.objects.filter(
                event=event, status=MeetingRequest.Status.PENDING, created_at__lte=now - REMIND_AFTER
            )
            .exclude(reminded_at__gt=now - REMIND_AFTER)
            .select_related("recipient__organisation", "requester__organisation")
        )
        for found in due:
            notify(
                memberships=Membership.objects.filter(
                    organisation_id=found.recipient.organisation_id
                ).select_related("user"),
                kind="event.request-reminder",
                params={"org": found.requester.organisation.name, "event": event.title},
                url=url + f"registrations/{found.recipient_id}/requests/",
            )
            found.reminded_at = now
            found.save(update_fields=["reminded_at"])
            counts["requests"] += 1
    if event.state in (EventState.REGISTRATION_OPEN, EventState.REQUESTS_OPEN):
        silent = Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED, availability_set_at__isnull=True
        ).exclude(reminded_at__gt=now - REMIND_AFTER)
        for registration in silent:
            notify(
                memberships=Membership.objects.filter(
                    organisation_id=registration.organisation_id
                ).select_related("user"),
                kind="event.availability-reminder",
                params={"event": event.title, "start": event.start, "end": event.end},
                url=url + f"registrations/{registration.pk}/availability/",
            )
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            counts["availability"] += 1
    if event.state == EventState.SCHEDULED and actor is not None:  # the organiser's nudge
        for delegate in Delegate.objects.filter(
            registration__event=event,
            registration__status=Registration.Status.REGISTERED,
            agenda_opened_at__isnull=True,
            user__isnull=False,
        ).select_related("user", "registration"):
            notify(
                involved=[delegate.user],
                kind="event.agenda-reminder",
                params={"event": event.title, "start": event.start, "end": event.end},
                url=url + f"registrations/{delegate.registration_id}/agenda/",
            )
            counts["agenda"] += 1
    if actor is not None:
        audit_record(
            actor=actor, action="event.reminders", obj=event, after=counts, organisation_id=event.organiser_id
        )
    return counts

"""Write paths of events: create and edit an event, its sessions (and so its slots) and tables, and
move it through its states. Registration and requests are in ``services_registration``, the
schedule in ``scheduling``, the day itself and what follows in ``services_after``.

Every refusal is a ``ValidationError`` naming the field; a forbidden act is ``PermissionDenied``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.events.access import EVENT_ROLES, can_manage_event
from matchmaking.events.models import (
    SHORTEST_SLOT_MINUTES,
    Event,
    EventSession,
    EventState,
    Registration,
    ScheduleStatus,
    Slot,
    Table,
)
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.permissions.roles import AnyUser, is_coordinator, roles_of, signed_in

# state → the states it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventState.DRAFT: (EventState.REGISTRATION_OPEN,),
    EventState.REGISTRATION_OPEN: (EventState.DRAFT, EventState.REQUESTS_OPEN),
    EventState.REQUESTS_OPEN: (EventState.REGISTRATION_OPEN, EventState.SCHEDULED),
    EventState.SCHEDULED: (EventState.REQUESTS_OPEN, EventState.HELD),
    EventState.HELD: (EventState.CLOSED,),
    EventState.CLOSED: (),
}
# Sessions and the slot length may change only before anybody has said when they are free.
SLOTS_EDITABLE = (EventState.DRAFT, EventState.REGISTRATION_OPEN)


@dataclass(frozen=True)
class EventData:
    title: str
    start: date
    end: date
    time_zone: str
    description: str = ""
    place: str = ""
    online_link: str = ""
    slot_minutes: int = 20
    break_minutes: int = 5
    max_open_requests: int = 10
    min_meetings: int = 0
    max_meetings: int = 12
    newcomer_min_meetings: int = 2
    must_meet_mandatory: bool = True


def event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def event_today(event: Event, now: datetime | None = None) -> date:
    """Today's date where the event takes place."""
    return (now or timezone.now()).astimezone(event_zone(event)).date()


def managers_of(event: Event) -> list[User]:
    """Who hears about an event's registrations: the organiser's staff and administrators."""
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=event.organiser_id, role__in=EVENT_ROLES)
        .select_related("user")
        .order_by("pk")
    ]


def members_for_events(organisation_ids: list[int]) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation_id__in=organisation_ids, role__in=EVENT_ROLES)
        .select_related("user")
        .order_by("pk")
    ]


def _check_data(data: EventData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the event a title.")
    if data.end < data.start:
        errors["end"] = _("The last day is before the first day.")
    try:
        ZoneInfo(data.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("“%(zone)s” is not a time zone (for example Europe/Stockholm).") % {
            "zone": data.time_zone
        }
    if not data.place.strip() and not data.online_link.strip():
        errors["place"] = _("Give a place, an online link, or both.")
    if data.slot_minutes < SHORTEST_SLOT_MINUTES:
        errors["slot_minutes"] = _("A meeting lasts at least %(n)s minutes.") % {"n": SHORTEST_SLOT_MINUTES}
    if data.max_meetings < data.min_meetings:
        errors["max_meetings"] = _("The most meetings is fewer than the fewest meetings.")
    if data.max_open_requests < 1:
        errors["max_open_requests"] = _("Allow at least one unanswered request.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, actor: AnyUser, organiser: Organisation, data: EventData) -> Event:
    """A new event in draft, organised by ``organiser`` (a member the actor works for, or a coordinator)."""
    if signed_in(actor) is None:
        raise PermissionDenied
    if not is_coordinator(actor) and roles_of(actor).get(organiser.pk) not in EVENT_ROLES:
        raise PermissionDenied
    _check_data(data)
    if data.start < timezone.localdate():
        raise ValidationError({"start": _("The first day is in the past.")})
    event = Event.objects.create(
        organiser=organiser,
        created_by=signed_in(actor),
        state_changed_at=timezone.now(),
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.__dict__.items()},
    )
    audit_record(
        actor=actor,
        action="event.created",
        obj=event,
        after={"title": event.title, "start": event.start, "end": event.end},
        organisation_id=organiser.pk,
    )
    return event


@transaction.atomic
def event_update(*, actor: AnyUser, event: Event, data: EventData) -> Event:
    if not can_manage_event(actor, event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.state == EventState.CLOSED:
        raise ValidationError({"title": _("The event is closed; it can no longer be changed.")})
    _check_data(data)
    timing = ("start", "end", "time_zone", "slot_minutes", "break_minutes")
    if locked.state not in SLOTS_EDITABLE and any(getattr(locked, f) != getattr(data, f) for f in timing):
        changed = next(f for f in timing if getattr(locked, f) != getattr(data, f))
        raise ValidationError(
            {changed: _("Dates, time zone and meeting length are fixed once meeting requests are open.")}
        )
    before = {k: getattr(locked, k) for k in data.__dict__}
    for key, value in data.__dict__.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    locked.save()
    if locked.state in SLOTS_EDITABLE:
        rebuild_slots(locked)
    audit_record(
        actor=actor,
        action="event.updated",
        obj=locked,
        before=before,
        after=dict(data.__dict__),
        organisation_id=locked.organiser_id,
    )
    return locked


# --- Sessions, slots and tables ----------------------------------------------------------------------


def rebuild_slots(event: Event) -> int:
    """Cut every session into slots of ``slot_minutes`` with ``break_minutes`` between them."""
    zone = event_zone(event)
    Slot.objects.filter(event=event).delete()
    rows, index = [], 0
    length, gap = timedelta(minutes=event.slot_minutes), timedelta(minutes=event.break_minutes)
    for session in EventSession.objects.filter(event=event).order_by("day", "starts_at", "pk"):
        at = datetime.combine(session.day, session.starts_at, tzinfo=zone)
        ends = datetime.combine(session.day, session.ends_at, tzinfo=zone)
        while at + length <= ends:
            rows.append(Slot(event=event, session=session, index=index, starts_at=at, ends_at=at + length))
            index += 1
            at += length + gap
    Slot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def session_add(
    *, actor: AnyUser, event: Event, name: str, day: date, starts_at: time, ends_at: time
) -> EventSession:
    if not can_manage_event(actor, event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.state not in SLOTS_EDITABLE:
        raise ValidationError({"day": _("Sessions are fixed once meeting requests are open.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the session, for example “Morning”.")})
    if not locked.start <= day <= locked.end:
        raise ValidationError(
            {
                "day": _("The day must be within the event, %(start)s to %(end)s.")
                % {"start": date_format(locked.start), "end": date_format(locked.end)}
            }
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session ends before it starts.")})
    length = datetime.combine(day, ends_at) - datetime.combine(day, starts_at)
    if length < timedelta(minutes=locked.slot_minutes):
        raise ValidationError(
            {
                "ends_at": _("The session is shorter than one meeting (%(n)s minutes).")
                % {"n": locked.slot_minutes}
            }
        )
    for other in EventSession.objects.filter(event=locked, day=day):
        if starts_at < other.ends_at and other.starts_at < ends_at:
            raise ValidationError(
                {"starts_at": _("It overlaps the session “%(name)s”.") % {"name": other.name}}
            )
    session = EventSession.objects.create(
        event=locked, name=name.strip(), day=day, starts_at=starts_at, ends_at=ends_at
    )
    rebuild_slots(locked)
    audit_record(
        actor=actor,
        action="event.session-added",
        obj=locked,
        after={"session": session.name, "day": day, "from": starts_at.isoformat(), "to": ends_at.isoformat()},
        organisation_id=locked.organiser_id,
    )
    return session


@transaction.atomic
def session_remove(*, actor: AnyUser, session: EventSession) -> None:
    event = session.event
    if not can_manage_event(actor, event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.state not in SLOTS_EDITABLE:
        raise ValidationError({"day": _("Sessions are fixed once meeting requests are open.")})
    name = session.name
    session.delete()
    rebuild_slots(locked)
    audit_record(
        actor=actor,
        action="event.session-removed",
        obj=locked,
        before={"session": name},
        organisation_id=locked.organiser_id,
    )


@transaction.atomic
def table_add(*, actor: AnyUser, event: Event, name: str, capacity: int, accessible: bool = False) -> Table:
    if not can_manage_event(actor, event):
        raise PermissionDenied
    if event.state in (EventState.HELD, EventState.CLOSED):
        raise ValidationError({"name": _("The event has taken place; its tables can no longer change.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the table or room, for example “Table 1”.")})
    if capacity < 2:
        raise ValidationError({"capacity": _("A table seats at least two people.")})
    position = Table.objects.filter(event=event).count()
    table = Table.objects.create(
        event=event, name=name.strip(), capacity=capacity, accessible=accessible, position=position
    )
    audit_record(
        actor=actor,
        action="event.table-added",
        obj=event,
        after={"table": table.name, "capacity": capacity, "accessible": accessible},
        organisation_id=event.organiser_id,
    )
    return table


@transaction.atomic
def table_remove(*, actor: AnyUser, table: Table) -> None:
    event = table.event
    if not can_manage_event(actor, event):
        raise PermissionDenied
    if event.is_published and table.meetings.exists():
        raise ValidationError({"table": _("Meetings of the published schedule take place at this table.")})
    name = table.name
    table.delete()
    audit_record(
        actor=actor,
        action="event.table-removed",
        obj=event,
        before={"table": name},
        organisation_id=event.organiser_id,
    )


# --- States --------------------------------------------------------------------------------------


def _check_transition(event: Event, target: str, today: date) -> None:
    if target == EventState.REGISTRATION_OPEN and event.state == EventState.DRAFT:
        if not event.slots.exists():
            raise ValidationError({"state": _("Add at least one session with room for a meeting first.")})
        if not event.tables.exists():
            raise ValidationError({"state": _("Add at least one table or room first.")})
    registered = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
    if target == EventState.REQUESTS_OPEN and registered.count() < 2:
        raise ValidationError({"state": _("At least two organisations must be registered.")})
    if target == EventState.SCHEDULED and event.schedule_status != ScheduleStatus.DONE:
        raise ValidationError({"state": _("Compute the schedule, then publish it.")})
    if target == EventState.HELD and today < event.start:
        raise ValidationError(
            {
                "state": _("The event cannot be marked held before its first day, %(date)s.")
                % {"date": date_format(event.start)}
            }
        )
    if target == EventState.CLOSED and today < event.end:
        raise ValidationError(
            {
                "state": _("The event cannot be closed before its last day, %(date)s.")
                % {"date": date_format(event.end)}
            }
        )
    if target == EventState.DRAFT and Registration.objects.filter(event=event).exists():
        raise ValidationError(
            {"state": _("Organisations have registered; the event can no longer be a draft.")}
        )


@transaction.atomic
def event_transition(*, actor: AnyUser, event: Event, target: str, now: datetime | None = None) -> Event:
    """Move the event to ``target``; states that imply a date are refused before that date."""
    if not can_manage_event(actor, event):
        raise PermissionDenied
    if target not in EventState.values:
        raise ValidationError({"state": _("Unknown state.")})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if target not in TRANSITIONS[locked.state]:
        raise ValidationError(
            {
                "state": _("The event is “%(state)s”; it cannot become “%(target)s”.")
                % {"state": locked.get_state_display(), "target": EventState(target).label}
            }
        )
    _check_transition(locked, target, event_today(locked, now))
    before = locked.state
    locked.state = target
    locked.state_changed_at = timezone.now()
    if target == EventState.SCHEDULED:
        locked.schedule_published_at = timezone.now()
    locked.save(update_fields=["state", "state_changed_at", "schedule_published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="event.state",
        obj=locked,
        before={"state": before},
        after={"state": target},
        organisation_id=locked.organiser_id,
    )
    _announce(locked, target)
    return locked


def _announce(event: Event, target: str) -> None:
    if target not in (EventState.REGISTRATION_OPEN, EventState.REQUESTS_OPEN, EventState.SCHEDULED):
        return
    told = Membership.objects.filter(role__in=EVENT_ROLES).select_related("user")
    if target != EventState.REGISTRATION_OPEN:
        told = told.filter(
            organisation_id__in=Registration.objects.filter(
                event=event, status=Registration.Status.REGISTERED
            ).values("organisation_id")
        )
    notify(
        memberships=told,
        kind=f"event.{target}",
        params={"event": event.title, "start": event.start, "end": event.end},
        url=event.get_absolute_url(),
    )

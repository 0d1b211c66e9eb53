"""The schedule of an event: accepted requests in, a slot and a table per meeting out.

``schedule_request`` queues the computation (the page shows its status); the background task calls
``schedule_compute``, which builds a ``ScheduleProblem`` from the database, asks the engine's
``schedule_meetings`` and stores the placements. The schedule stays provisional until the organiser
publishes it (``services.event_transition`` to "scheduled"). Computing again passes the current
placements as ``previous``, so that as few meetings as possible move.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.engine.meetings import Meeting as EngineMeeting
from matchmaking.engine.meetings import ScheduleProblem, ScheduleResult, schedule_meetings
from matchmaking.engine.meetings import Table as EngineTable
from matchmaking.events.models import (
    Event,
    EventState,
    Meeting,
    MeetingRequest,
    Priority,
    Registration,
    ScheduleStatus,
    Slot,
    Table,
)
from matchmaking.organisations.models import Membership

SCHEDULE_STATES = (EventState.REQUESTS_OPEN, EventState.SCHEDULED)
# Weights of optional meetings: a must-meet asked by one side when must-meets are not mandatory, a
# would-like from both sides, a would-like from one.
WEIGHT_MUST = 10
WEIGHT_BOTH = 4
WEIGHT_ONE = 2
# b2match: tables = meetings ÷ slots, plus 10–20 % spare.
SPARE_TABLES = 0.15


@dataclass
class Built:
    """A problem and the ways back from its indexes to rows."""

    problem: ScheduleProblem
    slots: list[Slot]
    tables: list[Table]
    meetings: dict[int, Meeting] = field(default_factory=dict)


def tables_needed(meetings: int, slots: int, spare: float = SPARE_TABLES) -> int:
    """b2match's sizing rule: meetings ÷ slots, rounded up, plus ``spare`` (10–20 %) spare tables."""
    if slots <= 0 or meetings <= 0:
        return 0
    return math.ceil(math.ceil(meetings / slots) * (1 + spare))


def _weight(request: MeetingRequest, event: Event) -> tuple[bool, int]:
    """(mandatory, weight) of an accepted request from both sides' priorities."""
    wishes = (request.priority, request.recipient_priority or Priority.WOULD_LIKE)
    if Priority.MUST in wishes:
        return (True, WEIGHT_MUST) if event.must_meet_mandatory else (False, WEIGHT_MUST)
    return False, WEIGHT_BOTH if wishes == (Priority.WOULD_LIKE, Priority.WOULD_LIKE) else WEIGHT_ONE


def build_problem(event: Event) -> Built:
    """The engine's problem for ``event``: participants are registrations (whole delegations)."""
    slots = list(Slot.objects.filter(event=event).select_related("session").order_by("index"))
    tables = list(Table.objects.filter(event=event).order_by("position", "pk"))
    table_index = {t.pk: j for j, t in enumerate(tables)}
    slot_index = {s.pk: i for i, s in enumerate(slots)}
    registrations = {
        r.pk: r
        for r in Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED
        ).prefetch_related("delegates__blocked_slots", "available_slots")
    }
    meetings = list(
        Meeting.objects.filter(event=event, request__status=MeetingRequest.Status.ACCEPTED)
        .select_related("request", "slot", "table")
        .order_by("pk")
    )
    engine_meetings, previous, kept = [], {}, {}
    for m in meetings:
        first, second = registrations.get(m.first_id), registrations.get(m.second_id)
        if first is None or second is None:
            continue
        mandatory, weight = _weight(m.request, event)
        delegates = [*first.delegates.all(), *second.delegates.all()]
        fixed = m.fixed and m.slot_id in slot_index and m.table_id in table_index
        engine_meetings.append(
            EngineMeeting(
                key=m.pk,
                parties=(first.pk, second.pk),
                mandatory=mandatory,
                weight=weight,
                seats=max(2, len(delegates)),
                needs_accessible=any(d.needs_accessible for d in delegates),
                fixed_slot=slot_index[m.slot_id] if fixed and m.slot_id else None,
                fixed_table=table_index[m.table_id] if fixed and m.table_id else None,
            )
        )
        kept[m.pk] = m
        if m.slot_id in slot_index and m.table_id in table_index and m.slot_id and m.table_id:
            previous[m.pk] = (slot_index[m.slot_id], table_index[m.table_id])
    unavailable: dict[int, frozenset[int]] = {}
    for r in registrations.values():
        # A meeting occupies every delegate: a slot one delegate blocked is closed to the delegation.
        closed = {
            slot_index[s.pk] for d in r.delegates.all() for s in d.blocked_slots.all() if s.pk in slot_index
        }
        if r.availability_set_at is not None:
            free = {slot_index[s.pk] for s in r.available_slots.all() if s.pk in slot_index}
            closed |= set(range(len(slots))) - free
        if closed:
            unavailable[r.pk] = frozenset(closed)
    session_starts = tuple(
        i for i, s in enumerate(slots) if i > 0 and s.session_id != slots[i - 1].session_id
    )
    counts: dict[int, int] = {}
    for em in engine_meetings:
        for p in em.parties:
            counts[p] = counts.get(p, 0) + 1
    minimum, maximum = {}, {}
    for r in registrations.values():
        wanted = r.min_meetings if r.min_meetings is not None else event.min_meetings
        if r.newcomer:
            wanted = max(wanted, event.newcomer_min_meetings)
        if min(wanted, counts.get(r.pk, 0)):
            minimum[r.pk] = min(wanted, counts.get(r.pk, 0))
        maximum[r.pk] = r.max_meetings if r.max_meetings is not None else event.max_meetings
    problem = ScheduleProblem(
        n_slots=max(1, len(slots)),
        tables=tuple(EngineTable(capacity=t.capacity, accessible=t.accessible) for t in tables),
        meetings=tuple(engine_meetings),
        unavailable=unavailable,
        session_starts=session_starts,
        min_meetings=minimum,
        max_meetings=maximum,
        previous=previous,
    )
    return Built(problem=problem, slots=slots, tables=tables, meetings=kept)


def _progress(event_id: int) -> Callable[[float], None]:
    def report(share: float) -> None:
        Event.objects.filter(pk=event_id, schedule_status=ScheduleStatus.RUNNING).update(
            schedule_progress=max(0.0, min(1.0, share)), updated_at=timezone.now()
        )

    return report


def schedule_compute(*, event_id: int, announce: bool = True) -> ScheduleResult | None:
    """Build the problem, solve it and store the result (run by the background task); ``announce``:
    tell the organisers (the demo loader does not)."""
    claimed = Event.objects.filter(
        pk=event_id, schedule_status__in=[ScheduleStatus.QUEUED, ScheduleStatus.FAILED]
    ).update(schedule_status=ScheduleStatus.RUNNING, schedule_progress=0.0, updated_at=timezone.now())
    if not claimed:
        return None
    event = Event.objects.get(pk=event_id)
    try:
        built = build_problem(event)
        result = schedule_meetings(
            built.problem,
            time_limit=float(getattr(settings, "EVENT_SCHEDULE_SECONDS", 20.0)),
            workers=int(getattr(settings, "EVENT_SCHEDULE_WORKERS", 2)),
            progress=_progress(event_id),
        )
    except Exception as exc:  # the engine or a malformed problem: the page shows it, the task ends
        Event.objects.filter(pk=event_id).update(
            schedule_status=ScheduleStatus.FAILED, schedule_error=str(exc)[:2000]
        )
        raise
    _store(event_id, built, result, announce=announce)
    return result


@transaction.atomic
def _store(event_id: int, built: Built, result: ScheduleResult, *, announce: bool = True) -> None:
    event = Event.objects.select_for_update().get(pk=event_id)
    conflicts = [{"code": c.code, "params": dict(c.params)} for c in result.conflicts]
    summary = {
        "status": result.status,
        "placed": len(result.placements),
        "unplaced": len(result.unplaced),
        "breaks": result.total_breaks,
        "bound": result.bound,
        "moved": result.moved,
        "seconds": round(result.seconds, 2),
        "meetings": len(built.problem.meetings),
        "slots": len(built.slots),
        "tables": len(built.tables),
        "tables_needed": tables_needed(len(built.problem.meetings), len(built.slots)),
    }
    if result.status in ("infeasible", "unknown") and not result.placements:
        event.schedule_status = ScheduleStatus.FAILED
    else:
        event.schedule_status = ScheduleStatus.DONE
        placed = {p.meeting: p for p in result.placements}
        languages = _languages(event)
        for key, meeting in built.meetings.items():
            placement = placed.get(key)
            meeting.slot = built.slots[placement.slot] if placement else None
            meeting.table = built.tables[placement.table] if placement else None
            meeting.language_id = _shared_language(languages, meeting.first_id, meeting.second_id)
        Meeting.objects.bulk_update(list(built.meetings.values()), ["slot", "table", "language"])
        event.schedule_computed_at = timezone.now()
    event.schedule_conflicts, event.schedule_summary, event.schedule_progress = conflicts, summary, 1.0
    event.save(
        update_fields=[
            "schedule_status",
            "schedule_conflicts",
            "schedule_summary",
            "schedule_progress",
            "schedule_computed_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=None,
        action="event.schedule-computed",
        obj=event,
        after=summary,
        organisation_id=event.organiser_id,
    )
    notify(
        memberships=Membership.objects.filter(organisation_id=event.organiser_id).select_related("user")
        if announce
        else [],
        kind="event.schedule-computed",
        params={
            "variant": "done" if event.schedule_status == ScheduleStatus.DONE else "failed",
            "event": event.title,
        },
        url=event.get_absolute_url() + "schedule/",
    )


def _languages(event: Event) -> dict[int, list[int]]:
    """Registration → its languages' term ids, in a stable order."""
    out: dict[int, list[int]] = {}
    for reg_id, term_id in (
        Registration.languages.through.objects.filter(registration__event=event)
        .values_list("registration_id", "term_id")
        .order_by("term_id")
    ):
        out.setdefault(reg_id, []).append(term_id)
    return out


def _shared_language(languages: Mapping[int, list[int]], a: int, b: int) -> int | None:
    theirs = set(languages.get(b, []))
    return next((t for t in languages.get(a, []) if t in theirs), None)


# --- Conflicts in words ------------------------------------------------------------------------------


def conflict_text(conflict: Mapping[str, Any], names: Mapping[int, str], meetings: Mapping[int, str]) -> str:
    """A stored conflict (code + params) as a sentence in the reader's language."""
    params = dict(conflict.get("params") or {})

    def named(found: Mapping[int, str], key: str) -> str:
        value = str(params.get(key, "?"))
        return found.get(int(value), value) if value.isdigit() else value

    def who(key: str) -> str:
        return named(names, key)

    def meeting(key: str = "meeting") -> str:
        return named(meetings, key)

    code = conflict.get("code", "")
    if code == "participant-overbooked":
        return _(
            "%(org)s has %(meetings)s meetings that must take place but is free in only %(free)s slots."
        ) % {
            "org": who("participant"),
            "meetings": params.get("meetings", "?"),
            "free": params.get("free_slots", "?"),
        }
    if code == "too-few-tables":
        return _(
            "There are more meetings that must take place (%(meetings)s) than table places (%(places)s); "
            "add tables or slots."
        ) % {
            "meetings": params.get("meetings", "?"),
            "places": params.get("table_slots", "?"),
        }
    if code == "fixed-clash":
        return _("Two meetings fixed by the organiser clash in the same slot: %(a)s and %(b)s.") % {
            "a": meeting("meeting"),
            "b": meeting("other"),
        }
    if code == "no-accessible-table":
        if "meeting" not in params:
            return _(
                "%(meetings)s meetings need an accessible meeting point, and the accessible tables have only "
                "%(places)s places; make more tables accessible."
            ) % {"meetings": params.get("meetings", "?"), "places": params.get("table_slots", "?")}
        return _("The meeting %(meeting)s needs an accessible meeting point, and no table is accessible.") % {
            "meeting": meeting()
        }
    if code == "max-meetings":
        return _("%(org)s has %(meetings)s meetings that must take place, more than its most (%(max)s).") % {
            "org": who("participant"),
            "meetings": params.get("meetings", "?"),
            "max": params.get("maximum", "?"),
        }
    if code == "no-table-fits":
        return _("No table seats the %(seats)s people of the meeting %(meeting)s.") % {
            "seats": params.get("seats", "?"),
            "meeting": meeting(),
        }
    if code == "no-slot":
        return _("The meeting %(meeting)s has no slot in which both delegations are free.") % {
            "meeting": meeting()
        }
    if code == "min-meetings":
        return _("%(org)s cannot get the %(n)s meetings it was promised.") % {
            "org": who("participant"),
            "n": params.get("minimum", params.get("min", "?")),
        }
    if code == "fairness-relaxed":
        return _(
            "Waiting times could not be kept even between delegations; the schedule has the fewest in total."
        )
    if code == "no-schedule":
        return _("The requests, availability and tables together admit no schedule.")
    return ngettext("%(code)s (%(n)s detail)", "%(code)s (%(n)s details)", len(params)) % {
        "code": code,
        "n": len(params),
    }

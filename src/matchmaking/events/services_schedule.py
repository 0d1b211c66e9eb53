"""Queue the computation of an event's schedule (the background task in ``tasks`` does the work)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.tasks import enqueue_on_commit
from matchmaking.events.access import can_manage_event
from matchmaking.events.models import Delegate, Event, Meeting, MeetingRequest, ScheduleStatus, Slot, Table
from matchmaking.events.scheduling import SCHEDULE_STATES
from matchmaking.events.tasks import compute_event_schedule
from matchmaking.permissions.roles import AnyUser

# A computation queued or running for longer than this is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=10)


@transaction.atomic
def schedule_request(*, actor: AnyUser, event: Event) -> Event:
    """Queue the computation of the schedule; the event page shows its status."""
    if not can_manage_event(actor, event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.state not in SCHEDULE_STATES:
        raise ValidationError(
            {
                "schedule": _(
                    "The schedule is computed once meeting requests are open (the event is “%(state)s”)."
                )
                % {"state": locked.get_state_display()}
            }
        )
    busy = locked.schedule_status in (ScheduleStatus.QUEUED, ScheduleStatus.RUNNING)
    if busy and locked.updated_at > timezone.now() - STALE_AFTER:  # a computation whose worker died is redone
        raise ValidationError({"schedule": _("The schedule is already being computed.")})
    if not Table.objects.filter(event=locked).exists():
        raise ValidationError({"schedule": _("Add at least one table or room first.")})
    if not MeetingRequest.objects.filter(event=locked, status=MeetingRequest.Status.ACCEPTED).exists():
        raise ValidationError({"schedule": _("No meeting request has been accepted yet.")})
    locked.schedule_status, locked.schedule_progress, locked.schedule_error = ScheduleStatus.QUEUED, 0.0, ""
    locked.save(update_fields=["schedule_status", "schedule_progress", "schedule_error", "updated_at"])
    audit_record(
        actor=actor, action="event.schedule-requested", obj=locked, organisation_id=locked.organiser_id
    )
    enqueue_on_commit(compute_event_schedule, locked.pk)
    return locked


@transaction.atomic
def meeting_place(*, actor: AnyUser, meeting: Meeting, slot: Slot | None, table: Table | None) -> Meeting:
    """The organiser puts a meeting in a slot at a table by hand (kept there when the schedule is
    computed again), or frees it (``slot`` None) for the scheduler to place."""
    event = meeting.event
    if not can_manage_event(actor, event):
        raise PermissionDenied
    if event.state not in SCHEDULE_STATES:
        raise ValidationError(
            {"slot": _("Meetings are placed while requests are open or the event is scheduled.")}
        )
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = {"slot": locked.slot_id, "table": locked.table_id, "fixed": locked.fixed}
    if slot is None:
        locked.slot, locked.table, locked.fixed = None, None, False
    else:
        if table is None:
            raise ValidationError({"table": _("Choose a table.")})
        if slot.event_id != event.pk:
            raise ValidationError({"slot": _("That slot belongs to another event.")})
        if table.event_id != event.pk:
            raise ValidationError({"table": _("That table belongs to another event.")})
        others = Meeting.objects.filter(event=event, slot=slot).exclude(pk=locked.pk)
        if others.filter(table=table).exists():
            raise ValidationError(
                {"table": _("Another meeting takes place at %(table)s then.") % {"table": table}}
            )
        parties = (locked.first_id, locked.second_id)
        if others.filter(Q(first_id__in=parties) | Q(second_id__in=parties)).exists():
            raise ValidationError({"slot": _("One of the two delegations has another meeting then.")})
        delegates = Delegate.objects.filter(registration_id__in=parties)
        if delegates.count() > table.capacity:
            raise ValidationError(
                {"table": _("%(table)s seats %(n)s people.") % {"table": table, "n": table.capacity}}
            )
        if delegates.filter(needs_accessible=True).exists() and not table.accessible:
            raise ValidationError({"table": _("A delegate needs an accessible meeting point.")})
        locked.slot, locked.table, locked.fixed = slot, table, True
    locked.save(update_fields=["slot", "table", "fixed"])
    audit_record(
        actor=actor,
        action="event.meeting-placed",
        obj=locked,
        before=before,
        after={"slot": locked.slot_id, "table": locked.table_id, "fixed": locked.fixed},
        organisation_id=event.organiser_id,
    )
    return locked

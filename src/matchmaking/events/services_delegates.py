"""Writes about one delegate: the slots a person blocks because they cannot meet then.

A meeting between two delegations occupies every delegate of each, so a slot any delegate blocks
is closed to the whole delegation when the schedule is computed (``scheduling``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.events.access import can_act_for_registration
from matchmaking.events.models import Delegate, Slot
from matchmaking.events.services_registration import AVAILABILITY_STATES
from matchmaking.permissions.roles import AnyUser


@transaction.atomic
def delegate_blocked_slots_set(*, actor: AnyUser, delegate: Delegate, slots: Iterable[Slot]) -> Delegate:
    """The slots in which ``delegate`` cannot meet (an empty list unblocks every slot)."""
    if not can_act_for_registration(actor, delegate.registration):
        raise PermissionDenied
    event = delegate.registration.event
    if event.state not in AVAILABILITY_STATES:
        raise ValidationError(
            {
                "slots": _("Blocked slots can no longer change (the event is “%(state)s”).")
                % {"state": event.get_state_display()}
            }
        )
    chosen = list(slots)
    if any(s.event_id != event.pk for s in chosen):
        raise ValidationError({"slots": _("That slot belongs to another event.")})
    if chosen and len({s.pk for s in chosen}) >= event.slots.count():
        raise ValidationError({"slots": _("Leave at least one slot open for meetings.")})
    before = sorted(delegate.blocked_slots.values_list("index", flat=True))
    delegate.blocked_slots.set(chosen)
    audit_record(
        actor=actor,
        action="event.delegate-blocked-slots",
        obj=delegate,
        before={"slots": before},
        after={"slots": sorted(s.index for s in chosen)},
        organisation_id=delegate.registration.organisation_id,
    )
    return delegate

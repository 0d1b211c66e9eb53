"""The Erasmus+ reporting flags of an exchange: green travel, blended (a virtual component) and force
majeure. Either organisation sets them at any time before or after the visit (they are reporting facts,
not terms agreed between the two): the change is recorded in the exchange's history, which both sides
read; nobody is notified, as with the other bookkeeping of the visit (visitors, programme items).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.exchanges.models import Exchange, State
from matchmaking.exchanges.services import acting_side
from matchmaking.permissions.roles import AnyUser

FLAGS = ("green_travel", "blended", "force_majeure")
# A proposal that was never taken up has no mobility to report.
NO_MOBILITY_STATES = (State.DECLINED, State.EXPIRED)


@transaction.atomic
def exchange_flags_set(
    *, actor: AnyUser, exchange: Exchange, green_travel: bool, blended: bool, force_majeure: bool
) -> Exchange:
    """Set the three flags; a member of either side only (else ``PermissionDenied``)."""
    side = acting_side(actor, exchange)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if locked.state in NO_MOBILITY_STATES:
        raise ValidationError(_("A declined or expired proposal has no mobility to report."))
    wanted = {"green_travel": green_travel, "blended": blended, "force_majeure": force_majeure}
    before = {name: getattr(locked, name) for name in FLAGS if getattr(locked, name) != wanted[name]}
    if not before:
        return exchange
    for name in before:
        setattr(locked, name, wanted[name])
    locked.save(update_fields=[*before, "updated_at"])
    audit_record(
        actor=actor,
        action="exchange.updated",
        obj=locked,
        before=before,
        after={name: wanted[name] for name in before},
        organisation_id=side,
    )
    for name in FLAGS:
        setattr(exchange, name, getattr(locked, name))
    return exchange

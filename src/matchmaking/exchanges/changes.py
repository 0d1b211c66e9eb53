"""Changing the dates or group size of an exchange.

Before the other side has accepted, the proposal is still being shaped: a change applies at once (and
is recorded). Once both sides have agreed, one side alone cannot change what was agreed: its change is
a counter-proposal (``ExchangeChange``) the other organisation accepts (applied, recorded with before
and after) or refuses; while it waits, the agreed values stay. One pending change per exchange.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.exchanges.access import can_answer_change
from matchmaking.exchanges.capacity import capacity_problem
from matchmaking.exchanges.models import HOLDING_STATES, Exchange, ExchangeChange, State
from matchmaking.exchanges.services import (
    ANSWER_DAYS,
    _memberships,
    _other_side,
    acting_side,
    dates_problems,
)
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, signed_in

# States in which dates and group size may still change; after agreement, only by both sides.
CHANGEABLE_STATES = (State.DRAFT, State.PROPOSED, State.AGREED, State.PLANNING)
FIELDS = ("start", "end", "group_size")


def _check(locked: Exchange, host: Organisation, *, start: date, end: date, group_size: int) -> None:
    """Every rule the new values must meet; each refusal names its field."""
    if locked.state not in CHANGEABLE_STATES:
        raise ValidationError(_("Dates and group size can only change before the exchange is confirmed."))
    problems = dates_problems(locked, start=start, end=end, activity_code=locked.activity_code)
    if problems:
        raise ValidationError(problems)
    if group_size < 1:
        raise ValidationError({"group_size": _("At least one person travels.")})
    if group_size < locked.visitors.count():
        raise ValidationError({"group_size": _("There are already more visitors than that.")})
    if locked.programme.exclude(day__range=(start, end)).exists():
        raise ValidationError(
            {"start": _("Some programme items fall outside the new dates; move them first.")}
        )
    problem = capacity_problem(host, start, end, group_size, exclude=locked.pk)
    if problem and (locked.state in HOLDING_STATES or group_size > host.hosting_capacity):
        raise ValidationError({"group_size": problem})


def _values(exchange: Exchange) -> dict[str, Any]:
    return {"start": exchange.start, "end": exchange.end, "group_size": exchange.group_size}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _params(exchange: Exchange, org: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "org": org.name,
        "title": exchange.title_param(),
        "start": values["start"],
        "end": values["end"],
        "group_size": values["group_size"],
    }


@transaction.atomic
def exchange_update(
    *, actor: AnyUser, exchange: Exchange, start: date, end: date, group_size: int
) -> Exchange | ExchangeChange:
    """Change dates or group size: applied at once while proposed, a counter-proposal once agreed.

    Returns the exchange (changed) or the pending ``ExchangeChange``."""
    side = acting_side(actor, exchange)
    host = Organisation.objects.select_for_update().get(pk=exchange.host_id)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    new: dict[str, Any] = {"start": start, "end": end, "group_size": group_size}
    old = _values(locked)
    changed = {k: {"old": _json(old[k]), "new": _json(new[k])} for k in FIELDS if old[k] != new[k]}
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    _check(locked, host, **new)
    other = _other_side(locked, side)
    told = _memberships(other)
    involved = [locked.created_by] if side != locked.proposed_by_id else []
    ours = Organisation.objects.get(pk=side)
    if locked.state == State.DRAFT:
        # A draft is its author's alone until it is sent: the partner neither changes nor hears of it.
        if side != locked.proposed_by_id:
            raise PermissionDenied
        locked.start, locked.end, locked.group_size = start, end, group_size
        locked.save(update_fields=["start", "end", "group_size", "updated_at"])
        audit_record(
            actor=actor, action="exchange.updated", obj=locked,
            before={k: old[k] for k in changed}, after={k: new[k] for k in changed}, organisation_id=side,
        )  # fmt: skip
        exchange.refresh_from_db()
        return locked
    if locked.state == State.PROPOSED:
        # The proposer reshapes their own proposal; the other side's new values are a counter-proposal:
        # the proposal becomes theirs, and the first proposer now accepts or declines it.
        counter = side != locked.proposed_by_id
        locked.start, locked.end, locked.group_size = start, end, group_size
        fields = ["start", "end", "group_size", "updated_at"]
        if counter:
            locked.proposed_by_id = side
            locked.expires_at = timezone.now() + timedelta(days=ANSWER_DAYS)
            fields += ["proposed_by", "expires_at"]
        locked.save(update_fields=fields)
        audit_record(
            actor=actor, action="exchange.change-proposed" if counter else "exchange.updated", obj=locked,
            before={k: old[k] for k in changed}, after={k: new[k] for k in changed}, organisation_id=side,
        )  # fmt: skip
        notify(
            memberships=told, involved=involved, kind="exchange.updated",
            params=_params(locked, ours, new), url=locked.get_absolute_url(),
        )  # fmt: skip
        exchange.refresh_from_db()
        return locked
    if ExchangeChange.objects.filter(exchange=locked, state=ExchangeChange.State.PENDING).exists():
        raise ValidationError(
            _("A proposed change is waiting for an answer; it must be accepted or refused first.")
        )
    change = ExchangeChange.objects.create(
        exchange=locked, proposed_by_id=side, proposed_by_user=signed_in(actor), values=changed
    )
    audit_record(
        actor=actor, action="exchange.change-proposed", obj=locked,
        before={k: old[k] for k in changed}, after={k: new[k] for k in changed}, organisation_id=side,
    )  # fmt: skip
    notify(
        memberships=told, involved=involved, kind="exchange.change-proposed",
        params=_params(locked, ours, new), url=locked.get_absolute_url(),
    )  # fmt: skip
    return change


@transaction.atomic
def exchange_change_answer(
    *, actor: AnyUser, change: ExchangeChange, accept: bool, reason: str = ""
) -> ExchangeChange:
    """Accept (the change is applied) or refuse (nothing changes) a proposed change."""
    if not can_answer_change(actor, change):
        raise PermissionDenied
    host = Organisation.objects.select_for_update().get(pk=change.exchange.host_id)
    locked = Exchange.objects.select_for_update().get(pk=change.exchange_id)
    change = ExchangeChange.objects.select_for_update().get(pk=change.pk)
    if change.state != ExchangeChange.State.PENDING:
        raise ValidationError(
            _("This change was already %(state)s.") % {"state": change.get_state_display().lower()}
        )
    side = _other_side(locked, change.proposed_by_id)
    old = _values(locked)
    new = dict(old)
    for name, entry in change.values.items():
        new[name] = date.fromisoformat(entry["new"]) if name in ("start", "end") else int(entry["new"])
    if accept:
        _check(locked, host, **new)
        locked.start, locked.end, locked.group_size = new["start"], new["end"], new["group_size"]
        locked.save(update_fields=["start", "end", "group_size", "updated_at"])
    change.state = ExchangeChange.State.ACCEPTED if accept else ExchangeChange.State.REFUSED
    change.answered_by = signed_in(actor)
    change.answered_at = timezone.now()
    change.answer_reason = reason.strip()
    change.save(update_fields=["state", "answered_by", "answered_at", "answer_reason"])
    changed = list(change.values)
    audit_record(
        actor=actor,
        action="exchange.change-accepted" if accept else "exchange.change-refused",
        obj=locked,
        before={k: old[k] for k in changed},
        after={k: new[k] for k in changed} if accept else {k: old[k] for k in changed},
        reason=reason,
        organisation_id=side,
    )
    notify(
        memberships=_memberships(change.proposed_by_id),
        kind="exchange.change-accepted" if accept else "exchange.change-refused",
        params=_params(locked, Organisation.objects.get(pk=side), new if accept else old),
        text=reason.strip()[:500],
        url=locked.get_absolute_url(),
    )
    return change

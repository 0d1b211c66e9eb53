"""Write paths of the programme: visitors (with their job-shadowing profile) and agenda items."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.core.access_log import access_log_record
from matchmaking.core.audit import audit_record
from matchmaking.exchanges.models import Exchange, ProgrammeItem, State, Visitor
from matchmaking.exchanges.services import acting_side
from matchmaking.permissions.roles import AnyUser
from matchmaking.taxonomies.activity_durations import duration_problem

VISITOR_FIELDS = (
    "name",
    "email",
    "role",
    "learning_goals",
    "kind",
    "accompanying",
    "fewer_opportunities",
    "start",
    "end",
)
ITEM_FIELDS = ("day", "starts_at", "ends_at", "activity", "format", "host_person", "location", "notes")
PLANNING_STATES = (State.AGREED, State.PLANNING, State.CONFIRMED, State.UNDER_WAY)


def _editable(exchange: Exchange, states: tuple[str, ...], what: str) -> None:
    if exchange.state not in states:
        raise ValidationError(
            _("%(what)s can be changed once the exchange is agreed and until it is over.") % {"what": what}
        )


def _visitor_data(visitor: Visitor) -> dict[str, Any]:
    return {f: getattr(visitor, f) for f in VISITOR_FIELDS if f not in ("email", "fewer_opportunities")}


@transaction.atomic
def visitor_save(
    *, actor: AnyUser, exchange: Exchange, data: dict[str, Any], visitor: Visitor | None = None
) -> Visitor:
    """Add a visitor or change one; never more visitors than the exchange's group size."""
    side = acting_side(actor, exchange)
    if exchange.state not in (State.PROPOSED, *PLANNING_STATES, State.COMPLETED):
        raise ValidationError(_("The visitors of a closed exchange cannot change."))
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if visitor is None:
        if exchange.visitors.count() >= exchange.group_size:
            raise ValidationError(
                _("The exchange is for %(n)s visitors; change the group size first.")
                % {"n": exchange.group_size}
            )
        visitor = Visitor(exchange=exchange)
        before: dict[str, Any] = {}
    else:
        if visitor.exchange_id != exchange.pk:
            raise ValidationError(_("No such visitor."))
        before = _visitor_data(visitor)
    for name in VISITOR_FIELDS:
        if name in data:
            setattr(visitor, name, data[name] if data[name] is not None or name in ("start", "end") else "")
    first, last = visitor.start or exchange.start, visitor.end or exchange.end
    if last < first or first < exchange.start or last > exchange.end:
        field = "start" if first < exchange.start or last < first else "end"
        raise ValidationError({field: _("A visitor's dates must lie within the exchange's dates.")})
    if visitor.start or visitor.end:
        # Each mobility is reported on its own: its own dates keep the activity type's duration band.
        problem = duration_problem(exchange.activity_code, (last - first).days + 1)
        if problem:
            raise ValidationError({"end": problem})
    visitor.full_clean()
    visitor.save()
    audit_record(
        actor=actor, action="exchange.visitor-saved", obj=visitor, before=before,
        after=_visitor_data(visitor), organisation_id=side,
    )  # fmt: skip
    access_log_record(
        user=actor, subject=visitor, fields=list(data.keys()), purpose="mobility record", kind="change"
    )
    return visitor


@transaction.atomic
def visitor_remove(*, actor: AnyUser, visitor: Visitor) -> None:
    exchange = visitor.exchange
    side = acting_side(actor, exchange)
    if exchange.state not in (State.PROPOSED, *PLANNING_STATES):
        raise ValidationError(_("The visitors of a closed exchange cannot change."))
    audit_record(
        actor=actor, action="exchange.visitor-removed", obj=visitor, before=_visitor_data(visitor),
        organisation_id=side,
    )  # fmt: skip
    visitor.delete()


def _item_data(item: ProgrammeItem) -> dict[str, Any]:
    data = {f: getattr(item, f) for f in ITEM_FIELDS}
    for name in ("starts_at", "ends_at"):
        if isinstance(data[name], time):
            data[name] = data[name].isoformat(timespec="minutes")
    data["visitors"] = sorted(v.pk for v in item.visitors.all()) if item.pk else []
    return data


@transaction.atomic
def programme_item_save(
    *, actor: AnyUser, exchange: Exchange, data: dict[str, Any], item: ProgrammeItem | None = None
) -> ProgrammeItem:
    """Add or change an agenda item: within the exchange's days, ending after it starts,
    for the whole group or for some visitors."""
    side = acting_side(actor, exchange)
    _editable(exchange, PLANNING_STATES, _("The programme"))
    if item is not None and item.exchange_id != exchange.pk:
        raise ValidationError(_("No such programme item."))
    before = _item_data(item) if item else {}
    item = item or ProgrammeItem(exchange=exchange)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name] if data[name] is not None else "")
    item.full_clean(exclude=["visitors"])
    if not (exchange.start <= item.day <= exchange.end):
        raise ValidationError(
            {"day": _("The day must be between the first and the last day of the exchange.")}
        )
    if item.ends_at <= item.starts_at:
        raise ValidationError({"ends_at": _("The item must end after it starts.")})
    item.save()
    if "visitors" in data:
        chosen = list(exchange.visitors.filter(pk__in=[int(v) for v in data["visitors"] or []]))
        if len(chosen) != len(set(data["visitors"] or [])):
            raise ValidationError({"visitors": _("Choose visitors of this exchange.")})
        item.visitors.set(chosen)
    audit_record(
        actor=actor, action="exchange.programme-saved", obj=item, before=before, after=_item_data(item),
        organisation_id=side,
    )  # fmt: skip
    return item


@transaction.atomic
def programme_item_remove(*, actor: AnyUser, item: ProgrammeItem) -> None:
    side = acting_side(actor, item.exchange)
    _editable(item.exchange, PLANNING_STATES, _("The programme"))
    audit_record(
        actor=actor,
        action="exchange.programme-removed",
        obj=item,
        before=_item_data(item),
        organisation_id=side,
    )
    item.delete()


def programme_for(exchange: Exchange, visitor: Visitor | None = None) -> list[ProgrammeItem]:
    """The agenda, or one visitor's agenda: items for everybody plus the items assigned to them."""
    items = list(exchange.programme.prefetch_related("visitors"))
    if visitor is None:
        return items
    return [i for i in items if not i.visitors.all() or visitor in i.visitors.all()]


def log_visitor_reads(*, user: AnyUser, exchange: Exchange, purpose: str, path: str = "") -> None:
    """Every view of visitors' details is written to the personal-data access log."""
    for visitor in exchange.visitors.all():
        access_log_record(
            user=user, subject=visitor, fields=["name", "role", "learning_goals"], purpose=purpose, path=path
        )

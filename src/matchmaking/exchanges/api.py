"""API endpoints for exchanges: the list, the state changes, and inside one exchange its visitors
(mobility records), the programme and the changes of dates. The proposal and the thread are in
``api_proposals``, the report in ``api_reports``, the story in the library's API.

Visitors and the programme are for the two organisations of the exchange (anyone else: 404); every
read of visitors' details goes to the personal-data access log. The "fewer opportunities" flag is shown
to the sending organisation only, never to the host, and its reasons are not recorded at all.
"""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from matchmaking.core.api_schemas import (
    MAX_ID,
    ErrorOut,
    FieldErrorsOut,
    ListPaging,
    LocalTime,
    Shown,
    no_nul_characters,
)
from matchmaking.exchanges import changes as exchange_changes
from matchmaking.exchanges import flags as exchange_flags
from matchmaking.exchanges import programme as programme_services
from matchmaking.exchanges import selectors
from matchmaking.exchanges import services as exchange_services
from matchmaking.exchanges.access import (
    access_change_for_answer,
    access_exchange,
    access_exchange_for_action,
    can_see_fewer_opportunities,
)
from matchmaking.exchanges.models import Exchange, ExchangeChange, ProgrammeItem, Visitor

router = Router(tags=["exchanges"])


class ExchangeOut(Schema):
    id: int
    title: str
    host: str
    visitor: str
    type: str
    start: date
    end: date
    group_size: int
    state: str
    state_reason: str
    funding: str
    activity_code: str
    time_zone: str
    green_travel: bool
    blended: bool
    force_majeure: bool


class FlagsIn(Schema):
    green_travel: bool
    blended: bool
    force_majeure: bool


class ActionIn(Schema):
    reason: str = ""


class VisitorOut(Schema):
    id: int
    name: str
    email: str
    role: str
    learning_goals: str
    kind: str
    accompanying: bool
    fewer_opportunities: bool | None = Field(
        None, description="Shown to the sending organisation only (null for the host)."
    )
    start: date | None
    end: date | None


class VisitorIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    role: str = Field("", max_length=200)
    learning_goals: str = Field("", max_length=5000)
    kind: str = Field("staff", max_length=20, description="staff, vet-learner, apprentice or adult-learner")
    accompanying: bool = False
    fewer_opportunities: bool = Field(False, description="Only the sending organisation may set it.")
    start: date | None = None
    end: date | None = None


class VisitorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    role: str | None = Field(None, max_length=200)
    learning_goals: str | None = Field(None, max_length=5000)
    kind: str | None = Field(None, max_length=20)
    accompanying: bool | None = None
    fewer_opportunities: bool | None = None
    start: date | None = None
    end: date | None = None


def _naive(value: time | None) -> time | None:
    if value is not None and value.tzinfo is not None:
        raise ValueError("give the time in the host's time zone, without an offset")
    return value


class ProgrammeItemOut(Schema):
    id: int
    day: date
    starts_at: LocalTime
    ends_at: LocalTime
    activity: str
    format: str
    host_person: str
    location: str
    notes: str
    visitors: list[int] = Field(description="Visitor ids the item is for; empty for the whole group.")


class ProgrammeItemIn(Schema):
    day: date
    starts_at: LocalTime
    ends_at: LocalTime
    activity: str = Field(..., min_length=1, max_length=200)
    format: str = Field("meeting", max_length=20)
    host_person: str = Field("", max_length=150)
    location: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    visitors: list[int] = Field(default_factory=list, max_length=500)

    _no_offset = field_validator("starts_at", "ends_at")(_naive)

    @field_validator("visitors")
    @classmethod
    def _ids(cls, value: list[int]) -> list[int]:
        if any(not 0 < v < MAX_ID for v in value):
            raise ValueError("unknown visitor id")
        return value


class ProgrammeItemPatch(Schema):
    day: date | None = None
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None
    activity: str | None = Field(None, min_length=1, max_length=200)
    format: str | None = Field(None, max_length=20)
    host_person: str | None = Field(None, max_length=150)
    location: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=5000)
    visitors: list[int] | None = Field(None, max_length=500)

    _no_offset = field_validator("starts_at", "ends_at")(_naive)

    @field_validator("visitors")
    @classmethod
    def _ids(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(not 0 < v < MAX_ID for v in value):
            raise ValueError("unknown visitor id")
        return value


# --- helpers ----------------------------------------------------------------------------------------


def exchange_for_action(request: HttpRequest, exchange_id: int) -> Exchange:
    """The exchange, for one of its two organisations; anyone else (coordinators too) gets a 404."""
    if not 0 < exchange_id < MAX_ID:
        raise Http404
    return access_exchange_for_action(request.user, exchange_id)


def exchange_for_reading(request: HttpRequest, exchange_id: int) -> Exchange:
    if not 0 < exchange_id < MAX_ID:
        raise Http404
    return access_exchange(request.user, exchange_id)


def _visitor(exchange: Exchange, visitor_id: int) -> Visitor:
    found = (
        selectors.exchange_visitor(exchange=exchange, visitor_id=visitor_id)
        if 0 < visitor_id < MAX_ID
        else None
    )
    if found is None:
        raise Http404
    return found


def _item(exchange: Exchange, item_id: int) -> ProgrammeItem:
    found = (
        selectors.exchange_programme_item(exchange=exchange, item_id=item_id)
        if 0 < item_id < MAX_ID
        else None
    )
    if found is None:
        raise Http404
    return found


def exchange_out(e: Exchange) -> dict[str, Any]:
    return {
        "id": e.pk, "title": e.title, "host": e.host.key, "visitor": e.visitor.key, "type": e.type.code,
        "start": e.start, "end": e.end, "group_size": e.group_size, "state": e.state,
        "state_reason": e.state_reason, "funding": e.funding, "activity_code": e.activity_code,
        "time_zone": e.time_zone, "green_travel": e.green_travel, "blended": e.blended,
        "force_majeure": e.force_majeure,
    }  # fmt: skip


def _visitor_out(visitor: Visitor, show_flag: bool) -> dict[str, Any]:
    return {
        "id": visitor.pk, "name": visitor.name, "email": visitor.email, "role": visitor.role,
        "learning_goals": visitor.learning_goals, "kind": visitor.kind, "accompanying": visitor.accompanying,
        "fewer_opportunities": visitor.fewer_opportunities if show_flag else None,
        "start": visitor.start, "end": visitor.end,
    }  # fmt: skip


def _item_out(item: ProgrammeItem) -> dict[str, Any]:
    return {
        "id": item.pk, "day": item.day, "starts_at": item.starts_at, "ends_at": item.ends_at,
        "activity": item.activity, "format": item.format, "host_person": item.host_person,
        "location": item.location, "notes": item.notes,
        "visitors": sorted(v.pk for v in item.visitors.all()),
    }  # fmt: skip


def _visitor_data(request: HttpRequest, exchange: Exchange, data: dict[str, Any]) -> dict[str, Any]:
    """Checks the input; the "fewer opportunities" flag is the sending organisation's to set."""
    no_nul_characters(data)
    flag_owner = can_see_fewer_opportunities(request.user, exchange)
    if data.get("fewer_opportunities") and not flag_owner:
        raise ValidationError({"fewer_opportunities": "Only the sending organisation records this flag."})
    if not flag_owner:
        data.pop("fewer_opportunities", None)
    return data


def _save_visitor(
    request: HttpRequest, exchange: Exchange, data: dict[str, Any], visitor: Visitor | None
) -> dict[str, Any]:
    data = _visitor_data(request, exchange, data)
    visitor = programme_services.visitor_save(
        actor=request.user, exchange=exchange, data=data, visitor=visitor
    )
    return _visitor_out(visitor, can_see_fewer_opportunities(request.user, exchange))


def _save_item(
    request: HttpRequest, exchange: Exchange, data: dict[str, Any], item: ProgrammeItem | None
) -> dict[str, Any]:
    no_nul_characters(data)
    item = programme_services.programme_item_save(actor=request.user, exchange=exchange, data=data, item=item)
    return _item_out(item)


# --- Exchanges --------------------------------------------------------------------------------------


@router.get("/exchanges/{exchange_id}", response={200: ExchangeOut, 404: ErrorOut})
def exchange_detail(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    return exchange_out(exchange_for_reading(request, exchange_id))


# --- Visitors ---------------------------------------------------------------------------------------


@router.get("/exchanges/{exchange_id}/visitors", response={200: list[VisitorOut], 404: ErrorOut})
@paginate(ListPaging)
def visitor_list(request: HttpRequest, exchange_id: int) -> Shown[Visitor]:
    """The people travelling, with their job-shadowing profile (the two organisations only)."""
    exchange = exchange_for_action(request, exchange_id)
    programme_services.log_visitor_reads(
        user=request.user, exchange=exchange, purpose="api: visitors", path=request.path
    )
    show = can_see_fewer_opportunities(request.user, exchange)
    return Shown(exchange.visitors.all(), lambda v: _visitor_out(v, show))


@router.post(
    "/exchanges/{exchange_id}/visitors",
    response={201: VisitorOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def visitor_create(request: HttpRequest, exchange_id: int, payload: VisitorIn) -> Status[dict[str, Any]]:
    exchange = exchange_for_action(request, exchange_id)
    return Status(201, _save_visitor(request, exchange, payload.dict(), None))


@router.patch(
    "/exchanges/{exchange_id}/visitors/{visitor_id}",
    response={200: VisitorOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def visitor_update(
    request: HttpRequest, exchange_id: int, visitor_id: int, payload: VisitorPatch
) -> dict[str, Any]:
    exchange = exchange_for_action(request, exchange_id)
    visitor = _visitor(exchange, visitor_id)
    data = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in ("start", "end")
    }
    return _save_visitor(request, exchange, data, visitor)


@router.delete(
    "/exchanges/{exchange_id}/visitors/{visitor_id}", response={204: None, 404: ErrorOut, 409: ErrorOut}
)
def visitor_delete(request: HttpRequest, exchange_id: int, visitor_id: int) -> Status[None]:
    exchange = exchange_for_action(request, exchange_id)
    programme_services.visitor_remove(actor=request.user, visitor=_visitor(exchange, visitor_id))
    return Status(204, None)


# --- Programme --------------------------------------------------------------------------------------


@router.get("/exchanges/{exchange_id}/programme", response={200: list[ProgrammeItemOut], 404: ErrorOut})
@paginate(ListPaging)
def programme_list(
    request: HttpRequest, exchange_id: int, visitor: int | None = None
) -> Shown[ProgrammeItem]:
    """The agenda, in the host's time zone (see the exchange's ``time_zone``); ``visitor``: one person's."""
    exchange = exchange_for_action(request, exchange_id)
    chosen = _visitor(exchange, visitor) if visitor is not None else None
    return Shown(programme_services.programme_for(exchange, chosen), _item_out)


@router.post(
    "/exchanges/{exchange_id}/programme",
    response={201: ProgrammeItemOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def programme_create(
    request: HttpRequest, exchange_id: int, payload: ProgrammeItemIn
) -> Status[dict[str, Any]]:
    exchange = exchange_for_action(request, exchange_id)
    return Status(201, _save_item(request, exchange, payload.dict(), None))


@router.patch(
    "/exchanges/{exchange_id}/programme/{item_id}",
    response={200: ProgrammeItemOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def programme_update(
    request: HttpRequest, exchange_id: int, item_id: int, payload: ProgrammeItemPatch
) -> dict[str, Any]:
    exchange = exchange_for_action(request, exchange_id)
    item = _item(exchange, item_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return _save_item(request, exchange, data, item)


@router.delete(
    "/exchanges/{exchange_id}/programme/{item_id}", response={204: None, 404: ErrorOut, 409: ErrorOut}
)
def programme_delete(request: HttpRequest, exchange_id: int, item_id: int) -> Status[None]:
    exchange = exchange_for_action(request, exchange_id)
    programme_services.programme_item_remove(actor=request.user, item=_item(exchange, item_id))
    return Status(204, None)


# --- Changes of dates and group size ---------------------------------------------------------------


class ChangeIn(Schema):
    start: date
    end: date
    group_size: int = Field(..., ge=1, le=500)


class ChangeOut(Schema):
    id: int
    proposed_by: str = Field(description="The organisation that proposed the change.")
    values: dict[str, dict[str, Any]] = Field(description='Field → {"old": …, "new": …}.')
    state: str = Field(description="pending, accepted or refused")
    answer_reason: str
    created_at: datetime


def _change_out(change: ExchangeChange) -> dict[str, Any]:
    return {
        "id": change.pk, "proposed_by": change.proposed_by.key, "values": change.values,
        "state": change.state, "answer_reason": change.answer_reason, "created_at": change.created_at,
    }  # fmt: skip


@router.get("/exchanges/{exchange_id}/changes", response={200: list[ChangeOut], 404: ErrorOut})
@paginate(ListPaging)
def change_list(request: HttpRequest, exchange_id: int) -> Shown[ExchangeChange]:
    """Changes of dates or group size proposed after agreement, newest first (the two organisations)."""
    exchange = exchange_for_action(request, exchange_id)
    return Shown(exchange.changes.select_related("proposed_by"), _change_out)


@router.post(
    "/exchanges/{exchange_id}/changes",
    response={200: ExchangeOut, 201: ChangeOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def change_propose(request: HttpRequest, exchange_id: int, payload: ChangeIn) -> Status[dict[str, Any]]:
    """New dates or group size. While proposed: applied at once (200, the exchange). Once agreed: a
    counter-proposal the other organisation accepts or refuses (201, the change); the agreed values stay
    until then."""
    exchange = exchange_for_action(request, exchange_id)
    result = exchange_changes.exchange_update(
        actor=request.user, exchange=exchange, start=payload.start, end=payload.end,
        group_size=payload.group_size,
    )  # fmt: skip
    if isinstance(result, ExchangeChange):
        return Status(201, _change_out(result))
    return Status(200, exchange_out(result))


@router.post(
    "/exchanges/{exchange_id}/changes/{change_id}/{answer}",
    response={200: ChangeOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def change_answer(
    request: HttpRequest, exchange_id: int, change_id: int, answer: str, payload: ActionIn
) -> dict[str, Any]:
    """``accept`` (the change is applied) or ``refuse``: the organisation that did not propose it only
    (anyone else: 404)."""
    if answer not in ("accept", "refuse") or not 0 < change_id < MAX_ID:
        raise Http404
    exchange = exchange_for_action(request, exchange_id)
    change = access_change_for_answer(request.user, exchange, change_id)
    change = exchange_changes.exchange_change_answer(
        actor=request.user, change=change, accept=answer == "accept", reason=payload.reason
    )
    return _change_out(change)


@router.put("/exchanges/{exchange_id}/flags", response={200: ExchangeOut, 404: ErrorOut, 409: ErrorOut})
def flags_set(request: HttpRequest, exchange_id: int, payload: FlagsIn) -> dict[str, Any]:
    """The Erasmus+ reporting flags (green travel, blended, force majeure): either organisation."""
    exchange = exchange_for_action(request, exchange_id)
    exchange = exchange_flags.exchange_flags_set(actor=request.user, exchange=exchange, **payload.dict())
    return exchange_out(exchange)


# --- State changes ----------------------------------------------------------------------------------
# Last: "/exchanges/{id}/{action}" would otherwise catch ".../visitors" and ".../programme".


@router.post(
    "/exchanges/{exchange_id}/{action}",
    response={200: ExchangeOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def exchange_action(request: HttpRequest, exchange_id: int, action: str, payload: ActionIn) -> dict[str, Any]:
    """Accept, decline, plan, confirm, start, complete, report or cancel (decline, cancel: give a reason).

    A step the exchange is not ready for is a 409 with the reason; a missing reason a 422."""
    if not 0 < exchange_id < MAX_ID or action not in exchange_services.TRANSITIONS:
        raise Http404
    exchange = access_exchange_for_action(request.user, exchange_id)
    exchange = exchange_services.exchange_transition(
        actor=request.user, exchange=exchange, action=action, reason=payload.reason
    )
    return exchange_out(exchange)

"""API endpoints for offers and requests, suggestions, exchanges and good-practice stories.

The same permission module and selectors as the web pages; another organisation's object is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from matchmaking import permissions
from matchmaking.api.errors import FieldErrorsOut, field_errors, no_nul_characters
from matchmaking.api.schemas import ErrorOut
from matchmaking.exchanges import selectors as exchange_selectors
from matchmaking.exchanges import services as exchange_services
from matchmaking.library import selectors as library_selectors
from matchmaking.mobility import selectors
from matchmaking.mobility import services as mobility_services
from matchmaking.mobility.services import opportunity_full_data

router = Router(tags=["mobility"])


class OpportunityOut(Schema):
    id: str
    organisation: str
    type: str
    direction: str
    topics: list[str]
    target_groups: list[str]
    languages: list[str]
    earliest: date | None
    latest: date | None
    duration_days: int
    group_size: int
    description: str
    funding: str
    activity_code: str
    support_offered: list[str]
    support_notes: str
    status: str


def _codes() -> Any:
    return Field(default_factory=list, max_length=60)


class OpportunityIn(Schema):
    """A new offer or request; ``status`` is ``open`` (published) or ``draft``."""

    organisation: str = Field(..., min_length=1, max_length=100)
    type: str = Field(..., min_length=1, max_length=60)
    direction: str = Field(..., min_length=1, max_length=10)
    topics: list[str] = _codes()
    target_groups: list[str] = _codes()
    languages: list[str] = _codes()
    earliest: date | None = None
    latest: date | None = None
    duration_days: int = Field(1, ge=1, le=366)
    group_size: int = Field(1, ge=1, le=500)
    description: str = Field("", max_length=20000)
    funding: str = Field("", max_length=20)
    activity_code: str = Field("", max_length=20)
    support_offered: list[str] = _codes()
    support_notes: str = Field("", max_length=5000)
    status: str = Field("open", max_length=10)


class OpportunityPatch(Schema):
    """Only the fields sent change; ``earliest`` and ``latest`` may be set to null."""

    type: str | None = Field(None, min_length=1, max_length=60)
    direction: str | None = Field(None, min_length=1, max_length=10)
    topics: list[str] | None = Field(None, max_length=60)
    target_groups: list[str] | None = Field(None, max_length=60)
    languages: list[str] | None = Field(None, max_length=60)
    earliest: date | None = None
    latest: date | None = None
    duration_days: int | None = Field(None, ge=1, le=366)
    group_size: int | None = Field(None, ge=1, le=500)
    description: str | None = Field(None, max_length=20000)
    funding: str | None = Field(None, max_length=20)
    activity_code: str | None = Field(None, max_length=20)
    support_offered: list[str] | None = Field(None, max_length=60)
    support_notes: str | None = Field(None, max_length=5000)


class StatusIn(Schema):
    status: str = Field(..., max_length=10, description="open, paused or closed (see the allowed changes)")
    reason: str = Field("", max_length=2000)


class OpportunityQuery(Schema):
    q: str = ""
    direction: str = ""
    type: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""
    country: str = ""
    funding: str = ""
    limit: int = 50
    offset: int = 0


class SuggestionOut(Schema):
    rank: int
    organisation: str
    opportunity: str | None
    score: float
    parts: list[dict[str, Any]]
    reasons: list[dict[str, Any]]


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


class StoryQuery(Schema):
    q: str = ""
    topic: str = ""
    country: str = ""
    type: str = ""
    limit: int = 50
    offset: int = 0


class ActionIn(Schema):
    reason: str = ""


class StoryOut(Schema):
    slug: str
    title: str
    host: str
    visitor: str
    type: str
    start: date
    end: date
    summary: str
    host_lessons: list[str]
    visitor_lessons: list[str]
    topics: list[str]


def _opportunity(o: Any) -> dict[str, Any]:
    return {"id": o.key, "organisation": o.organisation.key, **opportunity_full_data(o)}


def _exchange(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk, "title": e.title, "host": e.host.key, "visitor": e.visitor.key, "type": e.type.code,
        "start": e.start, "end": e.end, "group_size": e.group_size, "state": e.state,
        "state_reason": e.state_reason, "funding": e.funding, "activity_code": e.activity_code,
        "time_zone": e.time_zone,
    }  # fmt: skip


def _story(s: Any) -> dict[str, Any]:
    e = s.exchange
    return {
        "slug": s.slug, "title": s.title, "host": e.host.key, "visitor": e.visitor.key, "type": e.type.code,
        "start": e.start, "end": e.end, "summary": s.summary, "host_lessons": s.host_lesson_list(),
        "visitor_lessons": s.visitor_lesson_list(), "topics": sorted(t.code for t in s.topics.all()),
    }  # fmt: skip


def _page(limit: int, offset: int) -> slice:
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 1_000_000))
    return slice(offset, offset + limit)


@router.get("/opportunities", response=list[OpportunityOut])
def opportunity_list(request: HttpRequest, filters: Query[OpportunityQuery]) -> list[dict[str, Any]]:
    f = selectors.OpportunityFilters.from_dict(filters.dict())
    qs = selectors.opportunity_list(user=request.user, filters=f).prefetch_related("target_groups")
    return [_opportunity(o) for o in qs[_page(filters.limit, filters.offset)]]


@router.get("/opportunities/{key}", response={200: OpportunityOut, 404: ErrorOut})
def opportunity_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    return _opportunity(permissions.access_opportunity(request.user, key))


@router.post("/opportunities", response={201: OpportunityOut, 404: ErrorOut, 422: FieldErrorsOut})
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Any:
    """Post an offer or a request for one of your organisations (another organisation: 404)."""
    data = payload.dict()
    organisation = permissions.access_organisation(request.user, data.pop("organisation"))
    if not permissions.can_post_opportunities(request.user, organisation):
        raise Http404
    try:
        no_nul_characters(data)
        opportunity = mobility_services.opportunity_create(
            actor=request.user, organisation=organisation, data=data
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return field_errors(exc)
    return 201, _opportunity(opportunity)


@router.patch("/opportunities/{key}", response={200: OpportunityOut, 404: ErrorOut, 422: FieldErrorsOut})
def opportunity_update(request: HttpRequest, key: str, payload: OpportunityPatch) -> Any:
    """Change an offer or request of your organisation: only the fields sent."""
    opportunity = permissions.access_opportunity_for_edit(request.user, key)
    nullable = ("earliest", "latest")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    try:
        no_nul_characters(data)
        opportunity = mobility_services.opportunity_update(
            actor=request.user, opportunity=opportunity, data=data
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return field_errors(exc)
    return 200, _opportunity(opportunity)


@router.post(
    "/opportunities/{key}/status",
    response={200: OpportunityOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def opportunity_status(request: HttpRequest, key: str, payload: StatusIn) -> Any:
    """Publish, pause, close or reopen; a change that is not allowed now is a 409 with the reason."""
    opportunity = permissions.access_opportunity_for_edit(request.user, key)
    try:
        no_nul_characters({"reason": payload.reason})
        opportunity = mobility_services.opportunity_set_status(
            actor=request.user, opportunity=opportunity, status=payload.status, reason=payload.reason
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return field_errors(exc)
        return 409, {"detail": " ".join(exc.messages)}
    return 200, _opportunity(opportunity)


@router.get("/opportunities/{key}/suggestions", response={200: list[SuggestionOut], 404: ErrorOut})
def opportunity_suggestions(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    opportunity = permissions.access_opportunity_for_edit(request.user, key)
    return [
        {
            "rank": s.rank,
            "organisation": s.organisation.key,
            "opportunity": s.their_opportunity.key if s.their_opportunity else None,
            "score": s.score,
            "parts": s.parts,
            "reasons": s.reasons,
        }
        for s in selectors.suggestion_list(opportunity=opportunity)
    ]


@router.get("/exchanges", response=list[ExchangeOut])
def exchange_list(
    request: HttpRequest, state: str = "", limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    qs = exchange_selectors.exchange_list(user=request.user, state=state[:20])
    return [_exchange(e) for e in qs[_page(limit, offset)]]


@router.get("/exchanges/{exchange_id}", response={200: ExchangeOut, 404: ErrorOut})
def exchange_detail(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    if not 0 < exchange_id < 2**62:
        raise Http404
    return _exchange(permissions.access_exchange(request.user, exchange_id))


@router.post("/exchanges/{exchange_id}/{action}", response={200: ExchangeOut, 404: ErrorOut, 409: ErrorOut})
def exchange_action(request: HttpRequest, exchange_id: int, action: str, payload: ActionIn) -> Any:
    """Accept, decline, plan, confirm, start, complete, report or cancel (decline, cancel: give a reason)."""
    if not 0 < exchange_id < 2**62 or action not in exchange_services.TRANSITIONS:
        raise Http404
    exchange = permissions.access_exchange_for_action(request.user, exchange_id)
    try:
        exchange = exchange_services.exchange_transition(
            actor=request.user, exchange=exchange, action=action, reason=payload.reason
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return 409, {"detail": " ".join(exc.messages)}
    return 200, _exchange(exchange)


@router.get("/stories", response=list[StoryOut], auth=None)
def story_list(request: HttpRequest, filters: Query[StoryQuery]) -> list[dict[str, Any]]:
    f = library_selectors.StoryFilters(
        query=filters.q[:200], topic=filters.topic[:60], country=filters.country[:2], type=filters.type[:60]
    )
    return [_story(s) for s in library_selectors.story_list(filters=f)[_page(filters.limit, filters.offset)]]


@router.get("/stories/{slug}", response={200: StoryOut, 404: ErrorOut}, auth=None)
def story_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _story(permissions.access_story(request.user, slug))

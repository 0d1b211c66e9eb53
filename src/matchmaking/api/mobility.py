"""API endpoints for offers and requests, suggestions, exchanges and good-practice stories.

The same permission module and selectors as the web pages; another organisation's object is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from matchmaking import permissions
from matchmaking.api.schemas import ErrorOut
from matchmaking.exchanges import selectors as exchange_selectors
from matchmaking.exchanges import services as exchange_services
from matchmaking.library import selectors as library_selectors
from matchmaking.mobility import selectors
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

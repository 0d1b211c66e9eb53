"""API endpoints for the public library of good-practice stories (no login needed)."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from matchmaking.core.api_schemas import MAX_ID, ErrorOut, Paging, Shown
from matchmaking.exchanges.access import access_exchange
from matchmaking.library import selectors
from matchmaking.library.access import access_story, can_view_story
from matchmaking.library.models import Story

router = Router(tags=["library"])


class StoryQuery(Schema):
    q: str = ""
    topic: str = ""
    country: str = ""
    type: str = ""


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


def _story(s: Story) -> dict[str, Any]:
    e = s.exchange
    return {
        "slug": s.slug, "title": s.title, "host": e.host.key, "visitor": e.visitor.key, "type": e.type.code,
        "start": e.start, "end": e.end, "summary": s.summary, "host_lessons": s.host_lesson_list(),
        "visitor_lessons": s.visitor_lesson_list(), "topics": sorted(t.code for t in s.topics.all()),
    }  # fmt: skip


@router.get("/stories", response=list[StoryOut], auth=None)
@paginate(Paging)
def story_list(request: HttpRequest, filters: Query[StoryQuery]) -> Shown[Story]:
    f = selectors.StoryFilters(
        query=filters.q[:200], topic=filters.topic[:60], country=filters.country[:2], type=filters.type[:60]
    )
    return Shown(selectors.story_list(filters=f), _story)


@router.get("/stories/{slug}", response={200: StoryOut, 404: ErrorOut}, auth=None)
def story_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _story(access_story(request.user, slug))


class ExchangeStoryOut(Schema):
    slug: str
    title: str
    status: str
    summary: str
    outcomes: str
    host_lessons: list[str]
    visitor_lessons: list[str]
    topics: list[str]
    host_approved: bool
    visitor_approved: bool
    published_at: datetime | None = None


@router.get("/exchanges/{exchange_id}/story", response={200: ExchangeStoryOut, 404: ErrorOut})
def exchange_story(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    """The exchange's good-practice story, draft or published (404 until one is written)."""
    if not 0 < exchange_id < MAX_ID:
        raise Http404
    exchange = access_exchange(request.user, exchange_id)
    story = getattr(exchange, "story", None)
    if story is None or not can_view_story(request.user, story):
        raise Http404
    return {
        "slug": story.slug, "title": story.title, "status": story.status, "summary": story.summary,
        "outcomes": story.outcomes, "host_lessons": story.host_lesson_list(),
        "visitor_lessons": story.visitor_lesson_list(),
        "topics": sorted(t.code for t in story.topics.all()),
        "host_approved": story.host_approved_at is not None,
        "visitor_approved": story.visitor_approved_at is not None,
        "published_at": story.published_at,
    }  # fmt: skip

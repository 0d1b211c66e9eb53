"""API endpoints for the public library of good-practice stories (no login needed)."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from matchmaking import permissions
from matchmaking.core.api_schemas import ErrorOut, Paging, Shown
from matchmaking.library import selectors

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


def _story(s: Any) -> dict[str, Any]:
    e = s.exchange
    return {
        "slug": s.slug, "title": s.title, "host": e.host.key, "visitor": e.visitor.key, "type": e.type.code,
        "start": e.start, "end": e.end, "summary": s.summary, "host_lessons": s.host_lesson_list(),
        "visitor_lessons": s.visitor_lesson_list(), "topics": sorted(t.code for t in s.topics.all()),
    }  # fmt: skip


@router.get("/stories", response=list[StoryOut], auth=None)
@paginate(Paging)
def story_list(request: HttpRequest, filters: Query[StoryQuery]) -> Any:
    f = selectors.StoryFilters(
        query=filters.q[:200], topic=filters.topic[:60], country=filters.country[:2], type=filters.type[:60]
    )
    return Shown(selectors.story_list(filters=f), _story)


@router.get("/stories/{slug}", response={200: StoryOut, 404: ErrorOut}, auth=None)
def story_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _story(permissions.access_story(request.user, slug))

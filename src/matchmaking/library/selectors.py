"""Read paths of the good-practice library: published stories for everybody, drafts for their authors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from matchmaking.library import search
from matchmaking.library.models import Story
from matchmaking.permissions.roles import AnyUser, roles_of


@dataclass(frozen=True)
class StoryFilters:
    query: str = ""
    topic: str = ""
    country: str = ""
    type: str = ""
    year: int | None = None


def story_list(*, filters: StoryFilters | None = None) -> QuerySet[Story]:
    """Published stories, searchable by keyword and filtered by topic, country, type and year."""
    f = filters or StoryFilters()
    qs = Story.objects.filter(status=Story.Status.PUBLISHED)
    if f.topic:
        qs = qs.filter(topics__code=f.topic)
    if f.country:
        qs = qs.filter(Q(exchange__host__country=f.country) | Q(exchange__visitor__country=f.country))
    if f.type:
        qs = qs.filter(exchange__type__code=f.type)
    if f.year:
        qs = qs.filter(exchange__start__year=f.year)
    if f.query.strip():
        qs = Story.objects.filter(pk__in=search.matching_story_ids(qs, f.query))
    ids = qs.values("pk")
    return (
        Story.objects.filter(pk__in=ids)
        .select_related("exchange", "exchange__host", "exchange__visitor", "exchange__type")
        .prefetch_related("topics")
        .order_by("-exchange__start", "pk")
    )


def story_facets() -> dict[str, Any]:
    published = Story.objects.filter(status=Story.Status.PUBLISHED)
    countries = set(published.values_list("exchange__host__country", flat=True)) | set(
        published.values_list("exchange__visitor__country", flat=True)
    )
    years = sorted({d.year for d in published.values_list("exchange__start", flat=True)}, reverse=True)
    return {"countries": sorted(countries), "years": years}


def draft_stories(*, user: AnyUser) -> QuerySet[Story]:

    own = list(roles_of(user).keys())
    return (
        Story.objects.filter(status=Story.Status.DRAFT)
        .filter(Q(exchange__host_id__in=own) | Q(exchange__visitor_id__in=own))
        .select_related("exchange__host", "exchange__visitor")
    )


def quotes_for(story: Story) -> QuerySet[Any]:
    """Only quotes whose authors agreed to publication."""
    return story.exchange.testimonials.filter(consent=True).select_related("organisation")

"""Library list pages (published stories, their search, one's drafts) run as many SQL queries with 12 rows
as with 2."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import State
from matchmaking.library.models import Story
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange, pair, topics
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    host, _, _, _, host_user, _ = pair()
    return {"host": host, "host_user": host_user}


def _stories(world, status: str):
    host = world["host"]

    def grow(n: int) -> list[str]:
        while Story.objects.filter(status=status).count() < n:
            i = Story.objects.count()
            visitor = OrganisationFactory(name=f"Visiting town {i:02d}", country="PT")
            start = timezone.localdate() - timedelta(days=400 + 7 * i)
            ex = exchange(host, visitor, state=State.REPORTED, start=start)
            story = Story.objects.create(
                exchange=ex,
                slug=f"harbour-story-{i:02d}",
                title=f"Harbour story number {i:02d}",
                summary="What the visitors learnt about early outreach.",
                host_lessons="Outreach works best in the street.",
                status=status,
                published_at=timezone.now() if status == Story.Status.PUBLISHED else None,
            )
            story.topics.set(topics("early-outreach", "skills-mapping"))
        return [s.title for s in Story.objects.filter(status=status)]

    return grow


def test_story_list(client, world):
    client.force_login(world["host_user"])
    assert_same_queries(client, reverse("library:story-list"), _stories(world, Story.Status.PUBLISHED))


def test_story_list_without_login(client, world):
    assert_same_queries(client, reverse("library:story-list"), _stories(world, Story.Status.PUBLISHED))


def test_story_search(client, world):
    client.force_login(world["host_user"])
    url = reverse("library:story-list") + "?q=harbour&topic=early-outreach&country=PT"
    assert_same_queries(client, url, _stories(world, Story.Status.PUBLISHED))


def test_story_search_htmx(client, world):
    client.force_login(world["host_user"])
    url = reverse("library:story-list") + "?q=outreach"
    assert_same_queries(client, url, _stories(world, Story.Status.PUBLISHED), HTTP_HX_REQUEST="true")


def test_drafts_on_the_story_list(client, world):
    client.force_login(world["host_user"])
    assert_same_queries(client, reverse("library:story-list"), _stories(world, Story.Status.DRAFT))

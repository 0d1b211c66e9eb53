"""The library's search ignores case and accents and reads the title, the texts, the topics in every
language, and the organisations' names, cities and regions; the public home page links to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import State
from matchmaking.library import selectors
from matchmaking.library.models import Story
from matchmaking.taxonomies.models import Region
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange, topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    host = OrganisationFactory(
        name="Youth guidance Borås", city="Borås", region=Region.objects.get(code="SE23")
    )
    barcelona = OrganisationFactory(
        name="Escola Nova", country="ES", city="Barcelona", region=Region.objects.get(code="ES51")
    )
    porto = OrganisationFactory(name="Porto works", country="PT", city="Porto")
    start = timezone.localdate() - timedelta(days=400)
    made = {}
    for n, (visitor, title, summary, codes) in enumerate(
        [
            (barcelona, "Listening first", "Counsellors learnt trauma-aware talks.", ["early-outreach"]),
            (porto, "Maps of skills", "Upper secondary pupils mapped their skills.", ["skills-mapping"]),
        ]
    ):
        story = Story.objects.create(
            exchange=exchange(
                host if n == 0 else porto, visitor if n == 0 else host, state=State.REPORTED, start=start
            ),
            slug=f"story-{n}",
            title=title,
            summary=summary,
            status=Story.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        story.topics.set(topics(*codes))
        made[title] = story
    return made


def _found(query: str, **filters) -> set[str]:
    return {s.title for s in selectors.story_list(filters=selectors.StoryFilters(query=query, **filters))}


@pytest.mark.parametrize("query", ["trauma", "TRAUMA aware"])
def test_text(stories, query):
    assert _found(query) == {"Listening first"}


def test_upper_secondary_and_title(stories):
    assert _found("upper secondary") == {"Maps of skills"}
    assert _found("maps skills") == {"Maps of skills"}


def test_city_region_and_country(stories):
    assert _found("Barcelona") == {"Listening first"}
    assert _found("cataluna") == {"Listening first"}
    assert _found("ES51") == {"Listening first"}
    assert _found("boras") == {"Listening first", "Maps of skills"}
    assert _found("vastsverige porto") == {"Maps of skills"}
    assert _found("Portugal") == {"Maps of skills"}
    assert _found("escola nova") == {"Listening first"}


def test_topics_in_every_language(stories):
    assert _found("kompetenskartlaggning") == {"Maps of skills"}  # Swedish label of skills mapping
    assert _found("early outreach") == {"Listening first"}


def test_with_other_filters(stories):
    assert _found("boras", topic="skills-mapping") == {"Maps of skills"}
    assert _found("barcelona", topic="skills-mapping") == set()
    assert _found("nothing-like-this") == set()


def test_search_page(client, stories):
    body = client.get(reverse("library:story-list"), {"q": "Barcelona"}).content.decode()
    assert "Listening first" in body
    assert "Maps of skills" not in body


def test_home_page_links_to_the_library(client):
    body = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("library:story-list")}"' in body

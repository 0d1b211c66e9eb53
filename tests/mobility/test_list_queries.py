"""Mobility list pages (offers and requests, their search, saved searches, suggestions per opportunity and
per organisation) run as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.mobility import matching
from matchmaking.mobility.models import SavedSearch
from tests.factories import OrganisationFactory
from tests.factories_mobility import opportunity, pair, topics
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db

COUNTRIES = ["PT", "IT", "FR", "DE", "NO", "FI", "DK", "NL", "BE", "AT", "PL", "IE"]


@pytest.fixture
def world():
    host, _, offer, _, host_user, visitor_user = pair()
    return {"host": host, "offer": offer, "host_user": host_user, "visitor_user": visitor_user}


def _partners(world, made: list[str]):
    """Partner organisations, each with an open request that fits the host's offer."""

    def grow(n: int) -> list[str]:
        while len(made) < n:
            i = len(made)
            org = OrganisationFactory(name=f"Partner town {i:02d}", country=COUNTRIES[i])
            org.interests.set(topics("early-outreach"))
            opportunity(
                org,
                direction="request",
                description=f"Harbour visit number {i:02d} for early outreach",
                group_size=2,
            )
            made.append(org.name)
        matching.refresh([world["offer"]])
        return list(made)

    return grow


def test_opportunity_list(client, world):
    client.force_login(world["visitor_user"])
    assert_same_queries(client, reverse("mobility:opportunity-list"), _partners(world, []))


def test_opportunity_search(client, world):
    client.force_login(world["visitor_user"])
    url = reverse("mobility:opportunity-list") + "?q=harbour&topic=early-outreach"
    assert_same_queries(client, url, _partners(world, []))


def test_opportunity_search_htmx(client, world):
    client.force_login(world["visitor_user"])
    url = reverse("mobility:opportunity-list") + "?q=harbour&direction=request"
    assert_same_queries(client, url, _partners(world, []), HTTP_HX_REQUEST="true")


def test_saved_searches_on_the_opportunity_list(client, world):
    user = world["visitor_user"]
    client.force_login(user)

    def grow(n: int) -> list[str]:
        while SavedSearch.objects.filter(user=user).count() < n:
            i = SavedSearch.objects.filter(user=user).count()
            SavedSearch.objects.create(user=user, name=f"Search number {i:02d}", filters={"q": f"town {i}"})
        return [s.name for s in SavedSearch.objects.filter(user=user)]

    assert_same_queries(client, reverse("mobility:opportunity-list"), grow)


def test_suggestions_of_an_opportunity(client, world):
    client.force_login(world["host_user"])
    url = reverse("mobility:suggestions", args=[world["offer"].key])
    assert_same_queries(client, url, _partners(world, []))


def test_suggestions_of_an_opportunity_htmx(client, world):
    client.force_login(world["host_user"])
    url = reverse("mobility:suggestions", args=[world["offer"].key]) + "?language=en"
    assert_same_queries(client, url, _partners(world, []), HTTP_HX_REQUEST="true")


def test_suggestions_of_an_organisation(client, world):
    client.force_login(world["host_user"])
    url = reverse("mobility:organisation-suggestions", args=[world["host"].key])
    assert_same_queries(client, url, _partners(world, []))

"""The suggestions page shows the best 25 with "more", at the same number of queries for 5 or 50 stored
suggestions; the "why not?" box finds organisations by a few letters instead of listing them all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matchmaking.mobility.models import Suggestion, SuggestionRun
from tests.factories import OrganisationFactory
from tests.factories_mobility import opportunity, pair

pytestmark = pytest.mark.database


@pytest.fixture
def world(db):
    host, _visitor, offer, _request, host_user, visitor_user = pair()
    SuggestionRun.objects.create(opportunity=offer, computed_at=timezone.now(), candidates=0)
    return {"host": host, "offer": offer, "host_user": host_user, "visitor_user": visitor_user}


def _grow(world):
    def grow(n: int) -> list[str]:
        now = timezone.now()
        while Suggestion.objects.filter(opportunity=world["offer"]).count() < n:
            i = Suggestion.objects.filter(opportunity=world["offer"]).count()
            org = OrganisationFactory(name=f"Partner town {i:03d}")
            theirs = opportunity(org, direction="request")
            Suggestion.objects.create(
                opportunity=world["offer"], rank=i + 1, organisation=org, their_opportunity=theirs,
                score=90 - i * 0.5, parts=[], reasons=[], computed_at=now,
            )  # fmt: skip
        return [f"Partner town {i:03d}" for i in range(min(n, 25))]

    return grow


def test_the_best_25_then_more(client, world):
    client.force_login(world["host_user"])
    _grow(world)(30)
    url = reverse("mobility:suggestions", args=[world["offer"].key])
    body = client.get(url).content.decode()
    assert "30 suggested partners" in body
    assert "Partner town 024" in body
    assert "Partner town 025" not in body
    assert "shown=50" in body
    everything = client.get(url + "?shown=50").content.decode()
    assert "Partner town 029" in everything
    assert "shown=75" not in everything


def test_suggestions_page_queries_at_5_and_50(client, world):
    client.force_login(world["host_user"])
    url = reverse("mobility:suggestions", args=[world["offer"].key])
    counts = []
    for size in (5, 50):
        shown = _grow(world)(size)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        assert all(name in body for name in shown)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_why_not_box_finds_organisations_by_name_for_the_opportunity_owner_only(client, world):
    OrganisationFactory(name="Harbour School of Gdynia", city="Gdynia")
    url = reverse("mobility:why-not-organisations", args=[world["offer"].key])
    client.force_login(world["host_user"])
    options = client.get(url, {"organisation": "gdyn"}).content.decode()
    assert "Harbour School of Gdynia" in options
    assert "Host Org" not in client.get(url, {"organisation": "Host"}).content.decode()  # not one's own
    assert client.get(url, {"organisation": ""}).content.decode().strip() == ""
    page = client.get(reverse("mobility:suggestions", args=[world["offer"].key])).content.decode()
    assert "Harbour School of Gdynia" not in page  # no list of every organisation in the page
    # The visiting organisation's staff may not edit the host's offer: no answer, like a missing page.
    client.force_login(world["visitor_user"])
    assert client.get(url, {"organisation": "gdyn"}).status_code == 404


def test_why_not_accepts_the_exact_name(client, world):
    OrganisationFactory(name="Harbour School of Gdynia", key="gdynia")
    client.force_login(world["host_user"])
    why = reverse("mobility:why-not", args=[world["offer"].key])
    by_key = client.get(why, {"organisation": "gdynia"}, HTTP_HX_REQUEST="true").content.decode()
    by_name = client.get(why, {"organisation": "harbour school of gdynia"}, HTTP_HX_REQUEST="true")
    by_name = by_name.content.decode()
    assert "Harbour School of Gdynia" in by_key
    assert by_name == by_key

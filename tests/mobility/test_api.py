"""API endpoints: the caller's organisations only; another organisation's object is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.exchanges.models import State
from matchmaking.library import services as library
from matchmaking.mobility import matching
from matchmaking.organisations.models import Role
from tests.api_auth import bearer
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair

pytestmark = [
    pytest.mark.django_db,
    # django-ninja deprecated returning (status, body) tuples: handlers return bodies or Status.
    pytest.mark.filterwarnings("error:Returning tuple:DeprecationWarning"),
]


def test_opportunities_suggestions_exchanges_and_stories(client):
    host, visitor, offer, request, host_user, visitor_user = pair()
    outsider = member(Role.STAFF, OrganisationFactory(), email="out@example.org")
    matching.refresh()
    auth, other = bearer(visitor_user), bearer(outsider)
    listing = client.get("/api/opportunities", {"topic": "early-outreach"}, **auth).json()
    assert {o["id"] for o in listing} == {offer.key, request.key}
    assert client.get(f"/api/opportunities/{offer.key}", **auth).json()["organisation"] == host.key
    suggestions = client.get(f"/api/opportunities/{request.key}/suggestions", **auth).json()
    assert suggestions[0]["organisation"] == host.key
    assert suggestions[0]["reasons"]
    assert client.get(f"/api/opportunities/{request.key}/suggestions", **other).status_code == 404
    ex = exchange(host, visitor)
    assert client.get(f"/api/exchanges/{ex.pk}", **auth).json()["state"] == "proposed"
    assert client.get(f"/api/exchanges/{ex.pk}", **other).status_code == 404
    assert client.get("/api/exchanges", **other).json() == []
    assert (
        client.post(
            f"/api/exchanges/{ex.pk}/accept", {}, content_type="application/json", **other
        ).status_code
        == 404
    )
    refused = client.post(f"/api/exchanges/{ex.pk}/accept", {}, content_type="application/json", **auth)
    assert refused.status_code == 409
    accepted = client.post(
        f"/api/exchanges/{ex.pk}/accept", {}, content_type="application/json", **bearer(host_user)
    )
    assert accepted.json()["state"] == "agreed"
    assert (
        client.post(
            f"/api/exchanges/{ex.pk}/explode", {}, content_type="application/json", **auth
        ).status_code
        == 404
    )
    assert client.get("/api/exchanges/99999999999999999999", **auth).status_code in (404, 422)
    done = exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=40))
    story = library.story_create(actor=host_user, exchange=done)
    assert client.get(f"/api/stories/{story.slug}").status_code == 404
    story.summary = "x"
    story.save()
    library.story_approve(actor=host_user, story=story)
    library.story_approve(actor=visitor_user, story=story)
    assert client.get(f"/api/stories/{story.slug}").json()["host"] == host.key
    assert len(client.get("/api/stories", {"country": "ES"}).json()) == 1

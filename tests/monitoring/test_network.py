"""Who should meet whom: two-way fit, never exchanged, with reasons; the coordinator introduces them."""

from __future__ import annotations

import pytest
from django.test import Client

from matchmaking.core.models import AuditEvent, Notification
from matchmaking.monitoring import network
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(db):
    a = OrganisationFactory(name="Borås Working Life", key="boras")
    b = OrganisationFactory(name="Vestland County", key="vestland")
    c = OrganisationFactory(name="One-way Org", key="one-way")
    a.expertise.set(topics("multi-competent-teams"))
    a.interests.set(topics("early-outreach"))
    b.expertise.set(topics("early-outreach", "skills-mapping"))
    b.interests.set(topics("multi-competent-teams"))
    c.expertise.set(topics("early-outreach"))  # shows what Borås wants, wants nothing Borås shows
    c.interests.set(topics("roma-inclusion"))
    return a, b, c


def test_pairs_with_a_two_way_fit_that_never_exchanged(orgs):
    pairs = network.who_should_meet()
    assert [(p.first.key, p.second.key) for p in pairs] == [("boras", "vestland")]
    pair = pairs[0]
    assert len(pair.first_shows) == 1
    assert len(pair.second_shows) == 1
    assert pair.score >= 3  # one topic each way and a language in common
    assert pair.languages


def test_a_pair_that_has_exchanged_is_not_suggested(orgs):
    a, b, _c = orgs
    exchange(a, b)
    assert network.who_should_meet() == []


def test_the_coordinator_introduces_them(orgs, coordinator):
    a, b, _c = orgs
    member(Role.STAFF, a, email="staff@boras.example.org")
    member(Role.STAFF, b, email="staff@vestland.example.org")
    client = Client()
    client.force_login(coordinator)
    page = client.get("/monitoring/network/").content.decode()
    assert "Borås Working Life" in page
    assert "Introduce them" in page
    response = client.post(
        "/monitoring/network/", {"first": "boras", "second": "vestland", "message": "Meet!"}
    )
    assert response.status_code == 302
    told = Notification.objects.filter(kind="organisations.introduced")
    assert {n.recipient.email for n in told} == {"staff@boras.example.org", "staff@vestland.example.org"}
    assert AuditEvent.objects.filter(action="organisations.introduced").exists()
    assert client.post("/monitoring/network/", {"first": "boras", "second": "one-way"}).status_code == 404


def test_only_the_coordinator_sees_the_network_view(orgs):
    client = Client()
    client.force_login(member(Role.ORG_ADMIN, orgs[0]))
    assert client.get("/monitoring/network/").status_code == 404

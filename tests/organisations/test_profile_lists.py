"""An organisation's profile lists its open offers and requests, the exchanges that went ahead and its
published stories, in a fixed number of queries; members of other organisations see a Contact button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import State
from matchmaking.library.models import Story
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.selectors import profile_lists
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, opportunity

pytestmark = pytest.mark.django_db


def _grow(host, n: int) -> None:
    """``n`` of each: open offers, open requests, exchanges that went ahead with a published story."""
    for _ in range(n):
        i = Story.objects.count()
        opportunity(host, direction="offer")
        opportunity(host, direction="request")
        visitor = OrganisationFactory(name=f"Visiting town {host.pk}-{i}")
        start = timezone.localdate() - timedelta(days=200 + 7 * i)
        ex = exchange(host, visitor, state=State.REPORTED, start=start)
        Story.objects.create(
            exchange=ex, slug=f"story-{host.pk}-{i}", title=f"Story {host.pk}-{i}", summary="What we learnt.",
            status=Story.Status.PUBLISHED, published_at=timezone.now(),
        )  # fmt: skip


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_profile_lists_what_the_organisation_does_and_did(client):
    host = OrganisationFactory(name="Borås Stad")
    opportunity(host, direction="offer", status=Opportunity.Status.DRAFT)
    exchange(host, OrganisationFactory(name="Still proposed"), state=State.PROPOSED)
    _grow(host, 2)
    reader = member(Role.STAFF, OrganisationFactory(name="SOC"))
    lists = profile_lists(user=reader, organisation=host)
    assert (len(lists.offers), len(lists.requests), len(lists.past_exchanges), len(lists.stories)) == (
        2,
        2,
        2,
        2,
    )
    assert lists.can_contact
    client.force_login(reader)
    page = client.get(host.get_absolute_url()).content.decode()
    assert reverse("exchanges:conversation-start", args=[host.key]) in page
    assert f"Story {host.pk}-0" in page
    assert "Still proposed" not in page
    propose = reverse("exchanges:exchange-propose")
    offer = lists.offers[0]
    request = lists.requests[0]
    assert f"{propose}?theirs={offer.key}&amp;role=visit" in page  # their offer: we visit
    assert f"{propose}?theirs={request.key}&amp;role=host" in page  # their request: we host


def test_no_contact_button_on_ones_own_profile():
    host = OrganisationFactory()
    own = member(Role.STAFF, host)
    assert not profile_lists(user=own, organisation=host).can_contact


def test_the_profile_costs_the_same_queries_with_one_or_many_items(client):
    host = OrganisationFactory(name="Borås Stad")
    client.force_login(member(Role.STAFF, OrganisationFactory(name="SOC")))
    _grow(host, 1)
    _queries(client, host.get_absolute_url())  # the session and caches of a first visit
    small = _queries(client, host.get_absolute_url())
    _grow(host, 6)
    assert _queries(client, host.get_absolute_url()) == small

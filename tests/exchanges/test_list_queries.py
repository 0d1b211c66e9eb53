"""Exchange list pages (the exchanges of one's organisations, by state; the mobility export page) run as
many SQL queries with 12 rows as with 2."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import Exchange, State
from matchmaking.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange, pair, visitor_of
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    host, _, _, _, host_user, _ = pair()
    return {"host": host, "host_user": host_user}


def _exchanges(world, state: str):
    host = world["host"]

    def grow(n: int) -> list[str]:
        while Exchange.objects.filter(host=host).count() < n:
            i = Exchange.objects.filter(host=host).count()
            visitor = OrganisationFactory(name=f"Visiting town {i:02d}")
            start = timezone.localdate() + timedelta(days=20 + 7 * i)
            ex = exchange(host, visitor, state=state, start=start)
            visitor_of(ex, name=f"Visitor number {i:02d}")
        return [e.visitor.name for e in Exchange.objects.filter(host=host).select_related("visitor")]

    return grow


def test_exchange_list(client, world):
    client.force_login(world["host_user"])
    assert_same_queries(client, reverse("exchanges:exchange-list"), _exchanges(world, State.PROPOSED))


def test_exchange_list_by_state(client, world):
    client.force_login(world["host_user"])
    url = reverse("exchanges:exchange-list") + "?state=confirmed"
    assert_same_queries(client, url, _exchanges(world, State.CONFIRMED))


def test_exchange_list_of_a_coordinator(client, world, coordinator):
    client.force_login(coordinator)
    assert_same_queries(client, reverse("exchanges:exchange-list"), _exchanges(world, State.PLANNING))


def test_mobility_export_page(client, world):
    client.force_login(world["host_user"])
    grow = _exchanges(world, State.CONFIRMED)

    def mobilities(n: int) -> list[str]:
        grow(n)
        return [f"{n} mobilities"]

    assert_same_queries(client, reverse("monitoring:mobility-export"), mobilities)


def test_conversation_list(client, world):
    from matchmaking.exchanges.conversations import conversation_start

    def grow(n: int) -> list[str]:
        while Organisation.objects.filter(name__startswith="Writing town").count() < n:
            i = Organisation.objects.filter(name__startswith="Writing town").count()
            other = OrganisationFactory(name=f"Writing town {i:02d}")
            conversation_start(
                actor=world["host_user"], organisation=world["host"], other=other,
                subject=f"Subject number {i:02d}", body="Hello",
            )  # fmt: skip
        return [f"Subject number {i:02d}" for i in range(n)]

    client.force_login(world["host_user"])
    assert_same_queries(client, reverse("exchanges:conversation-list"), grow)

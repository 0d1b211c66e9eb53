"""The notifications page runs as many SQL queries with 12 notifications as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.core.models import Notification
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


def test_notification_list(client, staff):
    client.force_login(staff)

    def grow(n: int) -> list[str]:
        while Notification.objects.filter(recipient=staff).count() < n:
            i = Notification.objects.count()
            Notification.objects.create(
                recipient=staff, kind="test", title=f"Notice number {i:02d}", url="/exchanges/"
            )
        return [x.title for x in Notification.objects.filter(recipient=staff)]

    assert_same_queries(client, reverse("web:notifications"), grow)


def test_dashboard(client, staff):
    """The dashboard shows the first few of each list, in as many queries however long the lists are."""
    from matchmaking.exchanges.models import State
    from matchmaking.web.dashboard import dashboard_for
    from tests.factories import OrganisationFactory
    from tests.factories_mobility import exchange, opportunity

    client.force_login(staff)
    home = staff.memberships.get().organisation

    def grow(n: int) -> list[str]:
        while Notification.objects.filter(recipient=staff).count() < n:
            i = Notification.objects.count()
            Notification.objects.create(recipient=staff, kind="test", title=f"Notice number {i:02d}", url="")
            exchange(home, OrganisationFactory(name=f"Visiting town {i:02d}"), state=State.PLANNING)
            opportunity(home, direction="offer", description=f"Offer number {i:02d}")
        board = dashboard_for(user=staff)
        assert len(board.exchanges) == min(n, 6)
        return [n.title for n in board.notifications] + [
            f"{e.visitor.name} → {e.host.name}" for e in board.exchanges
        ]

    assert_same_queries(client, reverse("web:dashboard"), grow)

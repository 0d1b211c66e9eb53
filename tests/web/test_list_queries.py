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

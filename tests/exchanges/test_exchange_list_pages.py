"""The exchange list shows every exchange through pages of 50 (it used to stop at 200, silently)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import State
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


def test_every_exchange_is_on_a_page(client):
    host, _, _, _, host_user, _ = pair()
    visitor = OrganisationFactory(name="Visiting town")
    for i in range(55):
        exchange(host, visitor, state=State.AGREED, start=timezone.localdate() + timedelta(days=20 + i))
    client.force_login(host_user)
    url = reverse("exchanges:exchange-list")
    first = client.get(url, {"state": State.AGREED}).content.decode()
    second = client.get(url, {"state": State.AGREED, "page": 2}).content.decode()
    assert first.count("Visiting town →") == 50
    assert second.count("Visiting town →") == 5
    assert "Page 1 of 2" in first
    assert "state=agreed&amp;page=2" in first

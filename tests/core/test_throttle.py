"""Public forms and expensive pages are throttled with the same limiter as logins; each limit is a rate
in ACCOUNT_RATE_LIMITS, and the answer over the limit is the 429 page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.organisations.models import JoinApplication, Role
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limits(settings):
    # The test settings turn throttling off; these tests turn on only what they check.
    settings.ACCOUNT_RATE_LIMITS = {
        "join": "2/h/ip",
        "admin_login": "2/5m/ip",
        "export": "1/m/user",
    }


def test_applications_to_join_are_limited_per_address(client, tight_limits):
    answers = [client.post(reverse("organisations:apply"), {"name": ""}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert "Too many requests" in client.post(reverse("organisations:apply"), {}).content.decode()
    assert client.get(reverse("organisations:apply")).status_code == 200  # reading the form is free
    assert not JoinApplication.objects.exists()


def test_admin_login_is_limited(client, tight_limits):
    url = reverse("admin:login")
    data = {"username": "nobody@example.org", "password": "wrong"}
    assert [client.post(url, data).status_code for _ in range(3)] == [200, 200, 429]


def test_downloads_are_limited_per_user(client, tight_limits):
    client.force_login(member(Role.STAFF, email="staff-export@example.org"))
    url = reverse("monitoring:mobility-export")
    assert client.get(url, {"download": "csv"}).status_code == 200
    assert client.get(url, {"download": "csv"}).status_code == 429
    assert client.get(url).status_code == 200  # the page itself is not a download


def test_without_a_configured_rate_nothing_is_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"admin_login": "2/5m/ip"}
    assert all(client.post(reverse("organisations:apply"), {}).status_code == 200 for _ in range(8))

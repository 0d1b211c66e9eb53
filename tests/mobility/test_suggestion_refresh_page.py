"""The refresh's progress page: for coordinators, 404 for anyone else."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from matchmaking.mobility import suggestion_refresh
from tests.factories import member

pytestmark = pytest.mark.django_db

URL = reverse("mobility:suggestions-refresh")


def test_a_coordinator_sees_the_progress_of_a_running_refresh(client, coordinator):
    suggestion_refresh._report(40, 200, time.time(), True)
    client.force_login(coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"40 of 200" in page.content
    assert b'value="20"' in page.content


def test_a_coordinator_sees_the_last_refresh_once_it_is_over(client, coordinator):
    suggestion_refresh._report(200, 200, time.time(), False)
    client.force_login(coordinator)
    assert b"is over" in client.get(URL).content


def test_a_member_of_an_organisation_gets_404(client):
    client.force_login(member())
    assert client.get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302

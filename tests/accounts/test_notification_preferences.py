"""The notification settings page: each group of notifications with its three deliveries as radio
buttons in a table, the current choice checked (a default until the person chooses), saved by the
service; the page needs a signed-in person and is in their language."""

from __future__ import annotations

import pytest
from django.utils import translation

from matchmaking.core.models import NotificationPreference
from matchmaking.core.notification_kinds import DIGEST, GROUPS, IMMEDIATE, IN_APP
from matchmaking.organisations.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

PAGE = "/account/notifications/"


@pytest.fixture
def signed_in(client):
    user = member(Role.STAFF)
    client.force_login(user)
    return user


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_shows_every_group_with_its_default_checked(client, signed_in):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" in html
    assert '<th scope="row"' in html
    for code, group in GROUPS.items():
        with translation.override("en"):
            assert str(group.label) in html
        assert f'name="{code}" value="{group.default}" checked' in html
    assert html.count('type="radio"') == 3 * len(GROUPS)


def test_saving_stores_each_choice(client, signed_in):
    choices = {code: group.default for code, group in GROUPS.items()}
    choices.update({"decisions": DIGEST, "alerts": IMMEDIATE, "events": IN_APP})
    response = client.post(PAGE, choices)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    stored = dict(NotificationPreference.objects.filter(user=signed_in).values_list("group", "delivery"))
    assert (stored["decisions"], stored["alerts"], stored["events"]) == (DIGEST, IMMEDIATE, IN_APP)
    assert f'name="decisions" value="{DIGEST}" checked' in client.get(PAGE).content.decode()


def test_an_unknown_delivery_is_refused(client, signed_in):
    choices = {code: group.default for code, group in GROUPS.items()}
    choices["decisions"] = "pigeon"
    response = client.post(PAGE, choices)
    assert response.status_code == 200
    assert not NotificationPreference.objects.filter(user=signed_in).exists()

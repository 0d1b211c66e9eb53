"""The conversations API: the two organisations list, read and write; a third organisation's token gets
404 everywhere, and a read token may not write."""

from __future__ import annotations

import pytest

from matchmaking.accounts.models import ApiToken
from matchmaking.accounts.services import api_token_create
from matchmaking.exchanges import conversations
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db


def bearer(user, scope: str = ApiToken.Scope.WRITE) -> dict[str, str]:
    _, token = api_token_create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def conversation():
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    c = conversations.conversation_start(
        actor=visitor_user, organisation=visitor, other=host, subject="Spring visit", body="Hello"
    )
    return c, host_user, visitor_user


def test_the_two_organisations_list_read_and_write(client, conversation):
    c, host_user, _visitor_user = conversation
    auth = bearer(host_user)
    listed = client.get("/api/conversations", **auth).json()
    assert [x["subject"] for x in listed] == ["Spring visit"]
    read = client.get(f"/api/conversations/{c.pk}", **auth).json()
    assert [m["body"] for m in read["messages"]] == ["Hello"]
    posted = client.post(
        f"/api/conversations/{c.pk}/messages", {"body": "Welcome"}, content_type="application/json", **auth
    )
    assert posted.status_code == 201, posted.content
    host_key = c.second.key if c.first_id == c.started_by_id else c.first.key
    assert posted.json()["organisation"] == host_key
    assert c.messages.count() == 2


def test_a_third_organisation_gets_404_and_a_read_token_may_not_write(client, conversation):
    c, host_user, _visitor_user = conversation
    third = bearer(member(Role.ORG_ADMIN, OrganisationFactory(name="Third")))
    assert client.get("/api/conversations", **third).json() == []
    assert client.get(f"/api/conversations/{c.pk}", **third).status_code == 404
    posted = client.post(
        f"/api/conversations/{c.pk}/messages", {"body": "Hi"}, content_type="application/json", **third
    )
    assert posted.status_code == 404
    assert client.get("/api/conversations/99999999", **bearer(host_user)).status_code == 404
    reader = bearer(host_user, scope=ApiToken.Scope.READ)
    posted = client.post(
        f"/api/conversations/{c.pk}/messages", {"body": "Hi"}, content_type="application/json", **reader
    )
    assert posted.status_code == 403
    assert client.get("/api/conversations").status_code == 401
    assert c.messages.count() == 1

"""``GET /api/opportunities/{key}/near-misses``: when nothing passes the rules, the partners that break
one rule the two sides could change, with that rule named, in the reader's language; another
organisation gets 404, and an opportunity with enough suggestions gets none."""

from __future__ import annotations

import pytest

from matchmaking.mobility import matching
from matchmaking.organisations.models import Role
from tests.api_auth import bearer
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import pair

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_near_misses_name_the_rule_each_breaks(client, lonely):
    url = f"/api/opportunities/{lonely['request'].key}/near-misses"
    found = client.get(url, **bearer(lonely["user"])).json()
    assert [m["opportunity"] for m in found] == [lonely["offer"].key]
    (miss,) = found
    assert miss["broken"]["code"] == "languages"
    assert "No shared language" in miss["broken"]["text"]
    assert miss["reasons"]
    assert all(r["text"] for r in miss["reasons"])


def test_near_misses_in_the_readers_language(client, lonely):
    url = f"/api/opportunities/{lonely['request'].key}/near-misses"
    (miss,) = client.get(url, HTTP_ACCEPT_LANGUAGE="sv", **bearer(lonely["user"])).json()
    assert "No shared language" not in miss["broken"]["text"]


def test_another_organisation_gets_404(client, lonely):
    outsider = member(Role.STAFF, OrganisationFactory(), email="outsider@example.org")
    url = f"/api/opportunities/{lonely['request'].key}/near-misses"
    assert client.get(url, **bearer(outsider)).status_code == 404


def test_none_when_partners_pass_the_rules(client):
    _host, _visitor, _offer, request, _host_user, visitor_user = pair()
    matching.refresh()
    url = f"/api/opportunities/{request.key}/near-misses"
    assert client.get(url, **bearer(visitor_user)).json() == []

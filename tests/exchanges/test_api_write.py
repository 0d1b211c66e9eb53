"""API writes: opportunities, visitors and programme through the services and the permission module;
another organisation's object is a 404, bad input a 422 that names the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.accounts.services import api_token_create
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges import models as exchange_models
from matchmaking.exchanges.models import CompletionReport, State
from matchmaking.library import services as library
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, item, pair, visitor_of

pytestmark = [
    pytest.mark.django_db,
    # django-ninja deprecated returning (status, body) tuples: handlers return bodies or Status.
    pytest.mark.filterwarnings("error:Returning tuple:DeprecationWarning"),
]


def bearer(user) -> dict[str, str]:
    _, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _json(client, method, url, auth, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json", **auth)


def test_create_update_and_publish_an_opportunity(client):
    host, visitor, offer, _request, _host_user, visitor_user = pair()
    auth = bearer(visitor_user)
    body = {
        "organisation": visitor.key,
        "type": "study-visit",
        "direction": "request",
        "topics": ["early-outreach"],
        "languages": ["en"],
        "duration_days": 2,
        "status": "draft",
    }
    created = _json(client, "post", "/api/opportunities", auth, body)
    assert created.status_code == 201, created.content
    key = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert AuditEvent.objects.filter(
        action="opportunity.created", object_id=str(Opportunity.objects.get(key=key).pk)
    ).exists()
    # For another organisation: not found.
    assert (
        _json(client, "post", "/api/opportunities", auth, {**body, "organisation": host.key}).status_code
        == 404
    )
    # Bad input: 422 naming the field.
    bad = _json(client, "post", "/api/opportunities", auth, {**body, "topics": ["juggling"]})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "topics"]
    assert (
        _json(client, "post", "/api/opportunities", auth, {**body, "duration_days": 10**30}).status_code
        == 422
    )
    changed = _json(client, "patch", f"/api/opportunities/{key}", auth, {"group_size": 4, "earliest": None})
    assert changed.status_code == 200
    assert changed.json()["group_size"] == 4
    assert (
        _json(client, "patch", f"/api/opportunities/{offer.key}", auth, {"group_size": 4}).status_code == 404
    )
    window = _json(client, "patch", f"/api/opportunities/{key}", auth,
                   {"earliest": "2030-05-10", "latest": "2030-05-01"})  # fmt: skip
    assert window.status_code == 422
    assert window.json()["detail"][0]["loc"] == ["body", "latest"]
    published = _json(client, "post", f"/api/opportunities/{key}/status", auth, {"status": "open"})
    assert published.json()["status"] == "open"
    refused = _json(client, "post", f"/api/opportunities/{key}/status", auth, {"status": "draft"})
    assert refused.status_code == 409


def test_visitors_and_programme_for_the_two_organisations_only(client, coordinator):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.PLANNING, group_size=2)
    outsider = member(Role.STAFF, OrganisationFactory(), email="out@example.org")
    sending, hosting = bearer(visitor_user), bearer(host_user)
    url = f"/api/exchanges/{ex.pk}/visitors"
    added = _json(
        client,
        "post",
        url,
        sending,
        {"name": "Maja Lindqvist", "role": "Adviser", "fewer_opportunities": True},
    )
    assert added.status_code == 201, added.content
    vid = added.json()["id"]
    assert added.json()["fewer_opportunities"] is True
    # The host sees the visitor but never the flag, and cannot set it.
    listed = client.get(url, **hosting).json()
    assert listed[0]["name"] == "Maja Lindqvist"
    assert listed[0]["fewer_opportunities"] is None
    assert _json(client, "post", url, hosting, {"name": "X", "fewer_opportunities": True}).status_code == 422
    # Others, coordinators included: 404.
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert client.get(url, **bearer(coordinator)).status_code == 404
    assert _json(client, "patch", f"{url}/{vid}", bearer(outsider), {"role": "x"}).status_code == 404
    # Bad input names the field; a dates problem too.
    bad = _json(client, "patch", f"{url}/{vid}", sending, {"kind": "tourist"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "kind"]
    early = _json(client, "patch", f"{url}/{vid}", sending, {"start": str(ex.start - timedelta(days=5))})
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "start"]
    # Programme: add, change, list per visitor, delete.
    purl = f"/api/exchanges/{ex.pk}/programme"
    body = {"day": str(ex.start), "starts_at": "09:00", "ends_at": "10:00", "activity": "Welcome",
            "visitors": [vid]}  # fmt: skip
    created = _json(client, "post", purl, hosting, body)
    assert created.status_code == 201, created.content
    iid = created.json()["id"]
    assert created.json()["visitors"] == [vid]
    assert _json(client, "post", purl, hosting, {**body, "ends_at": "08:00"}).json()["detail"][0]["loc"] == [
        "body",
        "ends_at",
    ]
    assert _json(client, "post", purl, hosting, {**body, "starts_at": "09:00+02:00"}).status_code == 422
    assert _json(client, "post", purl, hosting, {**body, "visitors": [10**20]}).status_code == 422
    assert _json(client, "patch", f"{purl}/{iid}", hosting, {"activity": "Welcome coffee"}).status_code == 200
    assert [i["activity"] for i in client.get(purl, {"visitor": vid}, **sending).json()] == ["Welcome coffee"]
    assert client.get(purl, **bearer(outsider)).status_code == 404
    assert client.delete(f"{purl}/{iid}", **hosting).status_code == 204
    assert client.delete(f"{url}/{vid}", **sending).status_code == 204
    assert client.get(url, **sending).json() == []


def test_visitors_of_a_closed_exchange_cannot_change(client):
    host, visitor, _offer, _request, _host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=40))
    v = visitor_of(ex)
    item(ex)
    auth = bearer(visitor_user)
    assert _json(client, "post", f"/api/exchanges/{ex.pk}/visitors", auth, {"name": "A"}).status_code == 409
    assert client.delete(f"/api/exchanges/{ex.pk}/visitors/{v.pk}", **auth).status_code == 409


def test_report_and_story_read(client, coordinator):

    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=40))
    outsider = member(Role.STAFF, OrganisationFactory(), email="out@example.org")
    assert client.get(f"/api/exchanges/{ex.pk}/report", **bearer(host_user)).status_code == 404
    CompletionReport.objects.create(exchange=ex, summary="Two days", host_lessons="One\nTwo")
    exchange_models.Testimonial.objects.create(
        exchange=ex, organisation=visitor, author_name="Maja", text="Good", consent=True
    )
    exchange_models.Testimonial.objects.create(
        exchange=ex, organisation=visitor, author_name="Tove", text="Secret"
    )
    report = client.get(f"/api/exchanges/{ex.pk}/report", **bearer(coordinator)).json()
    assert report["host_lessons"] == ["One", "Two"]
    assert [q["author_name"] for q in report["quotes"]] == ["Maja"]
    assert client.get(f"/api/exchanges/{ex.pk}/report", **bearer(outsider)).status_code == 404
    story = library.story_create(actor=host_user, exchange=ex)
    draft = client.get(f"/api/exchanges/{ex.pk}/story", **bearer(visitor_user)).json()
    assert (draft["slug"], draft["status"]) == (story.slug, "draft")
    assert client.get(f"/api/exchanges/{ex.pk}/story", **bearer(outsider)).status_code == 404


def test_a_refused_step_is_409_and_a_missing_reason_422_naming_it(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor)
    auth = bearer(host_user)
    url = f"/api/exchanges/{ex.pk}/decline"
    missing = _json(client, "post", url, auth)
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "reason"]
    declined = _json(client, "post", url, auth, {"reason": "No capacity this spring."})
    assert declined.status_code == 200, declined.content
    assert declined.json()["state"] == "declined"
    again = _json(client, "post", url, auth, {"reason": "Still none."})
    assert again.status_code == 409
    assert isinstance(again.json()["detail"], str)


def test_visitor_and_programme_lists_are_paged(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor, state=State.PLANNING, group_size=3)
    first, second = visitor_of(ex, name="Aino Korhonen"), visitor_of(ex, name="Bo Berg")
    auth = bearer(host_user)
    url = f"/api/exchanges/{ex.pk}/visitors"
    assert {v["id"] for v in client.get(url, **auth).json()} == {first.pk, second.pk}
    page = client.get(url, {"limit": 1}, **auth).json()
    rest = client.get(url, {"limit": 1, "offset": 1}, **auth).json()
    assert len(page) == len(rest) == 1
    assert {page[0]["id"], rest[0]["id"]} == {first.pk, second.pk}
    assert client.get(url, {"offset": 5}, **auth).json() == []

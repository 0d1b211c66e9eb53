"""The API for placements, allocation rounds and participants: the web's permissions (404 for other
organisations), 422 for bad input, pseudonyms only, every participant read in the access log."""

from __future__ import annotations

import json

import pytest

from matchmaking.accounts.services import api_token_create
from matchmaking.core.models import AuditEvent, PersonalDataAccess
from matchmaking.organisations.models import Role
from matchmaking.placements import rounds
from matchmaking.placements.models import Placement
from matchmaking.taxonomies.models import Region
from tests.factories import OrganisationFactory, member
from tests.factories_participants import HYGIENE, participant, placement

# django-ninja deprecated returning (status, body) tuples: handlers return bodies or Status.
pytestmark = pytest.mark.filterwarnings("error:Returning tuple:DeprecationWarning")

SATISFY_CUSTOMERS = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
KITCHEN_ASSISTANT = "http://data.europa.eu/esco/occupation/e1cf6897-158d-4b48-a39e-2a3a8cac216c"


def bearer(user) -> dict[str, str]:
    _, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api(world, coordinator):
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    world.host = host
    world.host_admin = member(Role.ORG_ADMIN, host, email="host-admin@example.org")
    world.host_staff = member(Role.STAFF, host, email="host-staff@example.org")
    world.kitchen = placement(host, key="kitchen", seats=1, required=[HYGIENE])
    world.person.skills.create(uri=HYGIENE, label="hygiene", how="informal", esco_version="1.1.1")
    world.second = participant(world.home, key_worker=world.worker, skills=[HYGIENE])
    world.coordinator = coordinator
    world.outsider = member(Role.STAFF, OrganisationFactory(key="elsewhere"), email="out@example.org")
    return world


def _post(client, url, data, auth):
    return client.post(url, json.dumps(data), content_type="application/json", **auth)


def _patch(client, url, data, auth):
    return client.patch(url, json.dumps(data), content_type="application/json", **auth)


NEW = {
    "host": "hotel",
    "title": "Reception trainee",
    "occupation_uri": KITCHEN_ASSISTANT,
    "seats": 2,
    "start": "2026-09-01",
    "end": "2026-10-31",
    "country": "se",
    "labour_market": "training",
    "support_offered": ["mentor"],
    "required_skills": [{"uri": SATISFY_CUSTOMERS}],
    "languages": [{"code": "sv", "level": "b1"}],
}


def test_placements_list_and_detail_for_members(client, api):
    w = api
    listing = client.get("/api/placements", **bearer(w.outsider))
    assert listing.status_code == 200
    assert [p["key"] for p in listing.json()] == ["kitchen"]
    detail = client.get("/api/placements/kitchen", **bearer(w.host_staff)).json()
    assert detail["host"] == "hotel"
    assert detail["seats_taken"] == 0
    assert detail["required_skills"][0]["uri"] == HYGIENE
    assert client.get("/api/placements/nope", **bearer(w.host_staff)).status_code == 404
    assert client.get("/api/placements").status_code == 401


def test_host_creates_and_updates_a_placement(client, api):
    w = api
    auth = bearer(w.host_admin)
    created = _post(client, "/api/placements", NEW, auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["country"] == "SE"
    assert body["occupation_label"] == "kitchen assistant"
    assert body["required_skills"] == [{"uri": SATISFY_CUSTOMERS, "label": "satisfy customers"}]
    assert body["languages"] == [{"code": "sv", "level": "B1"}]
    assert body["esco_version"]
    key = body["key"]
    staff = bearer(w.host_staff)
    changed = _patch(
        client, f"/api/placements/{key}", {"seats": 3, "desired_skills": [{"uri": HYGIENE}]}, staff
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["seats"] == 3
    assert body["title"] == "Reception trainee"
    assert [s["uri"] for s in body["required_skills"]] == [SATISFY_CUSTOMERS]  # untouched
    assert [s["uri"] for s in body["desired_skills"]] == [HYGIENE]
    assert Placement.objects.get(key=key).seats == 3


def test_other_organisations_cannot_create_or_change_placements(client, api):
    w = api
    for user in (w.outsider, w.worker):
        auth = bearer(user)
        assert _post(client, "/api/placements", NEW, auth).status_code == 404
        assert _patch(client, "/api/placements/kitchen", {"seats": 5}, auth).status_code == 404
    assert (
        _post(client, "/api/placements", {**NEW, "host": "no-such-org"}, bearer(w.host_admin)).status_code
        == 404
    )
    assert Placement.objects.get(key="kitchen").seats == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seats": 0}, "seats"),
        ({"end": "2026-08-01"}, "end"),
        ({"labour_market": "black-market"}, "labour_market"),
        ({"status": "maybe"}, "status"),
        ({"occupation_uri": "http://example.org/cook"}, "occupation_uri"),
        ({"required_skills": [{"uri": "not-a-uri"}]}, "skills"),
        ({"support_offered": ["a-unicorn"]}, "support_offered"),
        ({"region": "XX99"}, "region"),
        ({"languages": [{"code": "sv", "level": "Z9"}]}, "languages"),
        ({"start": "not a date"}, "start"),
        ({"title": "bad\x00title"}, "title"),
    ],
)
def test_bad_placement_input_is_422_naming_the_field(client, api, change, field):
    response = _post(client, "/api/placements", {**NEW, **change}, bearer(api.host_admin))
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json()["detail"])


def test_seats_cannot_drop_below_those_taken(client, api):
    w = api
    w.kitchen.seats = 2
    w.kitchen.save()
    found = rounds.round_create(
        actor=w.coordinator,
        name="R",
        method="stable",
        participants=[w.person, w.second],
        placements=[w.kitchen],
    )
    rounds.round_propose(actor=w.coordinator, allocation_round=found)
    rounds.round_confirm(actor=w.coordinator, allocation_round=found)
    response = _patch(client, "/api/placements/kitchen", {"seats": 1}, bearer(w.host_admin))
    assert response.status_code == 422
    assert "seats" in json.dumps(response.json())
    assert _patch(client, "/api/placements/kitchen", {"seats": 3}, bearer(w.host_admin)).status_code == 200


def test_region_is_set_and_cleared_through_the_service(client, api):
    region, _ = Region.objects.get_or_create(code="SE11", defaults={"name": "Stockholm", "country": "SE"})
    auth = bearer(api.host_admin)
    assert _patch(client, "/api/placements/kitchen", {"region": "SE11"}, auth).json()["region"] == "SE11"
    assert Placement.objects.get(key="kitchen").region == region
    unchanged = _patch(client, "/api/placements/kitchen", {"city": "Göteborg"}, auth)
    assert unchanged.json()["region"] == "SE11"
    cleared = _patch(client, "/api/placements/kitchen", {"region": None}, auth)
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["region"] is None
    assert Placement.objects.get(key="kitchen").region is None
    assert AuditEvent.objects.filter(action="placement.update").count() == 3


@pytest.fixture
def confirmed(api):
    w = api
    found = rounds.round_create(
        actor=w.coordinator,
        name="Spring",
        method="stable",
        participants=[w.person, w.second],
        placements=[w.kitchen],
    )
    rounds.round_propose(actor=w.coordinator, allocation_round=found)
    w.round = found
    return w


def test_rounds_for_coordinator_and_involved_organisations(client, confirmed):
    w = confirmed
    coordinator = client.get("/api/rounds", **bearer(w.coordinator)).json()
    assert [r["id"] for r in coordinator] == [w.round.pk]
    assert coordinator[0]["fairness"]
    proposals = client.get(f"/api/rounds/{w.round.pk}/proposals", **bearer(w.coordinator)).json()
    assert {p["participant"] for p in proposals} == {w.person.pseudonym, w.second.pseudonym}
    placed = next(p for p in proposals if p["placement"] == "kitchen")
    assert placed["reasons"]
    assert isinstance(placed["skill_gap"], list)
    assert "Secret-Name" not in json.dumps(proposals)

    # The participants' caseload sees the round and its own people's proposals, not the fairness report.
    worker = client.get(f"/api/rounds/{w.round.pk}", **bearer(w.worker)).json()
    assert worker["fairness"] is None
    mine = client.get(f"/api/rounds/{w.round.pk}/proposals", **bearer(w.worker)).json()
    assert len(mine) == 2

    # The host sees the round, but its proposals only once the round is confirmed.
    host = bearer(w.host_staff)
    assert client.get(f"/api/rounds/{w.round.pk}", **host).status_code == 200
    assert client.get(f"/api/rounds/{w.round.pk}/proposals", **host).json() == []
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    after = client.get(f"/api/rounds/{w.round.pk}/proposals", **host).json()
    assert [p["placement"] for p in after] == ["kitchen"]
    assert after[0]["status"] == "confirmed"
    unplaced = client.get(f"/api/rounds/{w.round.pk}/proposals", **bearer(w.worker)).json()
    assert sorted(p["status"] for p in unplaced) == ["confirmed", "unplaced"]


def test_lists_are_paged_with_limit_and_offset(client, confirmed):
    w = confirmed
    auth = bearer(w.coordinator)
    url = f"/api/rounds/{w.round.pk}/proposals"
    everyone = [p["participant"] for p in client.get(url, **auth).json()]
    assert len(everyone) == 2
    assert [p["participant"] for p in client.get(url, {"limit": 1}, **auth).json()] == everyone[:1]
    assert [p["participant"] for p in client.get(url, {"limit": 1, "offset": 1}, **auth).json()] == everyone[
        1:
    ]
    # Out-of-range values are brought into range, as before: at least one item, never a negative offset.
    assert len(client.get(url, {"limit": 0, "offset": -3}, **auth).json()) == 1
    assert len(client.get("/api/participants", {"limit": 1}, **bearer(w.worker)).json()) == 1
    assert client.get("/api/placements", {"offset": 10}, **auth).json() == []
    assert client.get("/api/rounds", {"limit": "abc"}, **auth).status_code == 422


def test_rounds_of_others_are_404(client, confirmed):
    w = confirmed
    for user in (w.outsider, w.stranger):
        auth = bearer(user)
        assert client.get("/api/rounds", **auth).json() == []
        assert client.get(f"/api/rounds/{w.round.pk}", **auth).status_code == 404
        assert client.get(f"/api/rounds/{w.round.pk}/proposals", **auth).status_code == 404
    auth = bearer(w.coordinator)
    assert client.get("/api/rounds/999999999", **auth).status_code == 404
    assert client.get(f"/api/rounds/{2**63}", **auth).status_code in (404, 422)
    assert client.get("/api/rounds/abc", **auth).status_code == 422


def test_participants_pseudonymous_and_logged(client, api):
    w = api
    auth = bearer(w.worker)
    listing = client.get("/api/participants", **auth)
    assert listing.status_code == 200
    rows = listing.json()
    assert {r["pseudonym"] for r in rows} == {w.person.pseudonym, w.second.pseudonym}
    text = json.dumps(rows)
    for secret in ("Secret-Name", "Alva", "alva@example.org", "2004-05-01", "barriers", "identity"):
        assert secret not in text
    detail = client.get(f"/api/participants/{w.person.pseudonym}", **auth).json()
    assert detail["skills"][0]["uri"] == HYGIENE
    assert detail["clock"]["days"] == 30
    logged = PersonalDataAccess.objects.filter(
        user=w.worker, subject_id=str(w.person.pk), path__startswith="/api/"
    )
    assert logged.count() == 2  # the list and the detail
    # A group member without personal-detail access sees the pseudonymous record too, logged.
    helper = client.get(f"/api/participants/{w.person.pseudonym}", **bearer(w.helper))
    assert helper.status_code == 200
    assert "Secret-Name" not in helper.content.decode()


def test_participants_of_others_are_404(client, api):
    w = api
    assert client.get(f"/api/participants/{w.person.pseudonym}", **bearer(w.stranger)).status_code == 404
    assert w.person.pseudonym not in client.get("/api/participants", **bearer(w.stranger)).content.decode()
    # No caseload access at all (a host's staff): nothing.
    for user in (w.host_staff, w.outsider):
        assert client.get("/api/participants", **bearer(user)).status_code == 404
        assert client.get(f"/api/participants/{w.person.pseudonym}", **bearer(user)).status_code == 404
    assert client.get("/api/participants/P-NOTHERE", **bearer(w.worker)).status_code == 404


def test_odd_input_never_gives_a_server_error(client, api):
    w = api
    auth = bearer(w.host_admin)
    for url in (
        "/api/placements?limit=-5&offset=99999999999",
        "/api/placements?q=%00&country=%00",
        "/api/placements/%00",
        "/api/rounds?limit=abc",
        "/api/participants?q=%00",
        "/api/participants/%00",
    ):
        assert client.get(url, **auth).status_code < 500, url
        assert client.get(url, **bearer(w.worker)).status_code < 500, url
    for body in ("", "[]", "null", '{"host": 1}', '{"title": null}'):
        response = client.post("/api/placements", body, content_type="application/json", **auth)
        assert response.status_code in (400, 422), body
        response = client.patch("/api/placements/kitchen", body, content_type="application/json", **auth)
        assert response.status_code in (200, 400, 422), body

"""The demo network: valid interchange document, enough variety, relative dates (no database)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta

import pytest

from matchmaking.demo.network import (
    ROLES,
    DemoUser,
    build_demo_document,
    demo_users,
    load_network_data,
)
from matchmaking.interchange.document import parse_document

TODAY = date(2026, 3, 2)
OPPORTUNITY_TYPES = {
    "job-shadowing",
    "study-visit",
    "teaching-assignment",
    "learner-placement",
    "project-partnership",
}


@pytest.fixture(scope="module")
def document():
    return build_demo_document(TODAY)


def test_document_is_valid_interchange(document):
    parsed = parse_document(document)
    assert parsed.format_version == 1
    assert len(parsed.organisations) == len(document["organisations"])
    assert len(parsed.opportunities) == len(document["opportunities"])


def test_document_validates_for_other_days_too():
    for today in (date(2025, 12, 31), date(2028, 2, 29)):
        parse_document(build_demo_document(today))


def test_document_shape(document):
    assert set(document) == {"format_version", "organisations", "opportunities"}
    assert document["format_version"] == 1
    for opportunity in document["opportunities"]:
        assert "earliest_in_days" not in opportunity
        assert "latest_in_days" not in opportunity
        assert {"earliest", "latest"} <= set(opportunity)


def test_organisations_pass_through_unchanged(document):
    assert document["organisations"] == load_network_data()["organisations"]


def test_many_organisations_in_many_countries(document):
    organisations = document["organisations"]
    assert len(organisations) >= 30
    assert len({o["country"] for o in organisations}) >= 10


def test_seed_actors_are_present(document):
    ids = {o["id"] for o in document["organisations"]}
    for expected in (
        "earlall",
        "boras-working-life",
        "jobcenter-stuttgart",
        "vhs-stuttgart",
        "vestland-county-council",
        "nav-vestland",
        "soc-catalonia",
        "vastra-gotaland-region",
        "movetia",
        "camilla-winter-ab",
    ):
        assert expected in ids
    earlall = next(o for o in document["organisations"] if o["id"] == "earlall")
    assert earlall["kind"] == "network"
    assert earlall["region"] == "BE10"


def test_ids_are_unique(document):
    organisation_ids = [o["id"] for o in document["organisations"]]
    opportunity_ids = [o["id"] for o in document["opportunities"]]
    assert len(organisation_ids) == len(set(organisation_ids))
    assert len(opportunity_ids) == len(set(opportunity_ids))
    erasmus_ids = [o["erasmus_id"] for o in document["organisations"] if o["erasmus_id"]]
    assert len(erasmus_ids) == len(set(erasmus_ids))


def test_opportunities_cover_every_type_and_direction(document):
    opportunities = document["opportunities"]
    assert len(opportunities) >= 45
    pairs = Counter((o["type"], o["direction"]) for o in opportunities)
    for kind in OPPORTUNITY_TYPES:
        assert pairs[(kind, "offer")] >= 1, kind
        assert pairs[(kind, "request")] >= 1, kind
    assert len({o["organisation"] for o in opportunities}) >= 20


def test_opportunity_organisations_exist(document):
    ids = {o["id"] for o in document["organisations"]}
    assert all(o["organisation"] in ids for o in document["opportunities"])


def test_dates_are_relative_to_today(document):
    raw = {o["id"]: o for o in load_network_data()["opportunities"]}
    for opportunity in document["opportunities"]:
        stored = raw[opportunity["id"]]
        assert date.fromisoformat(opportunity["earliest"]) == TODAY + timedelta(stored["earliest_in_days"])
        assert date.fromisoformat(opportunity["latest"]) == TODAY + timedelta(stored["latest_in_days"])


def test_dates_shift_with_today():
    first = build_demo_document(date(2026, 1, 1))
    later = build_demo_document(date(2026, 7, 15))
    shift = date(2026, 7, 15) - date(2026, 1, 1)
    for a, b in zip(first["opportunities"], later["opportunities"], strict=True):
        assert a["id"] == b["id"]
        assert date.fromisoformat(b["earliest"]) - date.fromisoformat(a["earliest"]) == shift
        assert date.fromisoformat(b["latest"]) - date.fromisoformat(a["latest"]) == shift


def test_windows_are_mostly_ahead_and_some_already_open(document):
    earliest = [date.fromisoformat(o["earliest"]) for o in document["opportunities"]]
    latest = [date.fromisoformat(o["latest"]) for o in document["opportunities"]]
    assert all(end > TODAY for end in latest)
    assert any(start <= TODAY for start in earliest)
    assert sum(start > TODAY for start in earliest) >= 0.8 * len(earliest)


def test_duration_fits_window(document):
    for o in document["opportunities"]:
        window = (date.fromisoformat(o["latest"]) - date.fromisoformat(o["earliest"])).days + 1
        assert 1 <= o["duration_days"] <= window, o["id"]


def test_the_seed_exchange_pair_is_there(document):
    by_id = {o["id"]: o for o in document["opportunities"]}
    offer = by_id["boras-offer-js-multi-competent-teams"]
    request = by_id["vestland-request-js-multi-competent-teams"]
    assert (offer["direction"], request["direction"]) == ("offer", "request")
    assert offer["type"] == request["type"] == "job-shadowing"
    assert {"multi-competent-teams", "motivational-interviewing"} <= set(offer["topics"]) & set(
        request["topics"]
    )
    assert set(offer["languages"]) & set(request["languages"])


def test_demo_users_cover_every_role():
    users = demo_users()
    assert all(isinstance(user, DemoUser) for user in users)
    assert set(ROLES) <= {user.role for user in users}
    coordinators = [user for user in users if user.role == "coordinator"]
    assert all(user.organisation == "earlall" for user in coordinators)


def test_demo_users_belong_to_existing_organisations(document):
    ids = {o["id"] for o in document["organisations"]}
    for user in demo_users():
        assert user.organisation in ids, user


def test_demo_users_have_unique_example_emails():
    emails = [user.email for user in demo_users()]
    assert len(emails) == len(set(emails))
    assert all(email.endswith("@example.org") for email in emails)
    assert "coordinator@example.org" in emails


def test_demo_user_is_frozen():
    user = demo_users()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.role = "staff"  # type: ignore[misc]


def test_load_returns_a_fresh_copy():
    data = load_network_data()
    data["organisations"].clear()
    assert load_network_data()["organisations"]

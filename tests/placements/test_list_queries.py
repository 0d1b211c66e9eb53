"""Placement list pages (placements and their search, a placement's waiting list, allocation rounds, a
round's proposals, a person's placement suggestions, a case worker's rounds) run as many SQL queries with
12 rows as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.placements import rounds
from matchmaking.placements.models import Placement, Round, WaitingListEntry
from tests.factories import OrganisationFactory
from tests.factories_participants import CUSTOMERS, HYGIENE, case_worker, participant, placement
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coordinator):
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    worker = case_worker(home, email="worker@example.org")
    return {"home": home, "host": host, "worker": worker, "coordinator": coordinator}


def _placements(world):
    def grow(n: int) -> list[str]:
        while Placement.objects.count() < n:
            i = Placement.objects.count()
            placement(
                world["host"],
                key=f"kitchen-{i:02d}",
                title=f"Kitchen job {i:02d}",
                seats=1,
                required=[HYGIENE],
                desired=[CUSTOMERS],
            )
        return [p.title for p in Placement.objects.all()]

    return grow


@pytest.mark.parametrize("query", ["", "?q=kitchen&country=SE"])
def test_placement_list(client, world, query):
    client.force_login(world["worker"])
    assert_same_queries(client, reverse("placements:placement-list") + query, _placements(world))


def test_placement_waiting_list(client, world):
    client.force_login(world["worker"])
    kitchen = placement(world["host"], key="kitchen", seats=1)

    def grow(n: int) -> list[str]:
        while kitchen.waiting_list.count() < n:
            person = participant(world["home"], key_worker=world["worker"])
            WaitingListEntry.objects.create(placement=kitchen, participant=person, added_by=world["worker"])
        return [e.participant.pseudonym for e in kitchen.waiting_list.select_related("participant")]

    assert_same_queries(client, reverse("placements:placement-detail", args=[kitchen.key]), grow)


def _round(world, size: int, name: str) -> Round:
    """A proposed round of ``size`` people for ``size // 2`` one-seat placements: half are not placed."""
    people = [participant(world["home"], key_worker=world["worker"], skills=[HYGIENE]) for _ in range(size)]
    places = [
        placement(world["host"], key=f"{name}-{i}", title=f"Kitchen job {i:02d}", required=[HYGIENE])
        for i in range(max(1, size // 2))
    ]
    found = rounds.round_create(
        actor=world["coordinator"], name=name, method="stable", participants=people, placements=places
    )
    rounds.round_propose(actor=world["coordinator"], allocation_round=found)
    return found


def test_round_list(client, world):
    client.force_login(world["coordinator"])

    def grow(n: int) -> list[str]:
        while Round.objects.count() < n:
            _round(world, 1, f"Round number {Round.objects.count():02d}")
        return [r.name for r in Round.objects.all()]

    assert_same_queries(client, reverse("placements:round-list"), grow)


def test_round_detail(client, world):
    client.force_login(world["coordinator"])
    made: list[Round] = []

    def grow(n: int) -> list[str]:
        found = _round(world, n, f"round-{n}")
        found.refresh_from_db()
        assert found.status == Round.Status.PROPOSED
        made.append(found)
        return [p.participant.pseudonym for p in found.proposals.select_related("participant")]

    assert_same_queries(client, lambda: reverse("placements:round-detail", args=[made[-1].pk]), grow)


def test_placement_suggestions_of_a_person(client, world):
    client.force_login(world["worker"])
    person = participant(world["home"], key_worker=world["worker"], skills=[HYGIENE])

    def grow(n: int) -> list[str]:
        grow_placements = _placements(world)
        grow_placements(n)
        return [p.title for p in Placement.objects.all()]

    url = reverse("placements:suggestions", args=[person.pseudonym])
    assert_same_queries(client, url, grow)


def test_rounds_of_a_case_worker(client, world):
    client.force_login(world["worker"])

    def grow(n: int) -> list[str]:
        while Round.objects.count() < n:
            _round(world, 1, f"Round number {Round.objects.count():02d}")
        return [r.name for r in Round.objects.all()]

    assert_same_queries(client, reverse("placements:my-rounds"), grow)

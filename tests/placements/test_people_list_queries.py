"""One person's placement pages that list rows (suggested placements, the host's inbox, a case worker's
rounds) run as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.organisations.models import Role
from matchmaking.participants.models import ParticipantSkill
from matchmaking.placements import lifecycle, rounds
from matchmaking.placements.models import Placement, Round
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, case_worker, participant, placement
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    worker = case_worker(home, email="worker@example.org")
    return {
        "home": home,
        "host": host,
        "worker": worker,
        "host_staff": member(Role.STAFF, host, email="staff@example.org"),
        "coordinator": member(Role.COORDINATOR, OrganisationFactory(key="net"), email="c@example.org"),
    }


def _kitchens(world, n: int) -> list[Placement]:
    while Placement.objects.count() < n:
        i = Placement.objects.count()
        placement(
            world["host"],
            key=f"kitchen-{i:02d}",
            title=f"Kitchen job {i:02d}",
            required=[HYGIENE],
            desired=[CUSTOMERS],
            languages=(("sv", "B1"),),
        )
    return list(Placement.objects.order_by("key"))


def test_suggested_placements(client, world):
    person = participant(world["home"], key_worker=world["worker"])
    ParticipantSkill.objects.create(participant=person, uri=HYGIENE, label="hygiene", esco_version="1.1.1")

    def grow(n: int) -> list[str]:
        return [p.title for p in _kitchens(world, n)]

    client.force_login(world["worker"])
    assert_same_queries(client, reverse("placements:suggestions", args=[person.pseudonym]), grow)


def test_the_hosts_inbox(client, world):
    kitchen = placement(world["host"], key="big-kitchen", seats=100, required=[HYGIENE], languages=())

    def grow(n: int) -> list[str]:
        people = []
        while len(people) < n:
            people = list(kitchen.assignments.values_list("participant__pseudonym", flat=True))
            if len(people) < n:
                person = participant(world["home"], key_worker=world["worker"])
                lifecycle.assignment_propose(actor=world["worker"], participant=person, placement=kitchen)
        return people

    client.force_login(world["host_staff"])
    assert_same_queries(client, reverse("placements:inbox"), grow)


def test_a_case_workers_rounds(client, world):
    person = participant(world["home"], key_worker=world["worker"])
    kitchen = placement(world["host"], key="kitchen", required=[HYGIENE], languages=())

    def grow(n: int) -> list[str]:
        while Round.objects.count() < n:
            rounds.round_create(
                actor=world["coordinator"],
                name=f"Round {Round.objects.count():02d}",
                method="stable",
                participants=[person],
                placements=[kitchen],
            )
        return list(Round.objects.values_list("name", flat=True))

    client.force_login(world["worker"])
    assert_same_queries(client, reverse("placements:my-rounds"), grow)

"""Participant list pages (the caseload and its filters, a person's skills, follow-up group and
personal-data access log) run as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.access_log import access_log_record
from matchmaking.participants.models import Participant, ParticipantSkill
from matchmaking.pathways.models import Goal, Offer, Step
from tests.factories_participants import case_worker, consent, group_member, participant
from tests.list_queries import assert_same_queries


def _caseload(world, *, offers: bool = True, days_ago: int = 30):
    """Participants of Borås with a plan of two steps, in a follow-up group, every other one (``offers``)
    with an offer; registered ``days_ago`` days ago."""

    def grow(n: int) -> list[str]:
        while Participant.objects.filter(organisation=world.home).count() < n:
            i = Participant.objects.count()
            p = participant(
                world.home,
                key_worker=world.worker,
                registered_on=timezone.localdate() - timedelta(days=days_ago + i),
            )
            goal = Goal.objects.create(participant=p, title="Find work", created_by=world.worker)
            for title in ("Visit the job centre", "Write a CV"):
                Step.objects.create(goal=goal, title=title, owner=world.home, created_by=world.worker)
            if offers and i % 2:
                Offer.objects.create(
                    participant=p,
                    organisation=world.home,
                    offered_on=timezone.localdate(),
                    recorded_by=world.worker,
                )
            consent(p, "sharing", world.other)
            group_member(p, world.helper, world.other)
        return [p.pseudonym for p in Participant.objects.filter(organisation=world.home)]

    return grow


@pytest.mark.parametrize("query", ["", "?mine=on", "?clock=running", "?clock=overdue"])
def test_caseload(client, world, query):
    client.force_login(world.worker)
    if "clock" in query:  # only people without an offer have a running or overdue clock
        grow = _caseload(world, offers=False, days_ago=400 if "overdue" in query else 10)
        world.person.delete()
    else:
        grow = _caseload(world)
    assert_same_queries(client, reverse("participants:caseload") + query, grow)


def test_caseload_of_a_group_member(client, world):
    client.force_login(world.helper)
    assert_same_queries(client, reverse("participants:caseload") + "?mine=on", _caseload(world))


def test_skills_of_a_participant(client, world):
    client.force_login(world.worker)

    def grow(n: int) -> list[str]:
        while world.person.skills.count() < n:
            i = world.person.skills.count()
            ParticipantSkill.objects.create(
                participant=world.person,
                uri=f"http://data.europa.eu/esco/skill/test-{i:02d}",
                label=f"skill number {i:02d}",
                how="informal",
                esco_version="1.1.1",
            )
        return [s.label for s in world.person.skills.all()]

    assert_same_queries(client, reverse("participants:skills", args=[world.person.pseudonym]), grow)


def test_follow_up_group(client, world):
    client.force_login(world.worker)

    def grow(n: int) -> list[str]:
        while world.person.group.count() < n:
            helper = case_worker(world.other, email=f"helper{world.person.group.count():02d}@example.org")
            group_member(world.person, helper, world.other)
        return [str(m.user) for m in world.person.group.select_related("user")]

    assert_same_queries(client, reverse("participants:group", args=[world.person.pseudonym]), grow)


def test_access_history(client, world):
    """The personal-data access log of one participant (a page of the privacy app)."""
    client.force_login(world.worker)
    readers = [case_worker(world.home, email=f"reader{i:02d}@example.org") for i in range(12)]

    def grow(n: int) -> list[str]:
        for reader in readers[len(grow.done) : n]:
            access_log_record(
                user=reader, subject=world.person, fields=["profile"], purpose="case work", path="/x/"
            )
            grow.done.append(str(reader))
        return list(grow.done)

    grow.done = []
    url = reverse("privacy:access-history", args=[world.person.pseudonym])
    assert_same_queries(client, url, grow)

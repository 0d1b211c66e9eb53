"""Two coordinators confirm two rounds that want the same last seat at the same moment: one wins.

Runs on PostgreSQL (row locks with select_for_update); SQLite serialises writers anyway and is skipped.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from matchmaking.organisations.models import Role
from matchmaking.placements import rounds
from matchmaking.placements.models import Proposal
from tests.factories import OrganisationFactory, member
from tests.factories_participants import HYGIENE, case_worker, participant, placement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)")
def test_concurrent_confirmations_never_over_allocate():
    home = OrganisationFactory(key="home-pg")
    host = OrganisationFactory(key="host-pg")
    coordinator = member(Role.COORDINATOR, OrganisationFactory(key="secretariat-pg"))
    worker = case_worker(home)
    seat = placement(host, key="last-seat", seats=1, required=[HYGIENE])
    made = []
    for n in range(6):
        person = participant(home, key_worker=worker, skills=[HYGIENE])
        made.append(
            rounds.round_create(
                actor=coordinator, name=f"R{n}", method="stable", participants=[person], placements=[seat]
            )
        )
    for found in made:
        rounds.round_propose(actor=coordinator, allocation_round=found)
    barrier = threading.Barrier(len(made))
    results: list[str] = []

    def confirm(found):
        try:
            barrier.wait()
            rounds.round_confirm(actor=coordinator, allocation_round=found)
            results.append("ok")
        except Exception as exc:
            results.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(found,)) for found in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert Proposal.objects.filter(placement=seat, status__in=Proposal.HOLDS_SEAT).count() == 1

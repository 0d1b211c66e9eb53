"""Property: however rounds overlap and in whatever order they are confirmed, no placement ever holds more
confirmed or accepted participants than it has seats."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.organisations.models import Role
from matchmaking.placements import rounds
from matchmaking.placements.models import Placement, Proposal
from tests.factories import OrganisationFactory, member
from tests.factories_participants import HYGIENE, participant, placement


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seats=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3),
    plans=st.lists(
        st.tuples(st.integers(0, 5), st.integers(1, 4), st.integers(0, 2)), min_size=2, max_size=5
    ),
    order=st.randoms(use_true_random=False),
)
def test_confirmations_never_over_allocate(seats, plans, order):
    sid = transaction.savepoint()
    try:
        home = OrganisationFactory()
        host = OrganisationFactory()
        coordinator = member(Role.COORDINATOR, OrganisationFactory())
        places = [placement(host, seats=n, required=[HYGIENE], languages=()) for n in seats]
        made = []
        for first, size, where in plans:
            people = [participant(home, skills=[HYGIENE], languages=()) for _ in range(size)]
            chosen = places[where % len(places) :] or places
            found = rounds.round_create(
                actor=coordinator, name=f"r{first}", method="stable", participants=people, placements=chosen
            )
            rounds.round_propose(actor=coordinator, allocation_round=found)
            made.append(found)
        order.shuffle(made)
        for found in made:
            with contextlib.suppress(ValidationError):
                rounds.round_confirm(actor=coordinator, allocation_round=found)
        for p in Placement.objects.filter(pk__in=[p.pk for p in places]):
            assert Proposal.objects.filter(placement=p, status__in=Proposal.HOLDS_SEAT).count() <= p.seats
    finally:
        transaction.savepoint_rollback(sid)

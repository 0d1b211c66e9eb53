"""Seats: a single proposal the host accepted holds a seat for every count (rounds, a round's own
check, freed-seat offers, lists), so no path gives the same seat twice."""

from __future__ import annotations

import pytest

from matchmaking.placements import selectors
from matchmaking.placements.models import Placement
from matchmaking.placements.rounds import free_seats
from matchmaking.placements.seats import seats_held
from matchmaking.placements.services import seats_taken
from tests.placements.test_lifecycle import _accepted, host, job, person  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_accepted_single_proposal_holds_a_seat_everywhere(world, host, job, person):  # noqa: F811
    before = free_seats([job])[job.pk]
    _accepted(world, host, job, person)
    assert seats_taken(job) == 1
    assert seats_held([job.pk]) == {job.pk: 1}
    assert free_seats([job])[job.pk] == before - 1
    listed = selectors.with_seats_taken(Placement.objects.filter(pk=job.pk)).get()
    assert listed.taken == 1

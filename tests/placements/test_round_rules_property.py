"""Property: whatever happens after a round (people leaving, contests upheld, hosts declining, waiting
lists, holds expiring), nobody who left or is paused is proposed, nobody below the round's minimum fit,
and no placement holds more people than it has seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant
from matchmaking.placements import decisions, rounds, seat_offers
from matchmaking.placements.eligibility import ineligibility
from matchmaking.placements.models import Placement, Proposal, WaitingListEntry
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, case_worker, participant, placement

SKILLS = [(), (HYGIENE,), (CUSTOMERS,), (HYGIENE, CUSTOMERS)]
ACTIVE = (Proposal.Status.PROPOSED, *Proposal.HOLDS_SEAT)

actions = st.lists(
    st.tuples(st.sampled_from(["contest", "decline", "wait", "expire"]), st.integers(0, 50)), max_size=8
)


def _check(places, found, left):
    for p in Placement.objects.filter(pk__in=[p.pk for p in places]):
        assert Proposal.objects.filter(placement=p, status__in=Proposal.HOLDS_SEAT).count() <= p.seats
    for proposal in Proposal.objects.filter(round=found, status__in=ACTIVE, placement__isnull=False):
        assert proposal.participant_id not in left
        assert ineligibility(proposal.participant) is None
        assert proposal.score is not None
        assert proposal.score >= found.min_fit


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(st.sampled_from(SKILLS), st.sampled_from(["active", "exited", "paused"])),
        min_size=2,
        max_size=6,
    ),
    places=st.lists(st.tuples(st.sampled_from(SKILLS[1:]), st.integers(1, 2)), min_size=1, max_size=3),
    min_fit=st.sampled_from([0, 20, 50, 70]),
    method=st.sampled_from(["stable", "optimal"]),
    steps=actions,
)
def test_rounds_keep_the_rules_through_contests_and_freed_seats(people, places, min_fit, method, steps):
    sid = transaction.savepoint()
    try:
        home = OrganisationFactory(country="SE")
        host = OrganisationFactory(country="SE")
        worker = case_worker(home)
        host_member = member(Role.STAFF, host)
        coordinator = member(Role.COORDINATOR, OrganisationFactory())
        made = [participant(home, key_worker=worker, skills=list(s), languages=()) for s, _ in people]
        chosen = [placement(host, seats=n, required=list(s), languages=()) for s, n in places]
        found = rounds.round_create(
            actor=coordinator, name="r", method=method, min_fit=min_fit, participants=made, placements=chosen
        )
        # Some leave or pause after the round was made, before it is computed.
        left = set()
        for person, (_, status) in zip(made, people, strict=True):
            if status == "exited":
                Participant.objects.filter(pk=person.pk).update(exited_on=timezone.localdate())
                left.add(person.pk)
            elif status == "paused":
                Participant.objects.filter(pk=person.pk).update(status="paused")
                left.add(person.pk)
        rounds.round_propose(actor=coordinator, allocation_round=found)
        found.refresh_from_db()
        _check(chosen, found, left)
        rounds.round_confirm(actor=coordinator, allocation_round=found)
        _check(chosen, found, left)
        now = timezone.now()
        for action, n in steps:
            holding = list(found.proposals.filter(status__in=Proposal.WAITS_FOR_HOST).order_by("pk"))
            if action == "contest" and holding:
                target = holding[n % len(holding)]
                contest = decisions.contest_raise(actor=worker, proposal=target, reason="r")
                decisions.contest_answer(actor=coordinator, contest=contest, upheld=True, answer="a")
            elif action == "decline" and holding:
                target = holding[n % len(holding)]
                decisions.proposal_decide(actor=host_member, proposal=target, accept=False, reason="dates")
            elif action == "wait":
                person, place = made[n % len(made)], chosen[n % len(chosen)]
                WaitingListEntry.objects.create(placement=place, participant=person)
            elif action == "expire":
                now += timedelta(days=seat_offers.seat_hold_days() + 1)
                seat_offers.seat_holds_expire(now=now)
            _check(chosen, found, left)
    finally:
        transaction.savepoint_rollback(sid)

"""Whatever order the steps of a placement are tried in, the lifecycle keeps its invariants: only the
allowed transitions happen, a refused step changes nothing, the plan step mirrors the placement, an
offer is recorded once when (and only when) the host accepted, and the seats are never exceeded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.organisations.models import Role
from matchmaking.pathways.models import Offer, Step
from matchmaking.placements import lifecycle
from matchmaking.placements.models import Assignment
from matchmaking.placements.services import seats_taken
from tests.factories import OrganisationFactory, member
from tests.factories_participants import participant, placement

TODAY = date(2027, 3, 15)
ACTIONS = ("hold", "accept", "decline", "withdraw", "start", "note", "complete", "end-early")


class RollbackError(Exception):
    pass


def _try(action: str, a: Assignment, worker, host) -> None:
    job = a.placement
    if action == "hold":
        lifecycle.assignment_hold(actor=host, assignment=a, interview_on=TODAY)
    elif action == "accept":
        lifecycle.assignment_decide(actor=host, assignment=a, accept=True, today=TODAY)
    elif action == "decline":
        lifecycle.assignment_decide(actor=host, assignment=a, accept=False, reason="dates", today=TODAY)
    elif action == "withdraw":
        lifecycle.assignment_withdraw(actor=worker, assignment=a)
    elif action == "start":
        lifecycle.assignment_start(actor=worker, assignment=a, started_on=job.start, today=TODAY)
    elif action == "note":
        lifecycle.attendance_note(actor=host, assignment=a, noted_on=TODAY, present=True, today=TODAY)
    elif action == "complete":
        lifecycle.assignment_end(
            actor=worker, assignment=a, ended_on=TODAY, early=False, outcome="hired", today=TODAY
        )
    else:
        lifecycle.assignment_end(
            actor=worker,
            assignment=a,
            ended_on=TODAY,
            early=True,
            reason="fit",
            outcome="seeking",
            today=TODAY,
        )


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(ACTIONS), max_size=7))
def test_any_order_of_steps_keeps_the_invariants(steps):
    try:
        with transaction.atomic():
            home = OrganisationFactory(key="home", country="SE")
            hotel = OrganisationFactory(key="hotel", country="SE")
            worker = member(Role.CASE_WORKER, home, email="w@example.org")
            host = member(Role.STAFF, hotel, email="h@example.org")
            person = participant(home, key_worker=worker, languages=())
            job = placement(
                hotel, languages=(), start=TODAY - timedelta(days=10), end=TODAY, kind="job", seats=1
            )
            a = lifecycle.assignment_propose(actor=worker, participant=person, placement=job)
            for action in steps:
                before = Assignment.objects.get(pk=a.pk)
                try:
                    _try(action, before, worker, host)
                except ValidationError:
                    after = Assignment.objects.get(pk=a.pk)
                    assert (after.status, after.history) == (before.status, before.history)
                    continue
                after = Assignment.objects.get(pk=a.pk)
                if action != "note":
                    assert after.status in Assignment.TRANSITIONS[before.status]
                step = Step.objects.get(pk=after.step_id)
                assert step.status == lifecycle.STEP_STATUS[Assignment.Status(after.status)]
                accepted = any(e["code"] == "accepted" for e in after.history)
                assert Offer.objects.filter(participant=person).count() == (1 if accepted else 0)
                assert seats_taken(job) <= job.seats
            raise RollbackError
    except RollbackError:
        pass

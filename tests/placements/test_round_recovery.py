"""A round never stays "being computed" after its background task is gone: the reclaim job starts it again
(at most ROUND_TASK_ATTEMPTS times in all) or fails it with a reason, and a recomputation replaces the
round's proposals. The clock is the ``now`` the periodic runner passes to the job; nothing sleeps."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchmaking.accounts.services import api_token_create
from matchmaking.core.periodic import registered_jobs, run_periodic
from matchmaking.placements import round_recovery, rounds
from matchmaking.placements.models import Round
from tests.factories import OrganisationFactory
from tests.factories_participants import CUSTOMERS, participant, placement

T0 = timezone.now().replace(microsecond=0) - timedelta(days=1)
LEASE = 300


@pytest.fixture
def running(world, coordinator, settings, django_capture_on_commit_callbacks):
    """A round enqueued for the background worker (the enqueue itself held back) and its task result."""
    settings.ROUND_BACKGROUND_PAIRS = 1
    settings.ROUND_TASK_LEASE_SECONDS = LEASE
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    places = [placement(host, key=f"p{i}", seats=1, required=[]) for i in range(2)]
    people = [world.person, participant(world.home, key_worker=world.worker, skills=[CUSTOMERS])]
    found = rounds.round_create(
        actor=coordinator, name="Big", method="stable", participants=people, placements=places
    )
    with django_capture_on_commit_callbacks(execute=False):
        rounds.round_propose(actor=coordinator, allocation_round=found)
    found.refresh_from_db()
    assert (found.status, found.attempts) == (Round.Status.RUNNING, 1)
    return found


def _task(found: Round, status: str, started_at=T0) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [found.pk], "kwargs": {}},
        task_path="matchmaking.placements.rounds.compute_round",
        backend_name="default",
        run_after=T0,
        started_at=started_at if status != TaskResultStatus.READY else None,
    )
    Round.objects.filter(pk=found.pk).update(task_id=str(result.id), progress_at=T0)
    return result


def _reclaim(now, capture):
    with capture(execute=True):
        return round_recovery.rounds_reclaim(now=now)


def test_the_reclaim_job_runs_every_minute():
    (job,) = [j for j in registered_jobs() if j.name == "round-reclaim"]
    assert job.every == timedelta(minutes=1)


def test_a_stale_running_round_is_started_again_and_completes(
    running, coordinator, django_capture_on_commit_callbacks
):
    task = _task(running, TaskResultStatus.RUNNING)
    summary = _reclaim(T0 + timedelta(seconds=LEASE + 1), django_capture_on_commit_callbacks)
    assert summary.startswith("1 rounds started again")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.finished_at is not None
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED
    assert running.attempts == 2
    assert running.proposals.count() == running.participants.count() == 2


def test_a_healthy_running_round_is_left_alone(running, django_capture_on_commit_callbacks):
    task = _task(running, TaskResultStatus.RUNNING)
    Round.objects.filter(pk=running.pk).update(progress_at=T0 + timedelta(seconds=LEASE))
    _reclaim(T0 + timedelta(seconds=LEASE + 30), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    task.refresh_from_db()
    assert (running.status, running.attempts, task.status) == (
        Round.Status.RUNNING,
        1,
        TaskResultStatus.RUNNING,
    )


def test_a_task_started_late_counts_as_a_heartbeat(running, django_capture_on_commit_callbacks):
    """Queued behind other work for longer than the lease, then just claimed by a worker: alive."""
    _task(running, TaskResultStatus.RUNNING, started_at=T0 + timedelta(seconds=LEASE * 3))
    _reclaim(T0 + timedelta(seconds=LEASE * 3 + 5), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING
    assert running.attempts == 1


def test_a_queued_task_is_left_alone(running, django_capture_on_commit_callbacks):
    _task(running, TaskResultStatus.READY)
    _reclaim(T0 + timedelta(days=1), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING
    assert running.attempts == 1


def test_a_failed_task_is_started_again_at_once(running, django_capture_on_commit_callbacks):
    """A task that failed on "database is locked" before it could mark the round failed."""
    _task(running, TaskResultStatus.FAILED)
    Round.objects.filter(pk=running.pk).update(progress_at=T0 + timedelta(seconds=1))
    _reclaim(T0 + timedelta(seconds=2), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED
    assert running.attempts == 2


def test_a_missing_task_is_started_again_after_the_lease(running, django_capture_on_commit_callbacks):
    Round.objects.filter(pk=running.pk).update(task_id=str(uuid.uuid4()), progress_at=T0)
    _reclaim(T0 + timedelta(seconds=LEASE - 1), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING
    _reclaim(T0 + timedelta(seconds=LEASE + 1), django_capture_on_commit_callbacks)
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED


def test_attempts_exhausted_fail_the_round_with_a_reason(
    running, coordinator, client, django_capture_on_commit_callbacks
):
    _task(running, TaskResultStatus.RUNNING)
    Round.objects.filter(pk=running.pk).update(attempts=rounds.ROUND_TASK_ATTEMPTS)
    summary = _reclaim(T0 + timedelta(seconds=LEASE + 1), django_capture_on_commit_callbacks)
    assert "1 rounds failed" in summary
    running.refresh_from_db()
    assert running.status == Round.Status.FAILED
    assert running.failure_code == Round.Failure.WORKER_LOST
    assert running.failure_params == {"attempts": 3}
    assert running.proposals.count() == 0
    client.force_login(coordinator)
    page = client.get(running.get_absolute_url()).content.decode()
    assert "started 3 times and stopped before it finished" in page
    assert "Compute again" in page
    _, token = api_token_create(user=coordinator, name="test")
    answer = client.get(f"/api/rounds/{running.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert answer["status"] == "failed"
    assert "started 3 times and stopped before it finished" in answer["failure"]
    # Computing again is a new request: the attempts start over and the reason goes.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("placements:round-propose", args=[running.pk]))
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED
    assert (running.attempts, running.failure_code) == (1, "")
    assert running.proposals.count() == 2


def test_the_worker_runs_the_job(running, django_capture_on_commit_callbacks):
    _task(running, TaskResultStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        results = dict(run_periodic(now=T0 + timedelta(seconds=LEASE + 1), only="round-reclaim"))
    assert results["round-reclaim"].startswith("1 rounds started again")
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED


def test_a_superseded_computation_writes_nothing(running):
    """The killed worker's computation, if it was only slow and finishes after the round was started
    again, neither stores its proposals nor moves the round's progress."""
    stale = Round.objects.get(pk=running.pk)
    Round.objects.filter(pk=running.pk).update(attempts=2)
    rounds.round_compute(round_id=stale.pk)  # reads attempts=2 itself: the current computation
    assert Round.objects.get(pk=running.pk).status == Round.Status.PROPOSED
    Round.objects.filter(pk=running.pk).update(status=Round.Status.RUNNING, attempts=3)
    before = sorted(running.proposals.values_list("pk", flat=True))
    rounds._compute(stale)  # attempt 1, superseded twice over
    assert sorted(running.proposals.values_list("pk", flat=True)) == before
    assert Round.objects.get(pk=running.pk).status == Round.Status.RUNNING


def test_computing_twice_replaces_the_proposals(running):
    rounds.round_compute(round_id=running.pk)
    Round.objects.filter(pk=running.pk).update(status=Round.Status.RUNNING)
    rounds.round_compute(round_id=running.pk)
    assert running.proposals.count() == 2

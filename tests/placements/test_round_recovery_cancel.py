"""A coordinator may cancel a round's background computation (or dismiss its failure): the task is
cancelled, so a computation still running stores nothing even after the round was computed again, and
the round goes back to a draft (or to its earlier proposal). Others get the 404 every round page gives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchmaking.core.models import AuditEvent, TaskRecovery
from matchmaking.core.tasks import CANCELLED, TaskCancelledError, task_cancelled
from matchmaking.organisations.models import Role
from matchmaking.placements import round_recovery, rounds
from matchmaking.placements.models import Round
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, participant, placement

T0 = timezone.now().replace(microsecond=0) - timedelta(days=1)


@pytest.fixture
def running(world, coordinator, settings, django_capture_on_commit_callbacks):
    """A round being computed in the background by a task a worker has taken."""
    settings.ROUND_BACKGROUND_PAIRS = 1
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    places = [placement(host, key=f"p{i}", seats=1, required=[]) for i in range(2)]
    people = [world.person, participant(world.home, key_worker=world.worker, skills=[CUSTOMERS])]
    found = rounds.round_create(
        actor=coordinator, name="Big", method="stable", participants=people, placements=places
    )
    with django_capture_on_commit_callbacks(execute=False):
        rounds.round_propose(actor=coordinator, allocation_round=found)
    result = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [found.pk], "kwargs": {}},
        task_path=rounds.compute_round.module_path,
        backend_name="default",
        run_after=T0,
        started_at=T0,
        worker_ids=["w1"],
    )
    Round.objects.filter(pk=found.pk).update(task_id=str(result.id))
    found.refresh_from_db()
    return found


def _cancel(client: Client, found: Round):
    return client.post(reverse("placements:round-cancel", args=[found.pk]), follow=True)


def test_the_coordinator_cancels_a_computation_from_the_round_page(running, coordinator, client):
    client.force_login(coordinator)
    page = client.get(running.get_absolute_url()).content.decode()
    assert "Cancel the computation" in page
    task_id = running.task_id

    response = _cancel(client, running)
    assert "The computation has been cancelled" in response.content.decode()
    running.refresh_from_db()
    assert (running.status, running.task_id) == (Round.Status.DRAFT, "")
    assert "Compute proposal" in response.content.decode()
    assert "Cancel the computation" not in response.content.decode()
    task = DBTaskResult.objects.get(pk=task_id)
    assert (task.status, task.exception_class_path) == (TaskResultStatus.FAILED, CANCELLED)
    assert TaskRecovery.objects.get(result_id=task.pk).state == TaskRecovery.State.CANCELLED
    event = AuditEvent.objects.get(action="round.cancel")
    assert (event.actor, event.object_id) == (coordinator, str(running.pk))
    assert event.before["status"] == "running"
    assert event.after == {"status": "draft", "task_cancelled": True}


def test_a_cancelled_computation_finishing_late_stores_nothing(
    running, coordinator, client, django_capture_on_commit_callbacks, monkeypatch
):
    """Cancelled, then computed again at once: the first computation, still running in its worker,
    stops at its next progress step; had it no step left, it finds the round being computed (same
    status, same attempt) but its own task cancelled, and stores nothing."""
    stale_task = running.task_id
    client.force_login(coordinator)
    _cancel(client, running)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("placements:round-propose", args=[running.pk]))
    running.refresh_from_db()
    assert (running.status, running.attempts) == (Round.Status.RUNNING, 1)

    assert task_cancelled(stale_task)
    with pytest.raises(TaskCancelledError):  # it stops at its next progress step
        rounds.round_compute(round_id=running.pk, task_id=stale_task)
    monkeypatch.setattr(rounds, "_progress", lambda *args: lambda done, total: None)
    rounds.round_compute(round_id=running.pk, task_id=stale_task)  # past its last step: the store checks
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING
    assert running.proposals.count() == 0

    monkeypatch.undo()
    rounds.round_compute(round_id=running.pk, task_id="")  # the new computation
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED
    assert running.proposals.count() == 2


def test_cancelling_a_recomputation_keeps_the_earlier_proposal(
    running, coordinator, django_capture_on_commit_callbacks
):
    rounds.round_compute(round_id=running.pk)
    running.refresh_from_db()
    assert running.status == Round.Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=False):
        rounds.round_propose(actor=coordinator, allocation_round=running)
    found = round_recovery.round_cancel(actor=coordinator, allocation_round=running)
    assert found.status == Round.Status.PROPOSED
    assert found.proposals.count() == 2


def test_a_failed_round_can_be_dismissed(running, coordinator, client):
    Round.objects.filter(pk=running.pk).update(
        status=Round.Status.FAILED, failure_code=Round.Failure.WORKER_LOST, failure_params={"attempts": 3}
    )
    client.force_login(coordinator)
    page = client.get(running.get_absolute_url()).content.decode()
    assert "Compute again" in page
    assert "Dismiss the failure" in page
    _cancel(client, running)
    running.refresh_from_db()
    assert (running.status, running.failure_code, running.failure_params) == (Round.Status.DRAFT, "", {})


def test_only_a_running_or_failed_round_can_be_cancelled(running, coordinator, client):
    client.force_login(coordinator)
    _cancel(client, running)
    response = _cancel(client, running)  # now a draft
    assert "Only a round being computed, or one that failed, can be cancelled." in response.content.decode()
    assert AuditEvent.objects.filter(action="round.cancel").count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.ORG_ADMIN, Role.CASE_WORKER])
def test_others_get_404_and_nothing_changes(running, client, role):
    """A member of another organisation, or of the round's own participants' organisation, in any
    role but coordinator: the same 404 as for a round that does not exist."""
    for organisation in (
        OrganisationFactory(key="elsewhere", name="Elsewhere"),
        running.participants.first().organisation,
    ):
        client.force_login(member(role, organisation))
        assert client.post(reverse("placements:round-cancel", args=[running.pk])).status_code == 404
        assert client.post(reverse("placements:round-cancel", args=[running.pk + 999])).status_code == 404
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING
    assert not AuditEvent.objects.filter(action="round.cancel").exists()


def test_cancel_is_a_post_with_csrf(running, coordinator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    url = reverse("placements:round-cancel", args=[running.pk])
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    running.refresh_from_db()
    assert running.status == Round.Status.RUNNING

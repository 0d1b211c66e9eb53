"""Background tasks survive a dead worker and passing errors: the ``task-reclaim`` job queues again a
recoverable task whose worker is gone (RUNNING past the lease) or that failed on a passing error, with an
exponential back-off, at most TASK_RETRY_LIMIT times, then marks it failed with a reason; a cancelled
task is never run. Tasks go through django-tasks-db's real rows and its worker's ``run_task``; the clock
is the ``now`` the periodic runner passes to the job, so nothing sleeps."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from matchmaking.core import tasks
from matchmaking.core.models import Notification, TaskRecovery
from matchmaking.core.notifications import notify
from matchmaking.core.periodic import registered_jobs, run_periodic
from tests.factories import UserFactory

# Earlier than the real clock, so a task queued again at T0 + back-off is already due for the worker.
T0 = timezone.now().replace(microsecond=0) - timedelta(days=1)
LEASE, BACKOFF = 600, 60


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_LEASE_SECONDS, settings.TASK_RETRY_BACKOFF_SECONDS, settings.TASK_RETRY_LIMIT = (
        LEASE,
        BACKOFF,
        3,
    )
    settings.NOTIFICATION_EMAIL = True


@pytest.fixture
def emailed(db, db_tasks, django_capture_on_commit_callbacks) -> DBTaskResult[Any, Any]:
    """A notification whose email task is queued in the database (not yet run)."""
    user = UserFactory(email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="Hello")
    (result,) = DBTaskResult.objects.all()
    assert result.task_path == tasks.send_notification_email.module_path
    return result


def _work(worker_id: str) -> DBTaskResult[Any, Any] | None:
    """What one ``db_worker`` pass does: take the next due task, claim it, run it."""
    result = DBTaskResult.objects.ready().first()
    if result is None:
        return None
    result.claim(worker_id)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run_task(result)
    result.refresh_from_db()
    return result


def _smtp_down(monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    real = tasks.send_mail
    calls = {"n": 0}

    def send_mail(**kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] <= times:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "send_mail", send_mail)


def test_the_reclaim_job_runs_every_minute_and_watches_the_idempotent_tasks():
    (job,) = [j for j in registered_jobs() if j.name == "task-reclaim"]
    assert job.every == timedelta(minutes=1)
    assert tasks.recoverable_task_paths() == [
        "matchmaking.core.tasks.send_notification_email",
        "matchmaking.interchange.tasks.fill_search_text",
        "matchmaking.interchange.tasks.imported_opportunity_alerts",
        "matchmaking.mobility.tasks.refresh_changed_suggestions",
        "matchmaking.mobility.tasks.refresh_suggestions",
        "matchmaking.mobility.tasks.saved_search_alerts",
        "matchmaking.monitoring.tasks.refresh_facts",
    ]


def test_a_passing_error_is_retried_with_back_off_until_the_email_goes(emailed, monkeypatch):
    _smtp_down(monkeypatch, times=2)
    assert _work("w1").status == TaskResultStatus.FAILED

    assert tasks.tasks_reclaim(now=T0).startswith("1 tasks queued again")
    emailed.refresh_from_db()
    assert (emailed.status, emailed.run_after) == (TaskResultStatus.READY, T0 + timedelta(seconds=BACKOFF))
    assert _work("w2").status == TaskResultStatus.FAILED  # the mail server is still down

    later = T0 + timedelta(minutes=5)
    tasks.tasks_reclaim(now=later)
    emailed.refresh_from_db()
    assert emailed.run_after == later + timedelta(seconds=2 * BACKOFF)  # twice as long
    assert _work("w3").status == TaskResultStatus.SUCCESSFUL

    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
    emailed.refresh_from_db()
    assert emailed.worker_ids == ["w1", "w2", "w3"]  # one claim per attempt
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert (recovery.state, recovery.retries, recovery.reason_code) == ("retrying", 2, "transient-error")
    assert tasks.tasks_reclaim(now=later + timedelta(hours=1)).startswith("0 tasks queued again")


def test_after_three_retries_the_task_fails_with_a_reason(emailed, monkeypatch):
    _smtp_down(monkeypatch, times=99)
    now = T0
    for attempt in range(1, 4):
        assert _work(f"w{attempt}").status == TaskResultStatus.FAILED
        tasks.tasks_reclaim(now=now)
        now += timedelta(hours=1)
    assert _work("w4").status == TaskResultStatus.FAILED
    assert "1 tasks failed after 3 retries" in tasks.tasks_reclaim(now=now)

    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert (recovery.state, recovery.retries) == (TaskRecovery.State.FAILED, 3)
    assert recovery.reason_params == {
        "attempts": 4,
        "error": "smtplib.SMTPServerDisconnected: Connection unexpectedly closed",
    }
    assert "tried 4 times" in recovery.reason_text
    assert "Connection unexpectedly closed" in recovery.reason_text
    # Given up for good: later passes leave it alone, and no worker takes it.
    assert tasks.tasks_reclaim(now=now + timedelta(days=1)).startswith("0 tasks queued again, 0 tasks failed")
    assert _work("w5") is None
    assert mail.outbox == []


def test_a_task_whose_worker_died_is_queued_again_after_the_lease(emailed):
    emailed.claim("killed")
    DBTaskResult.objects.filter(pk=emailed.pk).update(started_at=T0)

    tasks.tasks_reclaim(now=T0 + timedelta(seconds=LEASE - 1))
    emailed.refresh_from_db()
    assert emailed.status == TaskResultStatus.RUNNING  # within the lease: perhaps only slow

    with_lease = T0 + timedelta(seconds=LEASE + 1)
    assert tasks.tasks_reclaim(now=with_lease).startswith("1 tasks queued again")
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert (recovery.reason_code, recovery.reason_params) == ("worker-lost", {"attempts": 1, "error": ""})
    assert _work("second").status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1


def test_a_task_lost_three_times_is_failed_and_stays_failed(emailed):
    now = T0
    for attempt in range(4):
        emailed.refresh_from_db()
        emailed.claim(f"killed-{attempt}")
        DBTaskResult.objects.filter(pk=emailed.pk).update(started_at=now)
        now += timedelta(seconds=LEASE + 1)
        tasks.tasks_reclaim(now=now)
    emailed.refresh_from_db()
    assert emailed.status == TaskResultStatus.FAILED
    assert emailed.exception_class_path == tasks.LOST
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert (recovery.state, recovery.reason_code) == ("failed", "worker-lost")
    assert "stopped before it finished (tried 4 times)" in recovery.reason_text
    assert tasks.tasks_reclaim(now=now + timedelta(days=1)).startswith("0 tasks queued again, 0 tasks failed")


def test_a_real_error_and_other_tasks_are_left_alone(emailed, monkeypatch):
    def broken(**kwargs: Any) -> int:
        raise ValueError("a bug, not a passing error")

    monkeypatch.setattr(tasks, "send_mail", broken)
    assert _work("w1").status == TaskResultStatus.FAILED
    round_task = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="matchmaking.placements.rounds.compute_round",  # rounds have their own reclaim
        backend_name="default",
        run_after=T0,
        started_at=T0,
    )
    assert tasks.tasks_reclaim(now=T0 + timedelta(days=1)).startswith("0 tasks queued again, 0 tasks failed")
    round_task.refresh_from_db()
    assert round_task.status == TaskResultStatus.RUNNING
    assert not TaskRecovery.objects.exists()


def test_a_cancelled_task_is_never_run_nor_retried(emailed):
    assert tasks.task_cancel(task_id=str(emailed.pk), now=T0)
    assert tasks.task_cancelled(emailed.pk)
    assert _work("w1") is None
    assert tasks.tasks_reclaim(now=T0 + timedelta(days=1)).startswith("0 tasks queued again")
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert (recovery.state, recovery.reason_text) == ("cancelled", "Cancelled by a person.")
    assert not tasks.task_cancel(task_id=str(emailed.pk), now=T0)  # nothing left to cancel
    assert not tasks.task_cancel(task_id="not-a-task", now=T0)


def test_the_worker_s_periodic_loop_runs_the_job(emailed, monkeypatch):
    _smtp_down(monkeypatch, times=1)
    _work("w1")
    results = dict(run_periodic(now=T0, only="task-reclaim"))
    assert results["task-reclaim"].startswith("1 tasks queued again")
    assert _work("w2").status == TaskResultStatus.SUCCESSFUL


def test_cleanup_deletes_the_recovery_of_deleted_results(emailed):
    tasks.task_cancel(task_id=emailed.pk, now=T0)
    results = dict(run_periodic(now=T0 + timedelta(days=31), only="task-results-cleanup", force=True))
    assert results["task-results-cleanup"].startswith("1 finished task results deleted")
    assert not TaskRecovery.objects.exists()


def test_a_coordinator_sees_the_reason_and_queues_a_failed_task_again(
    emailed, monkeypatch, client, coordinator
):
    _smtp_down(monkeypatch, times=4)
    for attempt in range(4):
        _work(f"w{attempt}")
        tasks.tasks_reclaim(now=T0 + timedelta(hours=attempt))
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    assert recovery.state == TaskRecovery.State.FAILED
    client.force_login(coordinator)
    listing = client.get(reverse("admin:core_taskrecovery_changelist")).content.decode()
    assert "send_notification_email" in listing
    assert "It kept failing on a passing error (tried 4 times)" in listing

    url = reverse("admin:core_taskrecovery_changelist")
    response = client.post(url, {"action": "retry", "_selected_action": [recovery.pk]}, follow=True)
    assert "1 task queued again." in response.content.decode()
    recovery.refresh_from_db()
    assert (recovery.state, recovery.retries) == (TaskRecovery.State.RETRYING, 0)
    assert _work("w5").status == TaskResultStatus.SUCCESSFUL  # the mail server is back
    assert len(mail.outbox) == 1
    listing = client.get(reverse("admin:core_taskrecovery_changelist")).content.decode()
    assert "Successful" in listing  # its status in the queue now


def test_a_coordinator_cancels_a_waiting_retry(emailed, monkeypatch, client, coordinator):
    _smtp_down(monkeypatch, times=1)
    _work("w1")
    tasks.tasks_reclaim(now=T0)
    recovery = TaskRecovery.objects.get(result_id=emailed.pk)
    client.force_login(coordinator)
    url = reverse("admin:core_taskrecovery_changelist")
    response = client.post(url, {"action": "cancel", "_selected_action": [recovery.pk]}, follow=True)
    assert "1 task cancelled." in response.content.decode()
    assert _work("w2") is None
    assert mail.outbox == []


def test_only_coordinators_reach_the_task_list(db, client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:core_taskrecovery_changelist"))
    assert response.status_code == 302  # to the admin's login, as for every admin page
    assert not tasks.task_retry(task_id="not-a-task", now=T0)

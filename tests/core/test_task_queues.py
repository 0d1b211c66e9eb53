"""The worker keeps up: emails and alerts go before long batch tasks, a worker of the default queue
never takes a batch task, and a refresh queued while an identical one waits is merged into it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchmaking.core import tasks
from matchmaking.core.notifications import notify
from matchmaking.mobility import tasks as mobility_tasks
from matchmaking.placements.rounds import compute_round
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "batch"]}
    }
    settings.NOTIFICATION_EMAIL = True


def _next(queues: list[str] | None = None) -> DBTaskResult | None:
    """The task a ``db_worker`` serving ``queues`` (default: all) would take next."""
    waiting = DBTaskResult.objects.ready()
    if queues is not None:
        waiting = waiting.filter(queue_name__in=queues)
    return waiting.first()


def test_a_waiting_email_is_taken_before_a_waiting_full_refresh(db_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mobility_tasks.schedule_refresh()
    user = UserFactory(email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="Hello")
    refresh, email = DBTaskResult.objects.order_by("enqueued_at")
    assert refresh.task_path == mobility_tasks.refresh_suggestions.module_path
    assert refresh.queue_name == tasks.QUEUE_BATCH
    assert email.task_path == tasks.send_notification_email.module_path
    assert _next() == email  # queued later, taken first
    assert _next([tasks.QUEUE_DEFAULT]) == email
    email.claim("w1")
    assert _next([tasks.QUEUE_DEFAULT]) is None  # the default queue's worker never takes the batch task
    assert _next([tasks.QUEUE_BATCH]) == refresh


def test_priorities_put_people_before_computations():
    assert (
        tasks.PRIORITY_EMAIL > tasks.PRIORITY_ALERT > tasks.PRIORITY_ROUND > tasks.PRIORITY_REFRESH
        > tasks.PRIORITY_BATCH
    )  # fmt: skip
    assert mobility_tasks.saved_search_alerts.priority == tasks.PRIORITY_ALERT
    assert compute_round.priority == tasks.PRIORITY_ROUND
    assert tasks.send_notification_email.priority == tasks.PRIORITY_EMAIL
    assert mobility_tasks.refresh_changed_suggestions.queue_name == tasks.QUEUE_DEFAULT


def test_refreshes_queued_while_one_waits_are_merged_into_it(db_tasks, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        mobility_tasks.schedule_refresh(organisations=["org-b"])
    with django_capture_on_commit_callbacks(execute=True):
        mobility_tasks.schedule_refresh(organisations=["org-a", "org-b"], opportunities=["opp-1"])
    with django_capture_on_commit_callbacks(execute=True):
        mobility_tasks.schedule_refresh(opportunities=["opp-2"])
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.task_path == mobility_tasks.refresh_changed_suggestions.module_path
    assert waiting.args_kwargs["kwargs"] == {
        "organisation_keys": ["org-a", "org-b"],
        "opportunity_keys": ["opp-1", "opp-2"],
    }
    # Held back a few seconds, so that the saves of the next seconds join it.
    assert waiting.run_after >= before + mobility_tasks.REFRESH_DELAY - timedelta(seconds=1)
    assert _next() is None
    # Once a worker has taken it, the next change queues a new one.
    DBTaskResult.objects.filter(pk=waiting.pk).update(status=TaskResultStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        mobility_tasks.schedule_refresh(opportunities=["opp-3"])
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_full_refresh_queued_while_one_waits_is_dropped(db_tasks, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            mobility_tasks.schedule_refresh()
            mobility_tasks.schedule_refresh()
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.queue_name == tasks.QUEUE_BATCH
    assert waiting.args_kwargs["kwargs"] == {}

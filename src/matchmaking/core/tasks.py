"""Background tasks (django-tasks, database backend), the one way to enqueue them (after commit), and how
they survive a dead worker.

A task enqueued inside a transaction that later rolls back would act on data that never existed, so
every caller goes through ``enqueue_on_commit``.

Durability: a task registered with ``recoverable`` is watched by the ``task-reclaim`` job (``jobs.py``),
which works on django-tasks-db's own rows. A task still RUNNING ``TASK_LEASE_SECONDS`` after a worker
claimed it (``started_at``; the worker died, or lost its database before it could write the result) or
FAILED on a passing error (``TRANSIENT_ERRORS``: "database is locked", a lost connection, a busy mail
server) is put back in the queue, the same row with ``run_after`` pushed back exponentially
(``TASK_RETRY_BACKOFF_SECONDS`` × 1, 2, 4), at most ``TASK_RETRY_LIMIT`` times; then it is marked failed
with its reason kept in a ``TaskRecovery`` row. Recoverable tasks must therefore be idempotent. Each
claim appends the worker's id to the row's ``worker_ids``, so their number is the number of attempts.
Allocation rounds have their own heartbeat and reclaim (``placements/rounds.py``) and are not registered.

Queues and priorities: a worker takes the waiting task of highest ``priority`` first (then the oldest),
from the queues it is given (``matchmaking worker --queues``). Short tasks people wait for (emails,
alerts, one change's suggestions) go to ``QUEUE_DEFAULT``; long computations (a full refresh of every
suggestion) go to ``QUEUE_BATCH``, served by its own worker, so they never hold the others back.
A task queued while an identical one still waits is merged into it (``enqueue_merged``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from matchmaking.core.models import Notification, TaskRecovery

logger = logging.getLogger(__name__)

TaskT = TypeVar("TaskT", bound=Task[Any, Any])


class TaskLostError(Exception):
    """The worker running the task stopped (killed, out of memory, lost its database) before it finished."""


class TaskCancelledError(Exception):
    """A person cancelled the task; a late finish must store nothing."""


LOST = f"{TaskLostError.__module__}.{TaskLostError.__qualname__}"
CANCELLED = f"{TaskCancelledError.__module__}.{TaskCancelledError.__qualname__}"

# Errors that say nothing about the task, only about the moment: worth trying again later. Compared with
# the exception class path django-tasks-db stores for a failed task.
TRANSIENT_ERRORS = frozenset(
    {
        "django.db.utils.OperationalError",
        "django.db.utils.InterfaceError",
        "sqlite3.OperationalError",
        "psycopg.OperationalError",
        "psycopg.InterfaceError",
        "builtins.ConnectionError",
        "builtins.ConnectionRefusedError",
        "builtins.ConnectionResetError",
        "builtins.TimeoutError",
        "socket.timeout",
        "socket.gaierror",
        "smtplib.SMTPConnectError",
        "smtplib.SMTPServerDisconnected",
        "smtplib.SMTPDataError",
        LOST,
    }
)

_RECOVERABLE: set[str] = set()

# The queues (``TASKS["default"]["QUEUES"]`` in the settings lists the same names).
QUEUE_DEFAULT = "default"
QUEUE_BATCH = "batch"
# Higher first among waiting tasks of the queues a worker serves.
PRIORITY_EMAIL = 50
PRIORITY_ALERT = 20
PRIORITY_ROUND = 10
PRIORITY_REFRESH = 0
PRIORITY_BATCH = -50


def recoverable(task_obj: TaskT) -> TaskT:
    """Register an idempotent task with the ``task-reclaim`` job (stack it above ``@task()``)."""
    _RECOVERABLE.add(task_obj.module_path)
    return task_obj


def recoverable_task_paths() -> list[str]:
    return sorted(_RECOVERABLE)


def enqueue_on_commit(task_obj: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


def enqueue_merged(
    task_obj: Any,
    *,
    merge: dict[str, list[str]] | None = None,
    delay: timedelta | None = None,
    now: datetime | None = None,
) -> bool:
    """Queue ``task_obj`` unless one of it still waits (not yet taken by a worker): then merge into that
    one instead, the lists of ``merge`` (keyword arguments) unioned into its own. Without ``merge``, a
    waiting one makes this a no-op. ``delay`` holds a new task back that long, so that the changes of
    the next seconds join it (debounce). Returns True if a new task was queued.

    Only the database backend has rows to merge into; any other backend (tests run tasks at once)
    just queues.
    """
    merge = merge or {}
    if not isinstance(task_obj.get_backend(), DatabaseBackend):
        task_obj.enqueue(**merge)
        return True
    with transaction.atomic():
        waiting = (
            DBTaskResult.objects.select_for_update()
            .filter(task_path=task_obj.module_path, status=TaskResultStatus.READY)
            .order_by("enqueued_at")
            .first()
        )
        if waiting is not None:
            kwargs = waiting.args_kwargs.setdefault("kwargs", {})
            for name, values in merge.items():
                kwargs[name] = sorted(set(kwargs.get(name) or []) | set(values))
            waiting.save(update_fields=["args_kwargs"])
            return False
    if delay:
        task_obj = task_obj.using(run_after=(now or timezone.now()) + delay)
    task_obj.enqueue(**{name: sorted(set(values)) for name, values in merge.items()})
    return True


def _language(user: Any) -> str:
    """The reader's language: their own choice when the site offers it, else the site's."""
    chosen = (getattr(user, "preferred_language", "") or "").split("-")[0]
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""


def _email_text(notification: Notification) -> str:
    """One notification as plain text: its subject, its sentences and the absolute link that acts."""
    parts = [notification.display_title, notification.display_body, _link(notification.url)]
    return "\n\n".join(part for part in parts if part)


def _settings_line() -> str:
    return gettext("Choose which notifications you receive, and how: %(link)s") % {
        "link": _link(reverse("account-notifications:preferences"))
    }


@recoverable
@task(priority=PRIORITY_EMAIL)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification in its reader's language; idempotent (an emailed one is not sent twice)."""

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    with translation.override(_language(notification.recipient)):
        subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.display_title}"
        body = f"{_email_text(notification)}\n\n-- \n{_settings_line()}"
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[notification.recipient.email])
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def send_notification_digest(*, user_id: int, now: datetime) -> bool:
    """One email with every notification of ``user_id`` waiting for the daily digest; False if none.

    The rows are claimed (locked, marked emailed) in the transaction that sends: a second run finds
    nothing, and a send that fails rolls the mark back for the next run.
    """
    from matchmaking.core.notification_kinds import DIGEST, group_of

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    chosen = dict(user.notification_preferences.values_list("group", "delivery"))
    waiting = [
        n
        for n in Notification.objects.select_for_update()
        .filter(recipient_id=user_id, emailed_at__isnull=True, params__isnull=False)
        .order_by("created_at", "id")
        if chosen.get(group_of(n.kind).code, group_of(n.kind).default) == DIGEST
    ]
    if not waiting:
        return False
    Notification.objects.filter(pk__in=[n.pk for n in waiting], emailed_at__isnull=True).update(
        emailed_at=now
    )
    with translation.override(_language(user)):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + ngettext(
            "Your daily digest: %(count)d notification",
            "Your daily digest: %(count)d notifications",
            len(waiting),
        ) % {"count": len(waiting)}
        items = [
            formats.date_format(timezone.localtime(n.created_at), "SHORT_DATETIME_FORMAT")
            + "\n"
            + _email_text(n)
            for n in waiting
        ]
        footer = _settings_line()
    send_mail(
        subject=subject,
        message="\n\n---\n\n".join([*items, footer]),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


# --- Recovery -------------------------------------------------------------------------------------------


def _error_line(result: DBTaskResult[Any, Any]) -> str:
    """The last line of the stored traceback ("OperationalError: database is locked"), for the reason."""
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else result.exception_class_path.rsplit(".", 1)[-1])[:300]


def _recovery(result: DBTaskResult[Any, Any], now: datetime) -> TaskRecovery:
    found, _ = TaskRecovery.objects.select_for_update().get_or_create(
        result_id=result.pk, defaults={"task_path": result.task_path, "updated_at": now}
    )
    return found


@transaction.atomic
def tasks_reclaim(*, now: datetime) -> str:
    """Put back in the queue (or, after TASK_RETRY_LIMIT retries, fail with a reason) every recoverable
    task whose worker is gone (RUNNING past the lease) or that failed on a passing error."""
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    done = TaskRecovery.objects.exclude(state=TaskRecovery.State.RETRYING).values("result_id")
    candidates = (
        DBTaskResult.objects.filter(task_path__in=recoverable_task_paths())
        .filter(
            Q(status=TaskResultStatus.RUNNING, started_at__lt=now - lease)
            | Q(status=TaskResultStatus.FAILED, exception_class_path__in=TRANSIENT_ERRORS)
        )
        .exclude(pk__in=done)
        .order_by("enqueued_at")
    )
    retried, failed = 0, 0
    for result in candidates[: settings.TASK_RECLAIM_BATCH]:
        lost = result.status == TaskResultStatus.RUNNING or result.exception_class_path == LOST
        recovery = _recovery(result, now)
        attempts = len(result.worker_ids)
        recovery.reason_code = TaskRecovery.Reason.WORKER_LOST if lost else TaskRecovery.Reason.TRANSIENT
        recovery.reason_params = {"attempts": attempts, "error": "" if lost else _error_line(result)}
        recovery.updated_at = now
        # Conditional on the row as it was read: a worker that finishes meanwhile wins.
        row = DBTaskResult.objects.filter(pk=result.pk, status=result.status, started_at=result.started_at)
        if recovery.retries >= settings.TASK_RETRY_LIMIT:
            if result.status == TaskResultStatus.RUNNING and not row.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST,
                traceback=f"No result {settings.TASK_LEASE_SECONDS} s after a worker took it: given up.",
            ):
                continue  # it finished after all
            recovery.state = TaskRecovery.State.FAILED
            recovery.save()
            logger.warning(
                "task %s %s failed for good: %s", result.task_path, result.pk, recovery.reason_code
            )
            failed += 1
            continue
        delay = timedelta(seconds=settings.TASK_RETRY_BACKOFF_SECONDS * 2**recovery.retries)
        if not row.update(
            status=TaskResultStatus.READY,
            run_after=now + delay,
            finished_at=None,
            return_value=None,
            exception_class_path="",
            traceback="",
        ):
            continue
        recovery.retries += 1
        recovery.state = TaskRecovery.State.RETRYING
        recovery.save()
        retried += 1
    return f"{retried} tasks queued again, {failed} tasks failed after {settings.TASK_RETRY_LIMIT} retries"


def task_result(task_id: str | uuid.UUID) -> DBTaskResult[Any, Any] | None:
    """The stored result of a task by its id (as text or UUID), or None."""
    try:
        key = task_id if isinstance(task_id, uuid.UUID) else uuid.UUID(task_id)
    except ValueError:
        return None
    return DBTaskResult.objects.filter(pk=key).first()


def task_mark_lost(*, task_id: str | uuid.UUID, now: datetime, note: str) -> bool:
    """Mark a task still RUNNING as failed because its worker is gone; False if it is not running."""
    found = task_result(task_id)
    if found is None:
        return False
    return bool(
        DBTaskResult.objects.filter(pk=found.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST, traceback=note
        )
    )


@transaction.atomic
def task_cancel(*, task_id: str | uuid.UUID, now: datetime) -> bool:
    """Cancel a task: queued, no worker will take it; running, the row says so, and code that checks
    ``task_cancelled`` before it stores its result stores nothing. Retries stop. False if it had finished."""
    found = task_result(task_id)
    if found is None:
        return False
    cancelled = DBTaskResult.objects.filter(
        pk=found.pk, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=CANCELLED,
        traceback="Cancelled.",
    )
    recovery = _recovery(found, now)
    recovery.state, recovery.reason_code = TaskRecovery.State.CANCELLED, TaskRecovery.Reason.CANCELLED
    recovery.reason_params, recovery.updated_at = {"attempts": len(found.worker_ids)}, now
    recovery.save()
    return bool(cancelled)


@transaction.atomic
def task_retry(*, task_id: str | uuid.UUID, now: datetime) -> bool:
    """Queue again at once a recoverable task that failed or was cancelled, with its retries counted
    afresh; False if the task is unknown, not recoverable, or not finished as failed."""
    found = task_result(task_id)
    if found is None or found.task_path not in _RECOVERABLE:
        return False
    queued = DBTaskResult.objects.filter(pk=found.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=now,
        finished_at=None,
        return_value=None,
        exception_class_path="",
        traceback="",
    )
    if queued:
        recovery = _recovery(found, now)
        recovery.state, recovery.retries, recovery.updated_at = TaskRecovery.State.RETRYING, 0, now
        recovery.save()
    return bool(queued)


def task_cancelled(task_id: str | uuid.UUID) -> bool:
    """Whether the task was cancelled or given up as lost: its late result must not be stored."""
    found = task_result(task_id)
    if found is None:
        return False
    if found.exception_class_path in (CANCELLED, LOST):
        return True
    return TaskRecovery.objects.filter(result_id=found.pk, state=TaskRecovery.State.CANCELLED).exists()

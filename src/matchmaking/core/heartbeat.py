"""The background worker's heartbeat, for ``/healthz``: every minute the ``worker-heartbeat`` periodic job
queues a small task; the worker that runs it records the time it finished (django-tasks-db's own row), and
that time is the heartbeat. One older than ``HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS`` means no worker has taken
a task for that long. The job queues no second heartbeat while one still waits, and keeps only the last
hour of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from matchmaking.core.periodic import periodic_job


@task()
def worker_heartbeat() -> str:
    """Nothing but proof that a worker takes tasks from the queue: its finish time is the heartbeat."""
    return "alive"


@periodic_job("worker-heartbeat", every=timedelta(minutes=1))
def worker_heartbeat_queue(now: datetime) -> str:
    """Queue the worker's heartbeat (read by /healthz), unless one is still waiting."""
    beats = DBTaskResult.objects.filter(task_path=_task_path())
    beats.filter(finished_at__lt=now - timedelta(hours=1)).delete()
    if beats.filter(status=TaskResultStatus.READY).exists():
        return "a heartbeat is still waiting for a worker"
    worker_heartbeat.enqueue()
    return "heartbeat queued"


def _task_path() -> str:
    return f"{worker_heartbeat.func.__module__}.{worker_heartbeat.func.__qualname__}"


def last_heartbeat() -> datetime | None:
    """When a worker last finished a heartbeat task."""
    return (
        DBTaskResult.objects.filter(task_path=_task_path(), status=TaskResultStatus.SUCCESSFUL)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Health:
    database: bool
    heartbeat_at: datetime | None
    heartbeat_age_seconds: int | None
    worker: bool

    @property
    def ok(self) -> bool:
        return self.database and self.worker

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unavailable",
            "database": "ok" if self.database else "unreachable",
            "worker": "ok" if self.worker else ("no heartbeat" if self.heartbeat_at is None else "late"),
            "worker_heartbeat_at": self.heartbeat_at.isoformat() if self.heartbeat_at else None,
            "worker_heartbeat_age_seconds": self.heartbeat_age_seconds,
        }


def health(*, now: datetime | None = None) -> Health:
    """The database answers, and the worker's last heartbeat is recent enough."""
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        beat = last_heartbeat()
    except DatabaseError:
        return Health(database=False, heartbeat_at=None, heartbeat_age_seconds=None, worker=False)
    age = int((now - beat).total_seconds()) if beat else None
    fresh = age is not None and age <= settings.HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS
    return Health(database=True, heartbeat_at=beat, heartbeat_age_seconds=age, worker=fresh)

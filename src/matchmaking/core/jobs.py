"""The foundation's periodic jobs. Other apps register theirs in their own ``jobs`` module."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from matchmaking.core.heartbeat import worker_heartbeat_queue  # noqa: F401  (registers the worker's heartbeat)
from matchmaking.core.models import PersonalDataAccess, TaskRecovery
from matchmaking.core.notifications import notification_digest  # noqa: F401  (registers the daily digest)
from matchmaking.core.periodic import periodic_job
from matchmaking.core.statistics import table_statistics_refresh
from matchmaking.core.tasks import tasks_reclaim


@periodic_job("access-log-retention", every=timedelta(days=1))
def access_log_retention(now: datetime) -> str:
    """Delete personal-data access log entries older than the retention period."""
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = PersonalDataAccess.objects.filter(occurred_at__lt=cutoff).delete()
    return f"{deleted} access-log entries older than {settings.ACCESS_LOG_RETENTION_DAYS} days deleted"


@periodic_job("task-results-cleanup", every=timedelta(days=1))
def task_results_cleanup(now: datetime) -> str:
    """Delete finished background-task results older than 30 days, and what was recorded of their recovery."""
    cutoff = now - timedelta(days=30)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    TaskRecovery.objects.filter(updated_at__lt=cutoff).exclude(
        result_id__in=DBTaskResult.objects.values("pk")
    ).delete()
    return f"{deleted} finished task results deleted"


@periodic_job("task-reclaim", every=timedelta(minutes=1))
def task_reclaim(now: datetime) -> str:
    """Queue again the background tasks whose worker died or that failed on a passing error; 3 retries."""
    return tasks_reclaim(now=now)


@periodic_job("database-statistics", every=timedelta(days=1))
def database_statistics(now: datetime) -> str:
    """Refresh SQLite's statistics of the tables' contents (``core.statistics``)."""
    if not table_statistics_refresh(connection):
        return "nothing to do: the database keeps its own statistics"
    return "table statistics refreshed"

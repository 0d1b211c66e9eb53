"""Periodic jobs: idempotent service functions that ``matchmaking run-periodic`` runs when due.

Production runs ``matchmaking run-periodic`` from cron or a systemd timer (docs/deployment.md); the
demo's worker calls it every minute. Each job records its last run, so calling this more often than a
job's interval is harmless, and each job must itself be safe to run twice.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from matchmaking.core.models import PeriodicJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: Callable[[datetime], str]
    description: str


_REGISTRY: dict[str, PeriodicJob] = {}


def periodic_job(
    name: str, *, every: timedelta
) -> Callable[[Callable[[datetime], str]], Callable[[datetime], str]]:
    """Register ``func(now) -> summary`` to run at most once per ``every``."""

    def decorate(func: Callable[[datetime], str]) -> Callable[[datetime], str]:
        _REGISTRY[name] = PeriodicJob(name, every, func, (func.__doc__ or "").strip().split("\n")[0])
        return func

    return decorate


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def run_periodic(
    *, now: datetime | None = None, force: bool = False, only: str | None = None
) -> list[tuple[str, str]]:
    """Run every job that is due (or all with ``force``); returns (name, summary or error) pairs."""

    now = now or timezone.now()
    results = []
    for job in registered_jobs():
        if only and job.name != only:
            continue
        run, _ = PeriodicJobRun.objects.get_or_create(name=job.name)
        if not force and run.last_started_at and run.last_started_at + job.every > now:
            continue
        run.last_started_at = now
        try:
            with transaction.atomic():
                summary = job.func(now)
            run.last_result, run.last_error = summary, ""
        except Exception:  # one failing job must not stop the others; the error is kept and logged
            logger.exception("periodic job %s failed", job.name)
            run.last_error = traceback.format_exc()[-4000:]
            summary = "failed: " + run.last_error.strip().splitlines()[-1]
        run.last_finished_at = timezone.now()
        run.save()
        results.append((job.name, summary))
    return results

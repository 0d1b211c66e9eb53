"""Background refresh of the cockpit's pre-aggregated tables (``facts.py``).

A change to an exchange, a visitor or a completion report (its follow-up answers) queues
``refresh_facts`` after the commit, held back ``REFRESH_DELAY`` so that the changes of the next minute
join the same refresh (a second one queued while one waits is dropped). Target groups of organisations
and offers change rarely: the periodic job picks them up. Only once the tables are in use (built at
least once); before that the cockpit reads the live tables anyway. The rebuild is idempotent, so the
``task-reclaim`` job may run it again after a worker died.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from matchmaking.core.tasks import PRIORITY_BATCH, QUEUE_BATCH, enqueue_merged, recoverable
from matchmaking.exchanges.models import CompletionReport, Exchange, Visitor
from matchmaking.monitoring import facts
from matchmaking.monitoring.models import FactRefresh

REFRESH_DELAY = timedelta(seconds=60)


@recoverable
@task(queue_name=QUEUE_BATCH, priority=PRIORITY_BATCH)
def refresh_facts() -> int:
    """Rebuild the pre-aggregated tables; returns their number of rows."""
    return facts.refresh().rows


def _queue_refresh() -> None:
    if FactRefresh.objects.exists():
        enqueue_merged(refresh_facts, delay=REFRESH_DELAY)


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    transaction.on_commit(_queue_refresh)


for model in (Exchange, Visitor, CompletionReport):
    post_save.connect(_changed, sender=model, dispatch_uid=f"monitoring-facts-{model.__name__}-save")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"monitoring-facts-{model.__name__}-delete")

"""Background tasks of offers and requests: refresh suggestions, alert saved searches.

All are idempotent, so the ``task-reclaim`` job may run them again after a worker died: a refresh
replaces the stored suggestions, and an alert is not sent twice to the same person for one opportunity.

A change to an opportunity or an organisation profile queues ``refresh_changed_suggestions`` with its
key, held back ``REFRESH_DELAY`` so that the saves of the next seconds join the same task (their keys
are merged into the one waiting); it re-scores only what the change can affect, with the network the
worker keeps in memory (``suggestion_cache``). The full refresh
(``refresh_suggestions`` without keys: after an import, nightly) runs on the batch queue, so it never
holds back emails and alerts; a second one queued while one waits is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django_tasks import task

from matchmaking.core.models import Notification
from matchmaking.core.notifications import notify
from matchmaking.core.tasks import (
    PRIORITY_ALERT,
    PRIORITY_BATCH,
    PRIORITY_REFRESH,
    QUEUE_BATCH,
    enqueue_merged,
    recoverable,
)
from matchmaking.mobility import suggestion_cache, suggestion_refresh
from matchmaking.mobility.models import Opportunity, SavedSearch
from matchmaking.mobility.selectors import OpportunityFilters, filter_opportunities
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import roles_of

ALERT = "mobility.saved-search"

# How long a refresh after a change waits for more changes to join it.
REFRESH_DELAY = timedelta(seconds=10)


@recoverable
@task(queue_name=QUEUE_BATCH, priority=PRIORITY_BATCH)
def refresh_suggestions(opportunity_keys: list[str] | None = None) -> int:
    """Recompute partner suggestions: of every opportunity (with progress), or of those named."""

    if opportunity_keys is None:
        return suggestion_cache.refresh_all()
    return suggestion_refresh.refresh(suggestion_refresh.refresh_targets(opportunity_keys))


@recoverable
@task(priority=PRIORITY_REFRESH)
def refresh_changed_suggestions(
    organisation_keys: list[str] | None = None, opportunity_keys: list[str] | None = None
) -> int:
    """Re-score the suggestions that changes to these organisations and opportunities can affect."""

    return suggestion_cache.refresh_changed(
        organisations=organisation_keys or [], opportunities=opportunity_keys or []
    )


@recoverable
@task(priority=PRIORITY_ALERT)
def saved_search_alerts(opportunity_id: int) -> int:
    """Notify every user whose saved search matches a newly opened opportunity (not their own), once:
    a user already alerted to it (by another of their searches, or by an earlier run of this task that
    stopped half-way) is not alerted again."""

    opportunity = Opportunity.objects.select_related("organisation").filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.status != Opportunity.Status.OPEN:
        return 0
    url = reverse("mobility:opportunity-detail", args=[opportunity.key])
    alerted = set(
        Notification.objects.filter(kind=ALERT, url=url).values_list("recipient_id", flat=True).distinct()
    )
    sent = 0
    for search in SavedSearch.objects.filter(alerts=True).select_related("user"):
        if search.user_id in alerted or opportunity.organisation_id in roles_of(search.user):
            continue
        filters = OpportunityFilters.from_dict({**search.filters, "mine": False})
        if not filter_opportunities(Opportunity.objects.filter(pk=opportunity.pk), filters).exists():
            continue
        notify(
            involved=[search.user],
            kind=ALERT,
            params={"name": search.name, "org": opportunity.organisation.name, "type": opportunity.type.code},
            url=url,
        )
        alerted.add(search.user_id)
        sent += 1
    return sent


def _enqueue_full() -> None:
    enqueue_merged(refresh_suggestions)


def _enqueue_changed(organisations: list[str], opportunities: list[str]) -> None:
    enqueue_merged(
        refresh_changed_suggestions,
        merge={"organisation_keys": organisations, "opportunity_keys": opportunities},
        delay=REFRESH_DELAY,
    )


def schedule_refresh(*, organisations: Iterable[str] = (), opportunities: Iterable[str] = ()) -> None:
    """After the current transaction commits, refresh what changes to ``organisations`` (keys; their
    profile) and ``opportunities`` (keys) can affect; with neither, every suggestion (once however
    many times this is called in the transaction, or while a full refresh waits)."""
    orgs, opps = sorted(set(organisations)), sorted(set(opportunities))
    if orgs or opps:
        transaction.on_commit(lambda: _enqueue_changed(orgs, opps))
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _enqueue_full for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_full)


@receiver(post_save, sender=Organisation, dispatch_uid="mobility-refresh-on-profile-change")
def _organisation_changed(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """A changed profile changes scores: refresh what it affects after the change is committed."""
    if kwargs.get("raw"):
        return
    schedule_refresh(organisations=[instance.key])

"""Background tasks of offers and requests: refresh suggestions, alert saved searches.

Both are idempotent, so the ``task-reclaim`` job may run them again after a worker died: a refresh
replaces the stored suggestions, and an alert is not sent twice to the same person for one opportunity.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django_tasks import task

from matchmaking.core.models import Notification
from matchmaking.core.notifications import notify
from matchmaking.core.tasks import recoverable
from matchmaking.mobility import matching
from matchmaking.mobility.models import Opportunity, SavedSearch
from matchmaking.mobility.selectors import OpportunityFilters, filter_opportunities
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import roles_of

ALERT = "mobility.saved-search"


@recoverable
@task()
def refresh_suggestions(opportunity_keys: list[str] | None = None) -> int:
    """Recompute partner suggestions (all opportunities by default; the network is small)."""

    if opportunity_keys is None:
        return matching.refresh()
    return matching.refresh(list(Opportunity.objects.filter(key__in=opportunity_keys)))


@recoverable
@task()
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


def _enqueue_refresh() -> None:
    refresh_suggestions.enqueue()


def schedule_refresh() -> None:
    """Refresh every suggestion once after the current transaction commits, however many changes it holds."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _enqueue_refresh for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_refresh)


@receiver(post_save, sender=Organisation, dispatch_uid="mobility-refresh-on-profile-change")
def _organisation_changed(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """A changed profile changes scores: refresh suggestions after the change is committed."""
    if kwargs.get("raw"):
        return
    schedule_refresh()

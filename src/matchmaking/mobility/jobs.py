"""Periodic jobs of offers and requests: expiry at the end of the window, reminders before it, and the
nightly full refresh of partner suggestions (changes re-score only what they affect; the full refresh
brings every score in line with the network-wide statistics, such as how rare a topic is)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from matchmaking.core.periodic import periodic_job
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.services import opportunity_expire, opportunity_remind_expiry
from matchmaking.mobility.tasks import schedule_refresh

REMIND_DAYS_BEFORE = 14


@periodic_job("opportunities-expiry", every=timedelta(hours=6))
def opportunities_expiry(now: datetime) -> str:
    """Expire open offers and requests whose date window is over; remind owners two weeks before."""
    today = timezone.localdate(now)
    expired: list[str] = []
    for opp in Opportunity.objects.filter(
        status__in=[Opportunity.Status.OPEN, Opportunity.Status.PAUSED], latest__lt=today
    ).select_related("organisation", "type"):
        opportunity_expire(opportunity=opp)
        expired.append(opp.key)
    reminded = 0
    for opp in Opportunity.objects.filter(
        status=Opportunity.Status.OPEN,
        reminded_at__isnull=True,
        latest__gte=today,
        latest__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("organisation", "type"):
        opportunity_remind_expiry(opportunity=opp, now=now)
        reminded += 1
    if expired:
        schedule_refresh(opportunities=expired)
    return f"{len(expired)} expired, {reminded} reminded"


@periodic_job("suggestions-refresh", every=timedelta(hours=24))
def suggestions_refresh(now: datetime) -> str:
    """Queue the full refresh of every partner suggestion on the batch queue (once, if one waits)."""
    schedule_refresh()
    return "full refresh of partner suggestions queued"

"""Periodic jobs of offers and requests: expiry at the end of the window, and reminders before it."""

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
    expired = 0
    for opp in Opportunity.objects.filter(
        status__in=[Opportunity.Status.OPEN, Opportunity.Status.PAUSED], latest__lt=today
    ).select_related("organisation", "type"):
        opportunity_expire(opportunity=opp)
        expired += 1
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
        schedule_refresh()
    return f"{expired} expired, {reminded} reminded"

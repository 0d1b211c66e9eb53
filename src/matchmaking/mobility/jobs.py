"""Periodic jobs of offers and requests: expiry at the end of the window, and reminders before it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.core.periodic import periodic_job
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.tasks import schedule_refresh
from matchmaking.organisations.models import Membership

REMIND_DAYS_BEFORE = 14


def _members(organisation_id: int) -> list:
    return [m.user for m in Membership.objects.filter(organisation_id=organisation_id).select_related("user")]


@periodic_job("opportunities-expiry", every=timedelta(hours=6))
def opportunities_expiry(now: datetime) -> str:
    """Expire open offers and requests whose date window is over; remind owners two weeks before."""
    today = timezone.localdate(now)
    expired = 0
    for opp in Opportunity.objects.filter(
        status__in=[Opportunity.Status.OPEN, Opportunity.Status.PAUSED], latest__lt=today
    ).select_related("organisation", "type"):
        before = opp.status
        opp.status = Opportunity.Status.EXPIRED
        opp.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None, action="opportunity.expired", obj=opp, before={"status": before},
            after={"status": opp.status}, reason="window over", organisation_id=opp.organisation_id,
        )  # fmt: skip
        notify(
            recipients=_members(opp.organisation_id),
            kind="mobility.expired",
            title=_("Your %(what)s has expired") % {"what": opp.type.label.lower()},
            body=_("Its date window ended on %(date)s. Change the dates to open it again.")
            % {"date": opp.latest},
            url=opp.get_absolute_url(),
        )
        expired += 1
    reminded = 0
    for opp in Opportunity.objects.filter(
        status=Opportunity.Status.OPEN,
        reminded_at__isnull=True,
        latest__gte=today,
        latest__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("organisation", "type"):
        opp.reminded_at = now
        opp.save(update_fields=["reminded_at"])
        notify(
            recipients=_members(opp.organisation_id),
            kind="mobility.expiring",
            title=_("Your %(what)s expires on %(date)s")
            % {"what": opp.type.label.lower(), "date": opp.latest},
            body=_("Extend the dates if you are still looking for partners, or close it."),
            url=opp.get_absolute_url(),
        )
        reminded += 1
    if expired:
        schedule_refresh()
    return f"{expired} expired, {reminded} reminded"

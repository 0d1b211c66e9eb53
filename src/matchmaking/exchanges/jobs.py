"""Periodic jobs of exchanges: unanswered proposals expire; six months after a visit, ask whether
cooperation followed."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from matchmaking.core.periodic import periodic_job
from matchmaking.exchanges.models import Exchange, State
from matchmaking.exchanges.services import FOLLOW_UP_MONTHS, exchange_expire, exchange_prompt_follow_up

# Six calendar months after the last day (the day the question opens on the exchange page).
FOLLOW_UP_AFTER = relativedelta(months=FOLLOW_UP_MONTHS)


@periodic_job("exchange-proposals-expiry", every=timedelta(hours=1))
def exchange_proposals_expiry(now: datetime) -> str:
    """Expire proposals nobody answered in time and tell the organisation that sent them."""

    due = Exchange.objects.filter(state=State.PROPOSED, expires_at__lt=now)
    expired = sum(1 for exchange in due if exchange_expire(exchange=exchange))
    return f"{expired} proposals expired"


@periodic_job("exchange-follow-up-prompt", every=timedelta(days=1))
def exchange_follow_up_prompt(now: datetime) -> str:
    """Six months after a visit, ask both organisations whether cooperation followed (once)."""

    cutoff = timezone.localdate(now) - FOLLOW_UP_AFTER
    due = Exchange.objects.filter(
        state__in=[State.COMPLETED, State.REPORTED], end__lte=cutoff, followup_prompted_at__isnull=True
    ).select_related("host", "visitor")
    count = 0
    for exchange in due:
        exchange_prompt_follow_up(exchange=exchange, now=now)
        count += 1
    return f"{count} follow-up prompts sent"

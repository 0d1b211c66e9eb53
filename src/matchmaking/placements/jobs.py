"""The placements' periodic jobs (run by ``matchmaking worker`` or ``matchmaking run-periodic``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.placements.round_recovery import rounds_reclaim
from matchmaking.placements.seat_offers import seat_holds_expire


@periodic_job("round-reclaim", every=timedelta(minutes=1))
def round_reclaim(now: datetime) -> str:
    """Start again the allocation rounds whose background computation died; fail them after 3 tries."""
    return rounds_reclaim(now=now)


@periodic_job("seat-hold-expiry", every=timedelta(hours=1))
def seat_hold_expiry(now: datetime) -> str:
    """Free the seats held for offers the host did not answer in time, and offer them to the next one."""
    return seat_holds_expire(now=now)

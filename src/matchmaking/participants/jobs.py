"""Periodic jobs of the participants app."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.participants.clock_dates import clock_dates_refresh


@periodic_job("participant-clock-dates", every=timedelta(days=1))
def participant_clock_dates(now: datetime) -> str:
    """Work out every person's Youth Guarantee due date and first offer again: applies a change of the
    month limits in the settings, and mends any row a write outside the services left behind."""
    return f"clock dates of {clock_dates_refresh()} participants worked out again"

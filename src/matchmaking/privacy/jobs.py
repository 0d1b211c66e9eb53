"""Periodic data-protection jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.privacy.services import retention_enforce


@periodic_job("participant-retention", every=timedelta(days=1))
def participant_retention(now: datetime) -> str:
    """Erase participants past their retention period, keeping only anonymous statistics."""
    return f"{retention_enforce(now)} participants erased at the end of their retention period"

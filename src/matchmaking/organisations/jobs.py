"""Periodic jobs of the organisations app."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.organisations.services import invitations_delete_stale


@periodic_job("invitations-cleanup", every=timedelta(days=1))
def invitations_cleanup(now: datetime) -> str:
    """Delete invitations that expired more than 90 days ago and were never accepted."""
    deleted = invitations_delete_stale(now=now, older_than=timedelta(days=90))
    return f"{deleted} stale invitations deleted"

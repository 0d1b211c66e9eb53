"""Periodic jobs of the organisations app."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.organisations.models import Invitation


@periodic_job("invitations-cleanup", every=timedelta(days=1))
def invitations_cleanup(now: datetime) -> str:
    """Delete invitations that expired more than 90 days ago and were never accepted."""
    deleted, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=now - timedelta(days=90)
    ).delete()
    return f"{deleted} stale invitations deleted"

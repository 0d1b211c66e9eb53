"""Periodic jobs of monitoring: rebuild the cockpit's pre-aggregated tables."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.monitoring import facts


@periodic_job("monitoring-facts-refresh", every=timedelta(minutes=15))
def monitoring_facts_refresh(now: datetime) -> str:
    """Rebuild the monitoring cockpit's pre-aggregated tables (the figures' "as of" time)."""
    state = facts.refresh()
    return f"{state.rows} fact rows in {state.seconds:.1f} s"

"""Demo: compute the partner suggestions of every opportunity at once, so the demo shows them
without waiting for the background worker."""

from __future__ import annotations

from datetime import date

from matchmaking.mobility import matching


def demo_extend(*, today: date) -> str:
    return f"suggestions computed for {matching.refresh()} opportunities"

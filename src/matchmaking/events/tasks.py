"""Background tasks of events: computing a schedule (the event page polls its status)."""

from __future__ import annotations

from django_tasks import task

from matchmaking.events.scheduling import schedule_compute


@task()
def compute_event_schedule(event_id: int) -> dict[str, int | str] | None:
    """Compute and store the schedule of one event; returns a short summary for the task's record."""
    result = schedule_compute(event_id=event_id)
    if result is None:
        return None
    return {"status": result.status, "placed": len(result.placements), "unplaced": len(result.unplaced)}

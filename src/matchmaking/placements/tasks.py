"""Background tasks of the placements app (django-tasks, enqueued after commit)."""

from __future__ import annotations

from django_tasks import task

from matchmaking.placements.rounds import round_compute


@task()
def compute_round(round_id: int) -> str:
    """Compute a large allocation round in the worker; the round page shows the progress."""

    round_compute(round_id=round_id)
    return f"round {round_id} computed"

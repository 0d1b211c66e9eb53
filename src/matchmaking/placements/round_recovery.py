"""Allocation rounds whose background computation is gone: the reclaim job starts them again or fails
them with a reason, and a coordinator may cancel a computation (or a failed round) to edit and compute
the round again later. A round never stays "being computed" after its task is gone.

The computation in ``rounds.py`` stores its proposals only while the round is still in the state it
started from and its task was not cancelled, so a reclaimed or cancelled computation that finishes late
stores nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.tasks import task_cancel, task_mark_lost, task_result
from matchmaking.placements.access import can_cancel_round
from matchmaking.placements.models import Round
from matchmaking.placements.rounds import ROUND_TASK_ATTEMPTS, enqueue_computation


@transaction.atomic
def rounds_reclaim(*, now: datetime) -> str:
    """Start again (or, after ROUND_TASK_ATTEMPTS, fail with a reason) every round being computed
    whose background task is gone: failed, finished without storing the proposal, missing, or running
    with no progress for longer than ROUND_TASK_LEASE_SECONDS (its worker was killed)."""
    lease = timedelta(seconds=settings.ROUND_TASK_LEASE_SECONDS)
    restarted, failed = 0, 0
    for found in Round.objects.select_for_update().filter(status=Round.Status.RUNNING).order_by("pk"):
        result = task_result(found.task_id)
        if result is not None and result.status == TaskResultStatus.READY:
            continue  # waiting for a worker; a queued task holds nothing
        if result is None or result.status == TaskResultStatus.RUNNING:
            heartbeats = [found.progress_at or found.created_at]
            if result is not None and result.started_at is not None:
                heartbeats.append(result.started_at)
            if max(heartbeats) > now - lease:
                continue  # alive: it reported progress within the lease
        if result is not None and result.status == TaskResultStatus.RUNNING:
            task_mark_lost(
                task_id=result.pk,
                now=now,
                note=f"No progress for more than {settings.ROUND_TASK_LEASE_SECONDS} s: reclaimed.",
            )
        before = {"attempts": found.attempts, "task": found.task_id}
        if found.attempts >= ROUND_TASK_ATTEMPTS:
            found.status = Round.Status.FAILED
            found.failure_code = Round.Failure.WORKER_LOST
            found.failure_params = {"attempts": found.attempts}
            found.save(update_fields=["status", "failure_code", "failure_params"])
            audit_record(actor=None, action="round.reclaim", obj=found, before=before, after={"failed": True})
            failed += 1
            continue
        found.attempts += 1
        found.progress_done, found.progress_at, found.task_id = 0, now, ""
        found.save(update_fields=["attempts", "progress_done", "progress_at", "task_id"])
        audit_record(
            actor=None, action="round.reclaim", obj=found, before=before, after={"attempts": found.attempts}
        )
        enqueue_computation(found.pk, found.attempts)
        restarted += 1
    return f"{restarted} rounds started again, {failed} rounds failed after {ROUND_TASK_ATTEMPTS} attempts"


@transaction.atomic
def round_cancel(*, actor: User, allocation_round: Round) -> Round:
    """Stop computing a round (or dismiss its failure): its task is cancelled, so a computation still
    running stores nothing, and the round goes back to what it was before: proposed, if it holds an
    earlier proposal, otherwise a draft to edit and compute again."""
    locked = Round.objects.select_for_update().get(pk=allocation_round.pk)
    if not can_cancel_round(actor, locked):
        raise PermissionDenied(_("You may not do this."))
    if locked.status not in (Round.Status.RUNNING, Round.Status.FAILED):
        raise ValidationError(_("Only a round being computed, or one that failed, can be cancelled."))
    before = {"status": locked.status, "task": locked.task_id, "attempts": locked.attempts}
    cancelled = bool(locked.task_id) and task_cancel(task_id=locked.task_id, now=timezone.now())
    locked.status = Round.Status.PROPOSED if locked.summary and locked.proposed_at else Round.Status.DRAFT
    locked.progress_done, locked.error, locked.failure_code, locked.failure_params = 0, "", "", {}
    locked.task_id = ""
    locked.save(
        update_fields=["status", "progress_done", "error", "failure_code", "failure_params", "task_id"]
    )
    audit_record(
        actor=actor,
        action="round.cancel",
        obj=locked,
        before=before,
        after={"status": locked.status, "task_cancelled": cancelled},
    )
    return locked

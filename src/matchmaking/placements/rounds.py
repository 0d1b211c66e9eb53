"""Allocation rounds: create, compute (here or in the background), review with overrides, confirm.

A round's proposals hold no seat until a coordinator confirms the round. Confirmation locks the
placements' rows (``select_for_update``) and counts every seat already held by confirmed or accepted
proposals of any round, so two confirmations at the same moment can never over-allocate a placement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.core.tasks import PRIORITY_ROUND, TaskCancelledError, task_cancelled
from matchmaking.engine.allocation_round import Monitoring
from matchmaking.engine.fairness import FairnessAudit
from matchmaking.engine.reasons import Reason
from matchmaking.engine.shortlist import SHORTLIST, ScoredRow, allocate_shortlisted
from matchmaking.organisations.models import Membership
from matchmaking.participants.models import Participant
from matchmaking.placements import matching
from matchmaking.placements.access import can_manage_rounds
from matchmaking.placements.eligibility import ineligibility, ineligibility_text
from matchmaking.placements.models import DEFAULT_MIN_FIT, Placement, Proposal, Round
from matchmaking.placements.seats import annotate_taken, seats_held

# How many of the placements a person could take are kept with their proposal (waiting-list offers).
WANTED = 10
# How many of a person's best placements the reviewer is shown, with their fit, to choose from.
ALTERNATIVES = 10
# How many times a background computation is started for one request before the round is given up.
ROUND_TASK_ATTEMPTS = 3


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    name: str,
    method: str,
    floor: int = 0,
    min_fit: int = DEFAULT_MIN_FIT,
    participants: Iterable[Participant],
    placements: Iterable[Placement],
    is_demo: bool = False,
) -> Round:
    _require(actor is None or can_manage_rounds(actor))
    participants, placements = list(participants), list(placements)
    if method not in Round.Method.values:
        raise ValidationError({"method": _("Choose stable or optimal.")})
    if not participants:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    if not placements:
        raise ValidationError({"placements": _("Choose at least one placement.")})
    if floor and method != Round.Method.OPTIMAL:
        raise ValidationError({"floor": _("The fewer-opportunities floor needs the optimal method.")})
    if isinstance(min_fit, bool) or not isinstance(min_fit, int) or not 0 <= min_fit <= 100:
        raise ValidationError({"min_fit": _("The minimum fit is a whole number from 0 to 100.")})
    left = sorted(p.pseudonym for p in participants if ineligibility(p) is not None)
    if left:
        raise ValidationError(
            {"participants": _("Left the programme or paused, so not to be proposed: %s") % ", ".join(left)}
        )
    found = Round.objects.create(
        name=name, method=method, floor=floor, min_fit=min_fit, created_by=actor, is_demo=is_demo
    )
    found.participants.set(participants)
    found.placements.set(placements)
    audit_record(
        actor=actor,
        action="round.create",
        obj=found,
        after={
            "method": method,
            "floor": floor,
            "min_fit": min_fit,
            "participants": len(participants),
            "placements": len(placements),
        },
    )
    return found


def free_seats(placements: Iterable[Placement], *, exclude_round: Round | None = None) -> dict[int, int]:
    """Seats not yet held by confirmed or accepted proposals (of other rounds)."""
    ids = [p.pk for p in placements]
    rows = annotate_taken(
        Placement.objects.filter(pk__in=ids),
        exclude_round_id=exclude_round.pk if exclude_round is not None else None,
    )
    return {p.pk: max(p.seats - p.taken, 0) for p in rows}


@transaction.atomic
def round_propose(*, actor: User | None, allocation_round: Round) -> Round:
    """Ask the engine for a proposal: large rounds go to the background worker, with visible progress."""
    _require(actor is None or can_manage_rounds(actor))
    locked = Round.objects.select_for_update().get(pk=allocation_round.pk)
    if locked.status not in (Round.Status.DRAFT, Round.Status.PROPOSED, Round.Status.FAILED):
        raise ValidationError(_("This round can no longer be recomputed."))
    pairs = locked.participants.count() * locked.placements.count()
    background = pairs > settings.ROUND_BACKGROUND_PAIRS
    locked.status = Round.Status.RUNNING
    locked.progress_done, locked.progress_total, locked.error = 0, locked.participants.count(), ""
    locked.progress_at, locked.task_id, locked.attempts = timezone.now(), "", 1 if background else 0
    locked.failure_code, locked.failure_params = "", {}
    locked.save(
        update_fields=[
            "status",
            "progress_done",
            "progress_total",
            "error",
            "progress_at",
            "task_id",
            "attempts",
            "failure_code",
            "failure_params",
        ]
    )
    audit_record(actor=actor, action="round.propose", obj=locked, after={"pairs": pairs})
    if background:
        enqueue_computation(locked.pk, locked.attempts)
    else:
        round_compute(round_id=locked.pk)
        locked.refresh_from_db()
    return locked


def enqueue_computation(round_id: int, attempt: int) -> None:
    """After commit (never for a round that was rolled back), enqueue the computation and remember its
    task, so that the reclaim job can tell a task that died from one still running."""

    def enqueue() -> None:
        result = compute_round.enqueue(round_id)
        Round.objects.filter(pk=round_id, attempts=attempt, status=Round.Status.RUNNING).update(
            task_id=str(result.id)
        )

    transaction.on_commit(enqueue)


def _progress(round_id: int, attempt: int, task_id: str = "") -> Callable[[int, int], None]:
    """Progress for the round page, and the heartbeat the reclaim job watches (``progress_at``). A
    computation whose task was cancelled stops at its next step instead of scoring on for nothing."""

    def step(done: int, total: int) -> None:
        if done == total or done % 20 == 0:
            if task_id and task_cancelled(task_id):
                raise TaskCancelledError(f"round {round_id}: the computation was cancelled")
            Round.objects.filter(pk=round_id, attempts=attempt, status=Round.Status.RUNNING).update(
                progress_done=done, progress_total=total, progress_at=timezone.now()
            )

    return step


def round_compute(*, round_id: int, task_id: str = "") -> None:
    """Score each participant's shortlist of placements, allocate, explain, audit, and store the
    proposals. Safe to run twice: a computation replaces the round's proposals, and one that was
    superseded (the round was reclaimed and started again, or cancelled, meanwhile; or its task
    ``task_id`` was cancelled) writes nothing."""
    found = Round.objects.get(pk=round_id)
    try:
        _compute(found, task_id=task_id)
    except Exception as exc:  # the round shows the failure instead of spinning for ever
        if not (task_id and task_cancelled(task_id)):
            Round.objects.filter(pk=round_id, attempts=found.attempts, status=found.status).update(
                status=Round.Status.FAILED, error=str(exc)[:2000]
            )
        raise


@task(takes_context=True, priority=PRIORITY_ROUND)
def compute_round(context: TaskContext, round_id: int) -> str:
    """Compute a large allocation round in the background worker; the round page shows the progress.
    Defined beside ``round_propose``, which enqueues it, and ``round_compute``, which it runs."""
    round_compute(round_id=round_id, task_id=str(context.task_result.id))
    return f"round {round_id} computed"


def _compute(found: Round, *, task_id: str = "") -> None:
    """Run the engine's allocation round on the round's records and store its proposals. People who
    have left the programme or are paused (since the round was created) are left out and listed."""
    everyone = list(found.participants.prefetch_related("skills", "languages").order_by("pk"))
    participants = [p for p in everyone if ineligibility(p) is None]
    excluded = [
        {"participant": p.pseudonym, "code": f"ineligible-{code}", "text": ineligibility_text(code)}
        for p in everyone
        if (code := ineligibility(p)) is not None
    ]
    placements = list(
        found.placements.prefetch_related("skills", "languages").select_related("region").order_by("pk")
    )
    seats = free_seats(placements, exclude_round=found)
    step = _progress(found.pk, found.attempts, task_id)
    # Each person's SHORTLIST best placements they can take are scored and explained (every pair
    # when the round has no more placements than that), so a round of 20,000 × 2,000 fits in memory.
    people, places, matches, labels = matching.score_shortlist(
        participants, placements, seats=seats, k=SHORTLIST, step=step
    )
    monitoring: list[Monitoring] = [matching.engine_monitoring(p) for p in participants]
    result = allocate_shortlisted(
        matches,
        [p.id for p in people],
        [pl.id for pl in places],
        [pl.seats for pl in places],
        monitoring,
        found.method,
        floor=found.floor if found.method == Round.Method.OPTIMAL else 0,
        min_fit=float(found.min_fit),
    )
    flags = [p.fewer_opportunities for p in participants]
    with transaction.atomic():
        current = Round.objects.select_for_update().get(pk=found.pk)
        if (current.status, current.attempts) != (found.status, found.attempts):
            return  # superseded by a later computation, or given up: this result is stale
        if task_id and task_cancelled(task_id):
            return  # cancelled (the round may be computing again already, under a new task)
        found.proposals.all().delete()
        proposals = []
        for n, (person, outcome) in enumerate(zip(participants, result.outcomes, strict=True)):
            chosen = placements[outcome.placement] if outcome.placed else None
            proposals.append(
                Proposal(
                    round=found,
                    participant=person,
                    placement=chosen,
                    engine_placement=chosen,
                    score=outcome.score,
                    choice=outcome.choice,
                    reasons=[r.as_dict() for r in outcome.reasons]
                    if outcome.placed
                    else _unplaced(outcome.reasons),
                    skill_gap=[{"uri": u, "label": labels(u)} for u in outcome.skill_gap],
                    wanted=[placements[k].pk for k in outcome.options[:WANTED]],
                    alternatives=_alternatives(matches[n], outcome.options, placements),
                )
            )
        Proposal.objects.bulk_create(proposals)
        found.summary = {
            "placed": result.placed,
            "unplaced": result.unplaced,
            "seats": result.seats,
            "fewer_opportunities_placed": sum(
                1 for o, flag in zip(result.outcomes, flags, strict=True) if o.placed and flag
            ),
            "fewer_opportunities": sum(flags),
            "floor": found.floor,
            "min_fit": found.min_fit,
            "no_suitable": sum(
                1 for o in result.outcomes if not o.placed and o.reasons[0].code == "unplaced-fit"
            ),
            "excluded": excluded,
            "notes": [r.as_dict() for r in result.reasons],
        }
        found.fairness = {name: _audit_dict(audit) for name, audit in result.audits.items()}
        found.status = Round.Status.PROPOSED
        found.proposed_at = timezone.now()
        found.progress_done = found.progress_total = len(everyone)
        found.progress_at = timezone.now()
        found.save()


def _audit_dict(audit: FairnessAudit) -> dict[str, Any]:
    return {
        "best": audit.best_group,
        "best_fit": audit.best_fit_group,
        "threshold": audit.threshold,
        "min_group": audit.min_group,
        "groups": [
            {
                "group": g.group,
                "participants": g.participants,
                "placed": g.placed,
                "rate": round(g.rate, 3),
                "ratio": round(g.ratio_to_best, 3),
                "mean_fit_placed": _rounded(g.mean_fit_placed),
                "mean_fit_all": _rounded(g.mean_fit_all),
                "fit_ratio": None if g.fit_ratio is None else round(g.fit_ratio, 3),
                "suppressed": g.suppressed,
                "flagged": g.flagged,
            }
            for g in audit.groups
        ],
        # Codes and parameters, written in the reader's language where they are shown.
        "reasons": [r.as_dict() for r in audit.reasons()],
    }


def _alternatives(
    row: ScoredRow, options: Sequence[int], placements: list[Placement]
) -> list[dict[str, Any]]:
    """The person's best placements at or above the minimum fit, with their fit, for the reviewer."""
    best = sorted(options, key=lambda k: -row[k].score)[:ALTERNATIVES]
    return [{"placement": placements[k].pk, "score": row[k].score} for k in best]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _unplaced(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """The engine's reason for not placing someone, in the web app's (translated) words."""
    (reason,) = reasons
    if reason.code == "unplaced-fit":
        return [reason.as_dict()]  # rendered in the reader's language from its code and parameters
    if reason.code == "unplaced-full":
        text = _("Not placed: every placement this person could take was filled by people it ranked higher.")
    elif reason.code == "unplaced-none":
        text = _("Not placed: there are no placements in this round.")
    else:
        text = _("Not placed: no placement meets the hard rules (closest: %s)") % reason.params["why"]
    return [{"code": reason.code, "text": text}]


@transaction.atomic
def proposal_override(
    *, actor: User, proposal: Proposal, placement: Placement | None, reason: str
) -> Proposal:
    """A person changes the engine's proposal; the reason is required and kept."""
    _require(can_manage_rounds(actor))
    if proposal.round.status != Round.Status.PROPOSED or proposal.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("Only proposals of a round waiting for review can be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    pair = None
    if placement is not None:
        if not proposal.round.placements.filter(pk=placement.pk).exists():
            raise ValidationError({"placement": _("That placement is not in this round.")})
        used = (
            proposal.round.proposals.filter(placement=placement)
            .exclude(pk=proposal.pk)
            .exclude(status=Proposal.Status.WITHDRAWN)
            .count()
        )
        if used >= free_seats([placement], exclude_round=proposal.round)[placement.pk]:
            raise ValidationError({"placement": _("That placement has no free seat left in this round.")})
        if ineligibility(proposal.participant) is not None:
            raise ValidationError(
                {"placement": _("The participant has left the programme or is paused: not proposed.")}
            )
        pair = matching.score_one(proposal.participant, placement)
        if not pair.eligible or pair.score < proposal.round.min_fit:
            raise ValidationError(
                {
                    "placement": _(
                        "%(participant)s fits %(placement)s at %(score)s, below the round's minimum "
                        "fit of %(min_fit)s (or breaks a hard rule): choose another placement."
                    )
                    % {
                        "participant": proposal.participant.pseudonym,
                        "placement": placement.key,
                        "score": f"{pair.score:.0f}",
                        "min_fit": proposal.round.min_fit,
                    }
                }
            )
    before = {"placement": proposal.placement.key if proposal.placement else ""}
    proposal.placement = placement
    if placement is not None and pair is not None:
        proposal.score = pair.score
        proposal.reasons = [r.as_dict() for r in pair.reasons]
        labels = matching.Labels.of([proposal.participant], [placement])
        proposal.skill_gap = [{"uri": u, "label": labels(u)} for u in pair.skill_gap]
    else:
        proposal.score, proposal.skill_gap = None, []
        proposal.reasons = [{"code": "override", "text": _("No placement, by decision of the reviewer.")}]
    proposal.choice = None
    proposal.override_reason = reason.strip()
    proposal.overridden_by = actor
    proposal.save()
    audit_record(
        actor=actor,
        action="proposal.override",
        obj=proposal,
        before=before,
        after={"placement": placement.key if placement else ""},
        reason=reason,
    )
    return proposal


@transaction.atomic
def round_confirm(*, actor: User | None, allocation_round: Round) -> Round:
    """Confirm the reviewed proposal: seats are taken now, under row locks, or not at all."""
    _require(actor is None or can_manage_rounds(actor))
    locked = Round.objects.select_for_update().get(pk=allocation_round.pk)
    if locked.status != Round.Status.PROPOSED:
        raise ValidationError(_("Only a proposed round can be confirmed."))
    # People who left the programme or were paused since the round was computed are not confirmed.
    dropped = [
        p
        for p in locked.proposals.filter(status=Proposal.Status.PROPOSED).select_related("participant")
        if ineligibility(p.participant) is not None
    ]
    for p in dropped:
        code = ineligibility(p.participant) or ""
        p.status = Proposal.Status.WITHDRAWN
        p.reasons = [{"code": f"ineligible-{code}", "text": ineligibility_text(code)}]
        p.save(update_fields=["status", "reasons"])
    proposals = list(locked.proposals.filter(status=Proposal.Status.PROPOSED, placement__isnull=False))
    wanted: dict[int, int] = {}
    for p in proposals:
        if p.placement_id is not None:  # always, by the filter above
            wanted[p.placement_id] = wanted.get(p.placement_id, 0) + 1
    # Lock the placements in a fixed order (no deadlocks), then count seats already held.
    placements = {
        pl.pk: pl for pl in Placement.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    held = seats_held(wanted)
    full = [placements[pk].title for pk, n in wanted.items() if held.get(pk, 0) + n > placements[pk].seats]
    if full:
        raise ValidationError(
            _(
                "Not enough free seats any more (another round was confirmed meanwhile): %s. "
                "Recompute the round."
            )
            % ", ".join(sorted(full))
        )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=Proposal.Status.CONFIRMED)
    # Everyone else in the round got no placement: that is their result now, not a pending proposal.
    unplaced = list(
        locked.proposals.filter(status=Proposal.Status.PROPOSED, placement__isnull=True).select_related(
            "participant__key_worker"
        )
    )
    Proposal.objects.filter(pk__in=[p.pk for p in unplaced]).update(status=Proposal.Status.UNPLACED)
    locked.status = Round.Status.CONFIRMED
    locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
    locked.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit_record(
        actor=actor,
        action="round.confirm",
        obj=locked,
        after={
            "proposals": len(proposals),
            "unplaced": len(unplaced),
            "withdrawn_ineligible": [p.participant.pseudonym for p in dropped],
        },
    )
    _notify_confirmed(locked, proposals, placements)
    _notify_unplaced(locked, unplaced)
    return locked


def _notify_unplaced(found: Round, unplaced: list[Proposal]) -> None:
    """Tell each key worker who was not placed; the participant's page offers the waiting lists."""
    for proposal in unplaced:
        person = proposal.participant
        if person.key_worker is None:
            continue
        notify(
            involved=[person.key_worker],
            kind="round.unplaced",
            params={"participant": person.pseudonym, "round": found.name},
            url=person.get_absolute_url(),
        )


def _notify_confirmed(found: Round, proposals: list[Proposal], placements: dict[int, Placement]) -> None:

    for _pk, placement in placements.items():
        notify(
            memberships=Membership.objects.filter(organisation_id=placement.host_id).select_related("user"),
            kind="round.confirmed",
            params={"variant": "host", "placement": placement.title, "round": found.name},
            url=placement.get_absolute_url(),
        )
    notify(
        involved=[p.participant.key_worker for p in proposals if p.participant.key_worker],
        kind="round.confirmed",
        params={"variant": "worker", "round": found.name},
        url=reverse("participants:caseload"),
    )

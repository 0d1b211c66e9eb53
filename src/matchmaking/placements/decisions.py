"""After confirmation: hosts accept or decline with structured reasons; workers contest on the person's
behalf and a coordinator answers. Every step is audited and notified."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.placements.access import can_answer_contest, can_contest_proposal, can_decide_proposal
from matchmaking.placements.lifecycle import assignment_from_round
from matchmaking.placements.models import Contest, Proposal, Round
from matchmaking.placements.seat_offers import offer_freed_seat


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def proposal_decide(
    *, actor: User, proposal: Proposal, accept: bool, reason: str = "", note: str = ""
) -> Proposal:
    _require(can_decide_proposal(actor, proposal))
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("placement", "participant")
        .get(pk=proposal.pk)
    )
    placement = locked.placement
    if locked.status not in Proposal.WAITS_FOR_HOST or placement is None:
        raise ValidationError(
            _("Only a confirmed proposal waiting for the host can be accepted or declined.")
        )
    if not accept and reason not in Proposal.DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason for declining.")})
    locked.status = Proposal.Status.ACCEPTED if accept else Proposal.Status.DECLINED
    locked.decline_reason = "" if accept else reason
    locked.decline_note = note.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.hold_until = None
    locked.save()
    audit_record(
        actor=actor,
        action="proposal.accept" if accept else "proposal.decline",
        obj=locked,
        after={"reason": reason, "note": note},
        organisation_id=placement.host_id,
    )
    if accept:
        # The lifecycle goes on from here: the offer of the placement's type, the Erasmus+ mobility
        # record when it is one, the plan step.
        assignment_from_round(actor=actor, proposal=locked)
    else:
        offer_freed_seat(
            placement=placement,
            allocation_round=locked.round,
            exclude={locked.participant_id},
            ranking_first=False,
        )
    participant = locked.participant
    notify(
        involved=[participant.key_worker],
        kind="proposal.decided",
        params={
            "variant": "accepted" if accept else "declined",
            "org": placement.host.name,
            "participant": participant.pseudonym,
            "placement": placement.title,
        },
        text=note,
        url=participant.get_absolute_url(),
    )
    return locked


@transaction.atomic
def contest_raise(*, actor: User, proposal: Proposal, reason: str) -> Contest:
    """A worker contests a proposal on the participant's behalf; coordinators are told."""
    _require(can_contest_proposal(actor, proposal))
    if proposal.status in (Proposal.Status.ACCEPTED, Proposal.Status.WITHDRAWN):
        raise ValidationError(_("This proposal can no longer be contested."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal should change.")})
    if proposal.contests.filter(outcome=Contest.Outcome.OPEN).exists():
        raise ValidationError(_("A contest of this proposal is already waiting for an answer."))
    contest = Contest.objects.create(proposal=proposal, raised_by=actor, reason=reason.strip())
    audit_record(
        actor=actor,
        action="proposal.contest",
        obj=proposal,
        reason=reason,
        organisation_id=proposal.participant.organisation_id,
    )
    notify(
        involved=[proposal.round.created_by],
        kind="proposal.contest",
        params={"round": proposal.round.name},
        text=reason,
        url=proposal.round.get_absolute_url(),
    )
    return contest


@transaction.atomic
def contest_answer(*, actor: User, contest: Contest, upheld: bool, answer: str) -> Contest:
    """Answer a contest. Upheld, the proposal is withdrawn, its seat freed and offered to the next
    eligible person by the round's ranking (then the waiting list)."""
    _require(can_answer_contest(actor))
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.outcome != Contest.Outcome.OPEN:
        raise ValidationError(_("This contest has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer the worker and participant will read.")})
    contest.outcome = Contest.Outcome.UPHELD if upheld else Contest.Outcome.REJECTED
    contest.answer, contest.answered_by, contest.answered_at = answer.strip(), actor, timezone.now()
    contest.save()
    offered = _withdraw_upheld(contest.proposal) if upheld else None
    audit_record(
        actor=actor,
        action="contest.answer",
        obj=contest.proposal,
        after={
            "outcome": contest.outcome,
            "offered_to": offered.participant.pseudonym if offered is not None else "",
        },
        reason=answer,
    )
    transaction.on_commit(lambda: _notify_answer(contest, answer))
    return contest


def _withdraw_upheld(proposal: Proposal) -> Proposal | None:
    """The contested proposal is withdrawn; a seat it held (or would have held) is offered on."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("round").get(pk=proposal.pk)
    had_seat = locked.placement is not None and (
        locked.status in Proposal.HOLDS_SEAT
        or (locked.round.status == Round.Status.PROPOSED and locked.status == Proposal.Status.PROPOSED)
    )
    locked.status = Proposal.Status.WITHDRAWN
    locked.hold_until = None
    locked.reasons = [
        *locked.reasons,
        {"code": "contest-upheld", "text": "Withdrawn: the contest was upheld."},
    ]
    locked.save(update_fields=["status", "hold_until", "reasons"])
    proposal.status = locked.status
    if not had_seat or locked.placement is None:
        return None
    return offer_freed_seat(
        placement=locked.placement,
        allocation_round=locked.round,
        exclude={locked.participant_id},
        ranking_first=True,
    )


def _notify_answer(contest: Contest, answer: str) -> None:
    notify(
        involved=[contest.raised_by],
        kind="proposal.contest-answer",
        params={"outcome": contest.outcome},
        text=answer,
        url=contest.proposal.participant.get_absolute_url(),
    )

"""The placement lifecycle for one person: a single proposal to a host, the host's answer (with an
interview on hold), the start, attendance notes, and the end (completed, or early with a reason) with
its outcome.

Every transition is a service: keyword-only, atomic, access-checked, with an audit row, the history
as codes and parameters, and the people concerned notified after commit. A transition that implies a
date is refused before that date, naming it. On acceptance the Youth Guarantee offer follows the
placement's type, the Erasmus+ mobility record is made only for an Erasmus+ placement abroad, and the
plan step made with the proposal is kept in step with the placement.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.organisations.models import Membership
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Outcome as PathwayOutcome
from matchmaking.pathways.models import Step
from matchmaking.pathways.services import outcome_record, placement_step_sync
from matchmaking.placements.acceptance import accepted_effects
from matchmaking.placements.access import can_answer_as_host, can_follow_assignment, can_propose_for
from matchmaking.placements.eligibility import ineligibility, ineligibility_text
from matchmaking.placements.history import history_add
from matchmaking.placements.matching import score_one
from matchmaking.placements.models import (
    Assignment,
    EndReason,
    Placement,
    Proposal,
)
from matchmaking.placements.models_lifecycle import Outcome
from matchmaking.placements.services import seats_taken, waiting_list_seat_freed

# The plan step's status for each state of the placement.
STEP_STATUS = {
    Assignment.Status.PROPOSED: Step.Status.PLANNED,
    Assignment.Status.ON_HOLD: Step.Status.PLANNED,
    Assignment.Status.ACCEPTED: Step.Status.PLANNED,
    Assignment.Status.STARTED: Step.Status.IN_PROGRESS,
    Assignment.Status.COMPLETED: Step.Status.DONE,
    Assignment.Status.ENDED_EARLY: Step.Status.CANCELLED,
    Assignment.Status.DECLINED: Step.Status.CANCELLED,
    Assignment.Status.WITHDRAWN: Step.Status.CANCELLED,
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _lock(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("placement__host", "participant__organisation", "participant__key_worker", "step")
        .get(pk=assignment.pk)
    )


def _move(assignment: Assignment, status: str) -> None:
    if status not in Assignment.TRANSITIONS.get(assignment.status, set()):
        raise ValidationError(
            {
                "status": _("A placement that is %(current)s cannot become %(new)s.")
                % {
                    "current": assignment.get_status_display().lower(),
                    "new": str(dict(Assignment.Status.choices).get(status, status)).lower(),
                }
            }
        )
    assignment.status = status


def _audit(actor: User | None, action: str, assignment: Assignment, after: dict[str, object]) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=assignment,
        after={"status": assignment.status, **after},
        organisation_id=assignment.participant.organisation_id,
    )


def _sync_step(actor: User | None, assignment: Assignment) -> None:
    placement = assignment.placement
    assignment.step = placement_step_sync(
        actor=actor,
        participant=assignment.participant,
        step=assignment.step,
        title=_("Placement: %(title)s at %(host)s") % {"title": placement.title, "host": placement.host.name},
        status=STEP_STATUS[Assignment.Status(assignment.status)],
        due_on=assignment.ended_on or placement.end or placement.start,
    )


def _notify_worker(assignment: Assignment, variant: str, text: str = "") -> None:
    participant, placement = assignment.participant, assignment.placement
    recipients = [participant.key_worker, assignment.proposed_by]
    params = {
        "variant": variant,
        "org": placement.host.name,
        "participant": participant.pseudonym,
        "placement": placement.title,
    }
    url = assignment.get_absolute_url()
    transaction.on_commit(
        lambda: notify(involved=recipients, kind="assignment.changed", params=params, text=text, url=url)
    )


def _notify_host(assignment: Assignment, variant: str) -> None:
    placement = assignment.placement
    params = {
        "variant": variant,
        "participant": assignment.participant.pseudonym,
        "placement": placement.title,
    }
    url, text = assignment.get_absolute_url(), assignment.message
    transaction.on_commit(
        lambda: notify(
            memberships=Membership.objects.filter(organisation=placement.host).select_related("user"),
            kind="assignment.host",
            params=params,
            text=text,
            url=url,
        )
    )


def exit_type_for(placement: Placement, outcome: str) -> str:
    """The programme exit a placement's outcome amounts to."""
    if outcome == Outcome.HIRED:
        social = placement.labour_market == "social-economy"
        return PathwayOutcome.ExitType.JOB_SOCIAL if social else PathwayOutcome.ExitType.JOB_REGULAR
    exits: dict[str, str] = {
        Outcome.JOB_ELSEWHERE: PathwayOutcome.ExitType.JOB_REGULAR,
        Outcome.EDUCATION: PathwayOutcome.ExitType.EDUCATION,
        Outcome.SEEKING: PathwayOutcome.ExitType.NONE,
    }
    return exits.get(outcome, PathwayOutcome.ExitType.OTHER)


# --- The proposal ------------------------------------------------------------------------------------


@transaction.atomic
def assignment_propose(
    *, actor: User, participant: Participant, placement: Placement, message: str = ""
) -> Assignment:
    """A case worker proposes one person to a host, outside any round; the host answers."""
    _require(can_propose_for(actor, participant))
    why_not = ineligibility(participant)
    if why_not is not None:
        raise ValidationError({"participant": ineligibility_text(why_not)})
    placement = Placement.objects.select_for_update().select_related("host").get(pk=placement.pk)
    if placement.status != Placement.Status.OPEN:
        raise ValidationError({"placement": _("This placement is closed.")})
    if seats_taken(placement) >= placement.seats:
        raise ValidationError(
            {"placement": _("Every seat of this placement is taken: put the person on its waiting list.")}
        )
    if Assignment.objects.filter(
        placement=placement, participant=participant, status__in=Assignment.OPEN
    ).exists():
        raise ValidationError({"placement": _("The person is already proposed for this placement.")})
    match = score_one(participant, placement)
    if not match.eligible:
        raise ValidationError({"placement": [r.text for r in match.reasons]})
    assignment = Assignment(
        placement=placement,
        participant=participant,
        score=match.score,
        reasons=[r.as_dict() for r in match.reasons],
        skill_gap=list(match.skill_gap),
        message=message.strip(),
        proposed_by=actor,
    )
    history_add(assignment, "proposed", actor, org=placement.host.name, score=match.score)
    assignment.save()
    _sync_step(actor, assignment)
    assignment.save(update_fields=["step"])
    _audit(actor, "assignment.propose", assignment, {"placement": placement.key, "score": match.score})
    _notify_host(assignment, "proposed")
    return assignment


@transaction.atomic
def assignment_hold(*, actor: User, assignment: Assignment, interview_on: date | None) -> Assignment:
    """The host puts the proposal on hold for an interview on a date."""
    locked = _lock(assignment)
    _require(can_answer_as_host(actor, locked))
    if interview_on is None:
        raise ValidationError({"interview_on": _("Give the date of the interview.")})
    proposed_on = timezone.localdate(locked.proposed_at)
    if interview_on < proposed_on:
        raise ValidationError(
            {
                "interview_on": _("The person was proposed on %(date)s: the interview cannot be before.")
                % {"date": _day(proposed_on)}
            }
        )
    _move(locked, Assignment.Status.ON_HOLD)
    locked.interview_on = interview_on
    history_add(locked, "on-hold", actor, date=interview_on)
    locked.save()
    _audit(actor, "assignment.hold", locked, {"interview_on": interview_on})
    _notify_worker(locked, "on-hold")
    return locked


@transaction.atomic
def assignment_decide(
    *,
    actor: User,
    assignment: Assignment,
    accept: bool,
    reason: str = "",
    note: str = "",
    today: date | None = None,
) -> Assignment:
    """The host accepts, or declines with a reason from the code list; after an interview, not before
    its date."""
    locked = _lock(assignment)
    _require(can_answer_as_host(actor, locked))
    today = today or timezone.localdate()
    if locked.status not in Assignment.WAITS_FOR_HOST:
        raise ValidationError({"status": _("This proposal is not waiting for your answer.")})
    if accept and locked.interview_on is not None and today < locked.interview_on:
        raise ValidationError(
            {
                "interview_on": _("The interview is on %(date)s: accept the person after it.")
                % {"date": _day(locked.interview_on)}
            }
        )
    if not accept and reason not in Proposal.DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason for declining.")})
    placement = Placement.objects.select_for_update().get(pk=locked.placement_id)
    if accept and seats_taken(placement) >= placement.seats:
        raise ValidationError({"placement": _("Every seat of this placement is taken.")})
    _move(locked, Assignment.Status.ACCEPTED if accept else Assignment.Status.DECLINED)
    locked.decline_reason = "" if accept else reason
    locked.decline_note = note.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    if accept:
        history_add(locked, "accepted", actor, org=locked.placement.host.name)
    else:
        history_add(locked, "declined", actor, org=locked.placement.host.name, reason=reason)
    _sync_step(actor, locked)
    locked.save()
    if accept:
        accepted_effects(actor=actor, assignment=locked)
    _audit(actor, "assignment.accept" if accept else "assignment.decline", locked, {"reason": reason})
    _notify_worker(locked, "accepted" if accept else "declined", note)
    return locked


@transaction.atomic
def assignment_withdraw(*, actor: User, assignment: Assignment) -> Assignment:
    """The case worker withdraws the person before the placement starts."""
    locked = _lock(assignment)
    _require(can_propose_for(actor, locked.participant))
    held_seat = locked.status in Assignment.HOLDS_SEAT and locked.proposal_id is None
    _move(locked, Assignment.Status.WITHDRAWN)
    history_add(locked, "withdrawn", actor)
    _sync_step(actor, locked)
    locked.save()
    _audit(actor, "assignment.withdraw", locked, {})
    if held_seat:
        waiting_list_seat_freed(placement=locked.placement)
    _notify_host(locked, "withdrawn")
    return locked


# --- After acceptance --------------------------------------------------------------------------------


def assignment_from_round(*, actor: User, proposal: Proposal) -> Assignment:
    """A host accepted a round's proposal (inside ``decisions.proposal_decide``): the lifecycle goes on
    from "accepted", with the offer, the mobility record when it applies and the plan step."""
    placement = proposal.placement
    if placement is None:
        raise ValidationError({"placement": _("This proposal has no placement.")})
    assignment = Assignment(
        placement=placement,
        participant=proposal.participant,
        proposal=proposal,
        status=Assignment.Status.ACCEPTED,
        score=proposal.score,
        reasons=proposal.reasons,
        skill_gap=[g.get("uri", "") if isinstance(g, dict) else g for g in proposal.skill_gap],
        proposed_by=proposal.round.created_by,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    history_add(assignment, "accepted-in-round", actor, org=placement.host.name, round=proposal.round.name)
    assignment.save()
    _sync_step(actor, assignment)
    assignment.save(update_fields=["step"])
    accepted_effects(actor=actor, assignment=assignment)
    return assignment


@transaction.atomic
def assignment_start(
    *, actor: User, assignment: Assignment, started_on: date, today: date | None = None
) -> Assignment:
    """The person started: not before the placement's start date, and not in the future."""
    locked = _lock(assignment)
    _require(can_follow_assignment(actor, locked))
    today = today or timezone.localdate()
    placement = locked.placement
    if placement.start and started_on < placement.start:
        raise ValidationError(
            {
                "started_on": _("The placement starts on %(date)s: the person cannot have started before.")
                % {"date": _day(placement.start)}
            }
        )
    if started_on > today:
        raise ValidationError(
            {
                "started_on": _("Record the start once it has happened (today is %(date)s).")
                % {"date": _day(today)}
            }
        )
    _move(locked, Assignment.Status.STARTED)
    locked.started_on = started_on
    history_add(locked, "started", actor, date=started_on)
    _sync_step(actor, locked)
    locked.save()
    _audit(actor, "assignment.start", locked, {"started_on": started_on})
    _notify_worker(locked, "started")
    return locked


@transaction.atomic
def attendance_note(
    *,
    actor: User,
    assignment: Assignment,
    noted_on: date,
    present: bool,
    note: str = "",
    today: date | None = None,
) -> Assignment:
    """An attendance note while the placement runs, for a day between its start and today."""
    locked = _lock(assignment)
    _require(can_follow_assignment(actor, locked))
    today = today or timezone.localdate()
    if locked.status != Assignment.Status.STARTED or locked.started_on is None:
        raise ValidationError({"status": _("Attendance is noted while the placement runs.")})
    if noted_on < locked.started_on:
        raise ValidationError(
            {
                "noted_on": _("The placement started on %(date)s: note a day from then on.")
                % {"date": _day(locked.started_on)}
            }
        )
    if noted_on > today:
        raise ValidationError(
            {"noted_on": _("Note a day that has passed (today is %(date)s).") % {"date": _day(today)}}
        )
    locked.attendance.create(noted_on=noted_on, present=present, note=note.strip()[:500], recorded_by=actor)
    history_add(locked, "attendance", actor, date=noted_on)
    locked.save(update_fields=["history", "updated_at"])
    _audit(actor, "assignment.attendance", locked, {"noted_on": noted_on, "present": present})
    return locked


@transaction.atomic
def assignment_end(
    *,
    actor: User,
    assignment: Assignment,
    ended_on: date,
    outcome: str,
    early: bool,
    reason: str = "",
    leaves_programme: bool = False,
    today: date | None = None,
) -> Assignment:
    """The placement ends: completed (on or after its end date) or early (before it, with a reason from
    the code list). The outcome says where the person stands; when the person also leaves the
    programme, their exit is recorded on the same date (and its retention checks scheduled)."""
    locked = _lock(assignment)
    _require(can_follow_assignment(actor, locked))
    today = today or timezone.localdate()
    placement = locked.placement
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if early and reason not in EndReason.values:
        errors["reason"] = _("Choose why the placement ended early.")
    if locked.started_on and ended_on < locked.started_on:
        errors["ended_on"] = _("The placement started on %(date)s: it cannot have ended before.") % {
            "date": _day(locked.started_on)
        }
    elif ended_on > today:
        errors["ended_on"] = _("Record the end once it has happened (today is %(date)s).") % {
            "date": _day(today)
        }
    elif not early and placement.end and ended_on < placement.end:
        errors["ended_on"] = _(
            "The placement ends on %(date)s: before that date it can only end early, with a reason."
        ) % {"date": _day(placement.end)}
    if errors:
        raise ValidationError(errors)
    _move(locked, Assignment.Status.ENDED_EARLY if early else Assignment.Status.COMPLETED)
    locked.ended_on, locked.outcome = ended_on, outcome
    locked.end_reason = reason if early else ""
    if early:
        history_add(locked, "ended-early", actor, date=ended_on, reason=reason, outcome=outcome)
    else:
        history_add(locked, "completed", actor, date=ended_on, outcome=outcome)
    _sync_step(actor, locked)
    locked.save()
    _audit(actor, "assignment.end", locked, {"ended_on": ended_on, "reason": reason, "outcome": outcome})
    if early and locked.proposal_id is None and placement.status == Placement.Status.OPEN:
        waiting_list_seat_freed(placement=placement)  # the seat is free again for the rest of the placement
    if leaves_programme:
        outcome_record(
            actor=actor,
            participant=locked.participant,
            exit_type=exit_type_for(locked.placement, outcome),
            exit_on=ended_on,
        )
    _notify_worker(locked, "ended-early" if early else "completed")
    return locked

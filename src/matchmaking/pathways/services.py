"""Write paths for pathways: goals and steps, follow-up meetings, self-assessments, referrals, offers,
outcomes and retention checks. Keyword-only, atomic, permission-checked, audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.audit import audit_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.core.notifications import notify
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.participants.access import can_edit_participant, can_record_pathway
from matchmaking.participants.clock import add_months
from matchmaking.participants.models import Consent, Participant
from matchmaking.participants.services import consent_active
from matchmaking.pathways.access import can_manage_directory
from matchmaking.pathways.models import (
    Goal,
    Meeting,
    Offer,
    Outcome,
    Referral,
    RetentionCheck,
    SelfAssessment,
    Step,
    SupportService,
)
from matchmaking.permissions.roles import CASELOAD_ROLES


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _audit(
    actor: User, action: str, participant: Participant, after: dict[str, Any], reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=participant,
        after=after,
        reason=reason,
        organisation_id=participant.organisation_id,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=[action.split(".")[0]],
        purpose="case work",
        kind=PersonalDataAccess.CHANGE,
    )


@transaction.atomic
def goal_create(*, actor: User, participant: Participant, title: str) -> Goal:
    _require(can_record_pathway(actor, participant))
    if not title.strip():
        raise ValidationError({"title": _("Write the goal.")})
    goal = Goal.objects.create(participant=participant, title=title.strip()[:300], created_by=actor)
    _audit(actor, "goal.create", participant, {"goal": goal.title})
    return goal


@transaction.atomic
def step_create(
    *,
    actor: User,
    goal: Goal,
    title: str,
    step_type: str,
    owner: Organisation,
    due_on: date | None = None,
    agreed_with_participant: bool = False,
    skill_uri: str = "",
) -> Step:
    _require(can_record_pathway(actor, goal.participant))
    if step_type not in Step.Type.values:
        raise ValidationError({"type": _("Unknown type of step.")})
    step = Step.objects.create(
        goal=goal,
        title=title.strip()[:300],
        type=step_type,
        owner=owner,
        due_on=due_on,
        agreed_with_participant=agreed_with_participant,
        skill_uri=skill_uri,
        created_by=actor,
    )
    _audit(
        actor, "step.create", goal.participant, {"step": step.title, "type": step_type, "owner": owner.key}
    )
    return step


@transaction.atomic
def step_update(*, actor: User, step: Step, status: str | None = None, agreed: bool | None = None) -> Step:
    """Move a step on (planned → in progress → done, or cancelled); closed steps stay closed."""
    _require(can_record_pathway(actor, step.goal.participant))
    before = {"status": step.status, "agreed": step.agreed_with_participant}
    if status is not None and status != step.status:
        if status not in Step.TRANSITIONS.get(step.status, set()):
            raise ValidationError(
                _("A step that is %(current)s cannot become %(new)s.")
                % {
                    "current": step.get_status_display().lower(),
                    "new": dict(Step.Status.choices).get(status, status),
                }
            )
        step.status = status
    if agreed is not None:
        step.agreed_with_participant = agreed
    step.save()
    _audit(
        actor,
        "step.update",
        step.goal.participant,
        {"step": step.pk, "status": step.status, "before": before},
    )
    return step


@transaction.atomic
def step_from_gap(*, actor: User, participant: Participant, uri: str, label: str) -> Step:
    """One click: a required skill the person lacks becomes a training step in the plan."""
    _require(can_record_pathway(actor, participant))
    if not uri.startswith("http://data.europa.eu/esco/skill/"):
        raise ValidationError(_("Not an ESCO skill."))
    open_steps = Step.objects.filter(goal__participant=participant, skill_uri=uri).exclude(
        status=Step.Status.CANCELLED
    )
    if open_steps.exists():
        raise ValidationError(_("There is already a training step for this skill."))
    goal = Goal.objects.filter(participant=participant, title=_("Close skill gaps")).first()
    if goal is None:
        goal = goal_create(actor=actor, participant=participant, title=_("Close skill gaps"))
    return step_create(
        actor=actor,
        goal=goal,
        title=_("Training: %s") % label,
        step_type=Step.Type.TRAINING,
        owner=participant.organisation,
        due_on=add_months(timezone.localdate(), 2),
        skill_uri=uri,
    )


# The goal a placement's plan step is filed under (the words stay as first written in the plan).
PLACEMENT_GOAL = "placement"


@transaction.atomic
def placement_step_sync(
    *,
    actor: User | None,
    participant: Participant,
    step: Step | None,
    title: str,
    status: str,
    due_on: date | None,
) -> Step:
    """Create or update the plan step of a placement, kept in step with it by the placements services
    (which checked the actor's access first: the host moves the step too). A step the case worker
    closed stays closed."""
    if status not in Step.Status.values:
        raise ValidationError({"status": _("Unknown status of a step.")})
    if step is None:
        goal = (
            Goal.objects.filter(participant=participant, created_by__isnull=True, title=_("Find a placement"))
            .order_by("pk")
            .first()
        )
        if goal is None:
            goal = Goal.objects.create(participant=participant, title=_("Find a placement"))
        step = Step.objects.create(
            goal=goal,
            title=title[:300],
            type=Step.Type.PLACEMENT,
            status=status,
            owner=participant.organisation,
            due_on=due_on,
            created_by=actor,
        )
        action = "step.create"
    else:
        closed = not Step.TRANSITIONS.get(step.status)
        if closed or (step.status == status and step.due_on == due_on):
            return step
        step.status, step.due_on = status, due_on
        step.save(update_fields=["status", "due_on", "updated_at"])
        action = "step.update"
    audit_record(
        actor=actor,
        action=action,
        obj=participant,
        after={"step": step.title, "type": step.type, "status": step.status, "source": PLACEMENT_GOAL},
        organisation_id=participant.organisation_id,
    )
    return step


@transaction.atomic
def meeting_record(
    *, actor: User, participant: Participant, held_on: date, organisation: Organisation, notes: str = ""
) -> Meeting:
    _require(can_record_pathway(actor, participant))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A follow-up meeting is recorded after it took place.")})
    meeting = Meeting.objects.create(
        participant=participant, held_on=held_on, organisation=organisation, notes=notes, recorded_by=actor
    )
    participant.group.filter(user=actor, ended_on__isnull=True).update(last_contact_on=held_on)
    _audit(actor, "meeting.record", participant, {"held_on": held_on})
    return meeting


@transaction.atomic
def assessment_record(
    *, actor: User, participant: Participant, recorded_on: date, scores: dict[str, int]
) -> SelfAssessment:
    _require(can_record_pathway(actor, participant))
    for scale in SelfAssessment.SCALES:
        value = scores.get(scale)
        if not isinstance(value, int) or not 1 <= value <= 10:
            raise ValidationError({scale: _("Choose a number from 1 to 10.")})
    record = SelfAssessment.objects.create(
        participant=participant,
        recorded_on=recorded_on,
        recorded_by=actor,
        **{s: scores[s] for s in SelfAssessment.SCALES},
    )
    _audit(actor, "assessment.record", participant, {"recorded_on": recorded_on})
    return record


@transaction.atomic
def service_create(*, actor: User | None, data: dict[str, Any], is_demo: bool = False) -> SupportService:
    _require(actor is None or can_manage_directory(actor))
    if data.get("category") not in SupportService.Category.values:
        raise ValidationError({"category": _("Unknown category.")})
    service = SupportService.objects.create(is_demo=is_demo, **data)
    audit_record(actor=actor, action="support-service.create", obj=service, after={"name": service.name})
    return service


def consent_for_referral(participant: Participant, service: SupportService) -> Consent | None:
    """Sharing with the service's organisation needs consent naming it; a service outside the network
    needs consent to share for support."""
    if service.organisation_id:
        return consent_active(
            participant=participant, purpose=Consent.Purpose.SHARING, organisation=service.organisation
        )
    return consent_active(participant=participant, purpose=Consent.Purpose.SUPPORT)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    participant: Participant,
    service: SupportService,
    reason: str = "",
    remind_on: date | None = None,
) -> Referral:
    _require(can_record_pathway(actor, participant))
    consent = consent_for_referral(participant, service)
    if consent is None:
        raise ValidationError(
            _("No current consent allows this referral: record consent to share with %s first.")
            % (service.organisation.name if service.organisation else _("support services"))
        )
    if participant.referrals.filter(
        service=service, status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED]
    ).exists():
        raise ValidationError(_("There is already an open referral to this service."))
    referral = Referral.objects.create(
        participant=participant,
        service=service,
        consent=consent,
        reason=reason,
        remind_on=remind_on,
        sent_by=actor,
        sent_on=timezone.localdate(),
    )
    _audit(actor, "referral.send", participant, {"service": service.name, "consent": consent.pk})
    if service.organisation_id:
        notify(
            memberships=Membership.objects.filter(
                organisation=service.organisation, role__in=list(CASELOAD_ROLES)
            ).select_related("user"),
            kind="referral.sent",
            params={"service": service.name},
            url=reverse("pathways:referral-answer", args=[referral.pk]),
        )
    return referral


def check_referral_transition(referral: Referral, status: str, reason: str) -> None:
    """Sent → accepted or refused (with a reason) → completed; nothing goes on without consent."""
    if status not in Referral.TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            _("A referral that is %(current)s cannot become %(new)s.")
            % {
                "current": referral.get_status_display().lower(),
                "new": dict(Referral.Status.choices).get(status, status),
            }
        )
    if status == Referral.Status.REFUSED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for refusing.")})
    if referral.consent.revoked_on is not None and status != Referral.Status.REFUSED:
        raise ValidationError(_("The consent behind this referral has been revoked."))


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, status: str, reason: str = "") -> Referral:
    _require(can_record_pathway(actor, referral.participant))
    check_referral_transition(referral, status, reason)
    referral.status = status
    referral.refusal_reason = reason.strip() if status == Referral.Status.REFUSED else referral.refusal_reason
    referral.save()
    _audit(
        actor, "referral.update", referral.participant, {"referral": referral.pk, "status": status}, reason
    )
    notify(
        involved=[referral.sent_by],
        kind="referral.update",
        params={"service": referral.service.name, "status": referral.status},
        text=reason,
        url=referral.participant.get_absolute_url(),
    )
    return referral


@transaction.atomic
def offer_record(
    *,
    actor: User,
    participant: Participant,
    offer_type: str,
    offered_on: date,
    organisation: Organisation,
    note: str = "",
) -> Offer:
    """A typed Youth Guarantee offer; the first one stops the clock."""
    _require(can_record_pathway(actor, participant))
    if offer_type not in Offer.Type.values:
        raise ValidationError({"type": _("Choose the type of offer.")})
    if offered_on > timezone.localdate():
        raise ValidationError({"offered_on": _("Record an offer once it has been made.")})
    offer = Offer.objects.create(
        participant=participant,
        type=offer_type,
        offered_on=offered_on,
        organisation=organisation,
        note=note,
        recorded_by=actor,
    )
    _audit(actor, "offer.record", participant, {"type": offer_type, "offered_on": offered_on})
    return offer


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    participant: Participant,
    exit_type: str,
    exit_on: date,
    dropped_out: bool = False,
    drop_out_reasons: list[str] | None = None,
    note: str = "",
) -> Outcome:
    """The person leaves the programme; retention checks at 3, 6 and 12 months are scheduled."""
    _require(can_record_pathway(actor, participant))
    if exit_type not in Outcome.ExitType.values:
        raise ValidationError({"exit_type": _("Choose how the person left.")})
    reasons = drop_out_reasons or []
    if set(reasons) - set(Outcome.DropOutReason.values):
        raise ValidationError({"drop_out_reasons": _("Unknown reason.")})
    if dropped_out and not reasons:
        raise ValidationError({"drop_out_reasons": _("Give at least one reason for dropping out.")})
    if hasattr(participant, "outcome"):
        raise ValidationError(_("An outcome is already recorded for this participant."))
    outcome = Outcome.objects.create(
        participant=participant,
        exit_type=exit_type,
        exit_on=exit_on,
        dropped_out=dropped_out,
        drop_out_reasons=reasons if dropped_out else [],
        note=note,
        recorded_by=actor,
    )
    if exit_type != Outcome.ExitType.NONE:
        RetentionCheck.objects.bulk_create(
            RetentionCheck(outcome=outcome, months=m, due_on=add_months(exit_on, m))
            for m in RetentionCheck.MONTHS
        )
    participant.status, participant.exited_on = Participant.Status.EXITED, exit_on
    participant.save(update_fields=["status", "exited_on", "updated_at"])
    _audit(actor, "outcome.record", participant, {"exit_type": exit_type, "dropped_out": dropped_out})
    return outcome


@transaction.atomic
def retention_check_record(
    *, actor: User, check: RetentionCheck, still_there: bool, note: str = ""
) -> RetentionCheck:
    participant = check.outcome.participant
    _require(can_edit_participant(actor, participant))
    if check.done_on is not None:
        raise ValidationError(_("This check has already been recorded."))
    check.done_on, check.still_there, check.note = timezone.localdate(), still_there, note[:300]
    check.save()
    audit_record(
        actor=actor,
        action="retention-check.record",
        obj=participant,
        after={"months": check.months, "still_there": still_there},
        organisation_id=participant.organisation_id,
    )
    return check


# --- Reminders (periodic jobs) ----------------------------------------------------------------------
# A reminder changes no record of the person: it is notified and marked as sent, not audited.


@transaction.atomic
def retention_check_remind(*, check: RetentionCheck, now: datetime) -> RetentionCheck:
    """Remind the key worker, once, that a follow-up check (3, 6, 12 months after exit) is due."""
    participant = check.outcome.participant
    notify(
        involved=[participant.key_worker],
        kind="retention-check.due",
        params={"months": check.months, "participant": participant.pseudonym},
        url=participant.get_absolute_url(),
    )
    check.reminded_at = now
    check.save(update_fields=["reminded_at"])
    return check


@transaction.atomic
def referral_remind(*, referral: Referral, now: datetime) -> Referral:
    """Remind the sender, once, that a referral is still unanswered."""
    notify(
        involved=[referral.sent_by],
        kind="referral.reminder",
        params={"service": referral.service.name, "participant": referral.participant.pseudonym},
        url=referral.participant.get_absolute_url(),
    )
    referral.reminded_at = now
    referral.save(update_fields=["reminded_at"])
    return referral

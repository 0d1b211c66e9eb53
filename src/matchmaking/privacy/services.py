"""The person's rights: a copy of their data (JSON), erasure that leaves only anonymous statistics, and
retention periods enforced by a periodic job."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.models import AuditEvent, PersonalDataAccess
from matchmaking.participants.access import can_erase_participant, can_export_participant
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Goal, Meeting, Offer, Referral, SelfAssessment, StatisticRecord
from matchmaking.placements.models import Assignment
from matchmaking.privacy.forms import EXPORT_PURPOSES

EXPORT_FORMAT = 1


def _rows(queryset: Iterable[models.Model], fields: list[str]) -> list[dict[str, Any]]:
    return [{f: _plain(getattr(obj, f)) for f in fields} for obj in queryset]


def _plain(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return str(value)
    return value


def participant_export(
    *, actor: User, participant: Participant, purpose: str, path: str = ""
) -> dict[str, Any]:
    """Everything stored about the person, as one JSON-ready document; the export itself is logged."""
    if not can_export_participant(actor, participant):
        raise PermissionDenied
    if purpose not in dict(EXPORT_PURPOSES):
        raise ValidationError({"purpose": _("Choose why the data is exported.")})

    identity = getattr(participant, "identity", None)
    document: dict[str, Any] = {
        "format": "participant-data",
        "format_version": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "participant": {
            "pseudonym": participant.pseudonym,
            "reference": participant.reference,
            "organisation": participant.organisation.name,
            "key_worker": str(participant.key_worker or ""),
            "status": participant.status,
            "registered_on": _plain(participant.registered_on),
            "home_country": participant.home_country,
            "available_from": _plain(participant.available_from),
            "available_until": _plain(participant.available_until),
            "willing_to_go_abroad": participant.willing_to_go_abroad,
            "support_requirements": participant.support_requirements,
            "occupation_interests": participant.occupation_interests,
            "fewer_opportunities": participant.fewer_opportunities,
            "barriers": participant.barriers,
            "age_group": participant.age_group,
            "gender": participant.gender,
        },
        "identity": _rows(
            [identity], ["given_name", "family_name", "date_of_birth", "email", "phone", "address"]
        )[0]
        if identity
        else None,
        "languages": _rows(participant.languages.all(), ["code", "level"]),
        "skills": _rows(
            participant.skills.all(),
            ["uri", "label", "how", "source", "validated", "evidence", "esco_version"],
        ),
        "consents": _rows(
            participant.consents.all(), ["purpose", "organisation", "given_on", "revoked_on", "note"]
        ),
        "follow_up_group": _rows(
            participant.group.all(),
            ["user", "organisation", "role", "can_view_personal", "started_on", "ended_on"],
        ),
        "goals": [
            {
                "goal": g.title,
                "steps": _rows(
                    g.steps.all(), ["title", "type", "status", "owner", "due_on", "agreed_with_participant"]
                ),
            }
            for g in Goal.objects.filter(participant=participant)
        ],
        "meetings": _rows(
            Meeting.objects.filter(participant=participant), ["held_on", "organisation", "notes"]
        ),
        "self_assessments": _rows(
            SelfAssessment.objects.filter(participant=participant),
            ["recorded_on", "motivation", "confidence", "readiness", "wellbeing"],
        ),
        "referrals": _rows(
            Referral.objects.filter(participant=participant),
            ["service", "status", "reason", "sent_on", "refusal_reason"],
        ),
        "offers": _rows(
            Offer.objects.filter(participant=participant), ["type", "offered_on", "organisation", "note"]
        ),
        "proposals": [
            {
                "round": str(p.round),
                "placement": str(p.placement or ""),
                "status": p.status,
                "reasons": [r.get("text", "") for r in p.reasons],
                "skill_gap": p.skill_gap,
            }
            for p in participant.proposals.select_related("round", "placement")
        ],
        "placements": [
            {
                "placement": str(a.placement),
                "status": a.status,
                "proposed_at": _plain(a.proposed_at),
                "interview_on": _plain(a.interview_on),
                "started_on": _plain(a.started_on),
                "ended_on": _plain(a.ended_on),
                "end_reason": a.end_reason,
                "outcome": a.outcome,
                "decline_reason": a.decline_reason,
                "message": a.message,
                "attendance": _rows(a.attendance.all(), ["noted_on", "present", "note"]),
            }
            for a in Assignment.objects.filter(participant=participant)
            .select_related("placement")
            .prefetch_related("attendance")
        ],
        "mobilities": _rows(
            participant.mobilities.all(),
            [
                "learner_type",
                "activity_code",
                "sending",
                "receiving",
                "country",
                "city",
                "start",
                "end",
                "fewer_opportunities",
                "long_term",
            ],
        ),
        "outcome": None,
        "access_log": _rows(
            PersonalDataAccess.objects.filter(
                subject_type="participants.participant", subject_id=str(participant.pk)
            ),
            ["occurred_at", "user_label", "kind", "fields", "purpose"],
        ),
    }
    outcome = getattr(participant, "outcome", None)
    if outcome is not None:
        document["outcome"] = {
            "exit_type": outcome.exit_type,
            "exit_on": _plain(outcome.exit_on),
            "dropped_out": outcome.dropped_out,
            "drop_out_reasons": outcome.drop_out_reasons,
            "retention_checks": _rows(outcome.checks.all(), ["months", "due_on", "done_on", "still_there"]),
        }
    access_log_record(
        user=actor,
        subject=participant,
        fields=["all"],
        purpose=f"export: {purpose}",
        kind=PersonalDataAccess.EXPORT,
        path=path,
    )
    return document


@transaction.atomic
def participant_erase(*, actor: User | None, participant: Participant, reason: str = "") -> str:
    """Delete the person's records, keep one anonymous statistics row, and tombstone the logs.

    Returns the tombstone that now stands for the person in the audit trail and the access log.
    ``actor`` is None when the retention job erases a record.
    """
    if actor is not None and not can_erase_participant(actor, participant):
        raise PermissionDenied

    outcome = getattr(participant, "outcome", None)
    StatisticRecord.objects.create(
        organisation=participant.organisation,
        year=participant.registered_on.year,
        age_group=participant.age_group,
        fewer_opportunities=participant.fewer_opportunities,
        exit_type=outcome.exit_type if outcome else "",
        placed=participant.proposals.filter(status="accepted").exists()
        or Assignment.objects.filter(participant=participant, status__in=Assignment.PLACED).exists(),
    )
    tombstone = f"erased-{uuid.uuid4().hex[:12]}"
    key = {"subject_type": participant._meta.label_lower, "subject_id": str(participant.pk)}
    PersonalDataAccess.objects.filter(**key).update(subject_id=tombstone, path="")
    AuditEvent.objects.filter(
        object_type=participant._meta.label_lower, object_id=str(participant.pk)
    ).update(object_id=tombstone, object_label=tombstone, before={}, after={})
    # The pseudonym also appears in labels of related objects' audit rows; scrub those too.
    AuditEvent.objects.filter(object_label__contains=participant.pseudonym).update(
        object_label=tombstone, before={}, after={}
    )
    organisation_id = participant.organisation_id
    Referral.objects.filter(participant=participant).delete()
    participant.delete()
    AuditEvent.objects.create(
        actor=actor if actor is not None else None,
        actor_label=str(actor) if actor is not None else "system",
        action="participant.erase",
        object_type="participants.participant",
        object_id=tombstone,
        object_label=tombstone,
        organisation_id=organisation_id,
        reason=reason,
    )
    return tombstone


def participants_due_for_erasure(now: datetime) -> QuerySet[Participant]:
    today = timezone.localdate(now)
    left = today - timedelta(days=settings.PARTICIPANT_RETENTION_DAYS)
    idle = now - timedelta(days=settings.PARTICIPANT_INACTIVE_RETENTION_DAYS)
    return Participant.objects.filter(
        Q(status=Participant.Status.EXITED, exited_on__lt=left) | Q(updated_at__lt=idle)
    ).exclude(status=Participant.Status.ERASED)


def retention_enforce(now: datetime) -> int:
    """Erase every record past its retention period; returns how many."""
    count = 0
    for participant in participants_due_for_erasure(now):
        participant_erase(actor=None, participant=participant, reason="retention period ended")
        count += 1
    return count

"""What an accepted placement records, whether it came from a single proposal or a round: the Youth
Guarantee offer of the placement's type, and the Erasmus+ mobility record only for an Erasmus+ placement
abroad (called inside the accepting service's transaction)."""

from __future__ import annotations

from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Offer
from matchmaking.placements.models import (
    Assignment,
    MobilityRecord,
    Placement,
    PlacementKind,
    Scheme,
    activity_code_for,
)

# The Youth Guarantee offer an accepted placement counts as, by the placement's type (the offer types
# are the Youth Guarantee's four: training is continued education, a work trial a traineeship).
OFFER_TYPE = {
    PlacementKind.TRAINEESHIP: Offer.Type.TRAINEESHIP,
    PlacementKind.JOB: Offer.Type.JOB,
    PlacementKind.TRAINING: Offer.Type.EDUCATION,
    PlacementKind.APPRENTICESHIP: Offer.Type.APPRENTICESHIP,
    PlacementKind.WORK_TRIAL: Offer.Type.TRAINEESHIP,
}


def accepted_effects(*, actor: User | None, assignment: Assignment) -> None:
    """What an accepted placement records (inside the accepting service's transaction): the Youth
    Guarantee offer of the placement's type, and the Erasmus+ mobility record when it applies."""
    placement, participant = assignment.placement, assignment.participant
    Offer.objects.create(
        participant=participant,
        type=OFFER_TYPE[PlacementKind(placement.kind)],
        offered_on=timezone.localdate(),
        organisation=placement.host,
        recorded_by=actor,
        note=f"{placement.title}"[:300],
    )
    mobility_record_for(assignment)


def needs_mobility_record(placement: Placement, participant: Participant) -> bool:
    """Only a placement abroad under an Erasmus+ scheme is an Erasmus+ mobility."""
    return placement.scheme == Scheme.ERASMUS_VET and placement.is_abroad_for(
        participant.home_country or participant.organisation.country
    )


def mobility_record_for(assignment: Assignment) -> MobilityRecord | None:
    """The Erasmus+ mobility record of an accepted placement, when it is one (else nothing)."""
    placement, participant = assignment.placement, assignment.participant
    if not needs_mobility_record(placement, participant):
        return None
    days = (placement.end - placement.start).days + 1 if placement.start and placement.end else None
    learner = (
        MobilityRecord.LearnerType.APPRENTICE
        if placement.kind == PlacementKind.APPRENTICESHIP
        else MobilityRecord.LearnerType.VET_LEARNER
    )
    return MobilityRecord.objects.create(
        proposal=assignment.proposal,
        assignment=assignment,
        participant=participant,
        learner_type=learner,
        activity_code=activity_code_for(days),
        sending=participant.organisation,
        receiving=placement.host,
        sending_erasmus_id=participant.organisation.erasmus_id or "",
        receiving_erasmus_id=placement.host.erasmus_id or "",
        country=placement.country,
        city=placement.city,
        start=placement.start,
        end=placement.end,
        fewer_opportunities=participant.fewer_opportunities,
        long_term=bool(days and days >= 90),
    )

"""Read paths for participants, always scoped to the person asking; identity reads are access-logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.participants.access import can_see_personal_details, visible_participants
from matchmaking.participants.clock import Clock, youth_guarantee_clock
from matchmaking.participants.models import Participant, ParticipantIdentity
from matchmaking.permissions.roles import PERSONAL_DATA_ROLES


@dataclass(frozen=True)
class CaseloadFilters:
    query: str = ""
    mine: bool = False
    status: str = Participant.Status.ACTIVE
    clock: str = ""  # "overdue" or "running"


@dataclass
class CaseloadRow:
    participant: Participant
    clock: Clock | None
    open_steps: int


def caseload(*, user: Any, filters: CaseloadFilters | None = None) -> QuerySet[Participant]:
    filters = filters or CaseloadFilters()
    found = visible_participants(user)
    if filters.mine:
        found = found.filter(
            Q(key_worker=user) | Q(group__user=user, group__ended_on__isnull=True)
        ).distinct()
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.query:
        found = found.filter(Q(pseudonym__icontains=filters.query) | Q(reference__iexact=filters.query))
    return (
        found.select_related("organisation", "key_worker")
        .annotate(first_offer_on=Min("offers__offered_on"))
        .order_by("registered_on", "pseudonym")
    )


def caseload_rows(
    *, user: Any, filters: CaseloadFilters | None = None, limit: int = 500
) -> list[CaseloadRow]:
    """The caseload with each person's Youth Guarantee clock, overdue clocks first."""
    filters = filters or CaseloadFilters()
    today = timezone.localdate()
    rows = []
    for participant in caseload(user=user, filters=filters).prefetch_related(Prefetch("goals__steps"))[
        : limit * 2
    ]:
        clock = participant_clock(participant, today, first_offer_on=participant.first_offer_on)
        if filters.clock == "overdue" and not (clock and clock.overdue):
            continue
        if filters.clock == "running" and not (clock and clock.running):
            continue
        open_steps = sum(
            1
            for goal in participant.goals.all()
            for step in goal.steps.all()
            if step.status in ("planned", "in-progress")
        )
        rows.append(CaseloadRow(participant, clock, open_steps))
    rows.sort(key=lambda r: (not (r.clock and r.clock.overdue), r.clock.days_left if r.clock else 10**6))
    return rows[:limit]


def participant_clock(participant: Participant, today: Any, first_offer_on: Any = "unset") -> Clock | None:
    if participant.status != Participant.Status.ACTIVE and first_offer_on == "unset":
        return None
    if first_offer_on == "unset":
        first = participant.offers.order_by("offered_on").first()
        first_offer_on = first.offered_on if first else None
    return youth_guarantee_clock(
        started_on=participant.clock_start_on or participant.registered_on,
        age_group=participant.age_group,
        first_offer_on=first_offer_on,
        today=today,
    )


def participant_identity(
    *, user: Any, participant: Participant, path: str = "", purpose: str = "case work"
) -> ParticipantIdentity | None:
    """The identifying details, if the user may see them; every read is written to the access log."""
    if not can_see_personal_details(user, participant):
        return None
    identity = ParticipantIdentity.objects.filter(participant=participant).first()
    if identity is not None:
        access_log_record(
            user=user,
            subject=participant,
            fields=list(ParticipantIdentity.PERSONAL_FIELDS),
            purpose=purpose,
            kind=PersonalDataAccess.READ,
            path=path,
        )
    return identity


def participant_profile_read(*, user: Any, participant: Participant, path: str = "") -> None:
    """Log a read of the pseudonymous profile (skills, languages, support needs, plan)."""
    access_log_record(
        user=user,
        subject=participant,
        fields=["profile"],
        purpose="case work",
        kind=PersonalDataAccess.READ,
        path=path,
    )


def access_history(*, participant: Participant) -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.filter(
        subject_type=participant._meta.label_lower, subject_id=str(participant.pk)
    )[:200]


def group_candidates(*, participant: Participant) -> QuerySet:
    """Users who may join a follow-up group: holders of roles with personal-data access."""

    return (
        User.objects.filter(is_active=True, memberships__role__in=list(PERSONAL_DATA_ROLES))
        .distinct()
        .order_by("email")
    )

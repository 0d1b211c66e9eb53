"""What is due for a case worker: Youth Guarantee deadlines (soon and breached), retention checks after
exit, referrals left unanswered, plan steps overdue.

Every section is a queryset computed in the database over every row (no cap), scoped to the people
the user may see (``participants.access.visible_participants``: the holding organisation's caseload
and the follow-up groups). Exited people stay in scope, so their retention checks do not vanish. A
network coordinator without a caseload of their own sees the counts only, never a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from matchmaking.participants.access import can_use_caseload, visible_participants
from matchmaking.participants.clock_sql import with_clock
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Referral, RetentionCheck, Step
from matchmaking.permissions.roles import AnyUser, caseload_organisations, is_coordinator

# How many days before the Youth Guarantee deadline a person shows on the worklist.
EARLY_WARNING_DAYS = 30
SECTIONS = ("deadlines", "breached", "retention", "referrals", "steps")


def referral_days() -> int:
    """After how many days without an answer a referral is due (the setting, default 10)."""
    return int(settings.WORKLIST_REFERRAL_DAYS)


def counts_only(user: AnyUser) -> bool:
    """A coordinator with no caseload of their own sees how many items are due, not whose."""
    return is_coordinator(user) and not caseload_organisations(user)


def _people(user: AnyUser) -> QuerySet[Participant]:
    if not can_use_caseload(user):
        return Participant.objects.none()
    return visible_participants(user)


def _ids(user: AnyUser) -> QuerySet[Any]:
    return _people(user).values("pk")


def deadlines_soon(*, user: AnyUser, today: date) -> QuerySet[Any]:
    """Active people whose clock runs and ends within ``EARLY_WARNING_DAYS`` days, soonest first."""
    found = with_clock(
        Participant.objects.filter(pk__in=_ids(user), status=Participant.Status.ACTIVE), today=today
    )
    return found.filter(
        clock_running=True,
        clock_overdue=False,
        clock_due_on__lte=today + timedelta(days=EARLY_WARNING_DAYS),
    ).order_by("clock_due_on", "pseudonym")


def deadlines_breached(*, user: AnyUser, today: date) -> QuerySet[Any]:
    """Active people whose clock has passed its limit without an offer, longest overdue first."""
    found = with_clock(
        Participant.objects.filter(pk__in=_ids(user), status=Participant.Status.ACTIVE), today=today
    )
    return found.filter(clock_overdue=True).order_by("clock_due_on", "pseudonym")


def retention_checks_due(*, user: AnyUser, today: date) -> QuerySet[RetentionCheck]:
    """Retention checks (3, 6, 12 months after exit) due and not done, exited people included."""
    return (
        RetentionCheck.objects.filter(
            outcome__participant__in=_ids(user), due_on__lte=today, done_on__isnull=True
        )
        .select_related("outcome__participant")
        .order_by("due_on", "id")
    )


def referrals_unanswered(*, user: AnyUser, today: date) -> QuerySet[Referral]:
    """Referrals still "sent" after ``referral_days()`` days, oldest first."""
    return (
        Referral.objects.filter(
            participant__in=_ids(user),
            status=Referral.Status.SENT,
            sent_on__lte=today - timedelta(days=referral_days()),
        )
        .select_related("participant", "service")
        .order_by("sent_on", "id")
    )


def steps_overdue(*, user: AnyUser, today: date) -> QuerySet[Step]:
    """Open plan steps (planned or in progress) past their due date, oldest first."""
    return (
        Step.objects.filter(
            goal__participant__in=_ids(user),
            due_on__lt=today,
            status__in=(Step.Status.PLANNED, Step.Status.IN_PROGRESS),
        )
        .select_related("goal__participant", "owner")
        .order_by("due_on", "id")
    )


SELECTORS = {
    "deadlines": deadlines_soon,
    "breached": deadlines_breached,
    "retention": retention_checks_due,
    "referrals": referrals_unanswered,
    "steps": steps_overdue,
}


@dataclass(frozen=True)
class WorklistCounts:
    deadlines: int
    breached: int
    retention: int
    referrals: int
    steps: int

    @property
    def total(self) -> int:
        return self.deadlines + self.breached + self.retention + self.referrals + self.steps


def worklist_section(*, user: AnyUser, section: str, today: date) -> QuerySet[Any]:
    return SELECTORS[section](user=user, today=today)


def worklist_counts(*, user: AnyUser, today: date) -> WorklistCounts:
    """How many items each section holds, counted in the database."""
    return WorklistCounts(
        **{name: select(user=user, today=today).count() for name, select in SELECTORS.items()}
    )

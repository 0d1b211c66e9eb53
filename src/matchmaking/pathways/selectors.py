"""Read paths for pathways: a participant's plan, progress and follow-up checks, and the directory of
support services. Callers check that the user may see the participant first (``access_participant``)."""

from __future__ import annotations

from django.db.models import QuerySet

from matchmaking.organisations.models import Organisation
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Goal, RetentionCheck, SelfAssessment, Step, SupportService


def participant_goals(*, participant: Participant) -> QuerySet[Goal]:
    """The person's goals with their steps and each step's responsible organisation."""
    return Goal.objects.filter(participant=participant).prefetch_related("steps__owner")


def participant_goal(*, participant: Participant, goal_id: int | str) -> Goal:
    """One of the person's goals; raises ``Goal.DoesNotExist`` for any other."""
    return Goal.objects.get(participant=participant, pk=goal_id)


def participant_step(*, participant: Participant, step_id: int) -> Step | None:
    return Step.objects.filter(pk=step_id, goal__participant=participant).first()


def skill_gaps_to_plan(*, participant: Participant) -> list[tuple[str, str]]:
    """(uri, label) of the skills the person's proposals found missing that no open step trains yet."""
    gaps: dict[str, str] = {}
    for proposal in participant.proposals.exclude(status="withdrawn"):
        for gap in proposal.skill_gap:
            gaps.setdefault(gap["uri"], gap["label"])
    planned = set(
        Step.objects.filter(goal__participant=participant)
        .exclude(status="cancelled")
        .values_list("skill_uri", flat=True)
    )
    return [(uri, label) for uri, label in gaps.items() if uri not in planned]


def participant_assessments(*, participant: Participant) -> list[SelfAssessment]:
    return list(SelfAssessment.objects.filter(participant=participant))


def participant_retention_check(*, participant: Participant, check_id: int) -> RetentionCheck | None:
    return RetentionCheck.objects.filter(pk=check_id, outcome__participant=participant).first()


def active_organisation_choices() -> list[tuple[str, str]]:
    """(id, name) of the network's active organisations, for the organisation responsible for a step."""
    return [
        (str(pk), name)
        for pk, name in Organisation.objects.filter(status=Organisation.Status.ACTIVE).values_list(
            "pk", "name"
        )
    ]


def organisation(*, pk: int | str) -> Organisation:
    """The organisation with this id; raises ``Organisation.DoesNotExist`` for an unknown one."""
    return Organisation.objects.get(pk=pk)


def support_services(
    *, category: str = "", country: str = "", language: str = ""
) -> QuerySet[SupportService]:
    """The directory's active services with their organisations; empty criteria are ignored."""
    found = SupportService.objects.filter(active=True).select_related("organisation")
    if category:
        found = found.filter(category=category)
    if country:
        found = found.filter(country=country)
    if language:
        found = found.filter(languages__icontains=language.lower())
    return found


def active_support_services() -> QuerySet[SupportService]:
    return SupportService.objects.filter(active=True)


def support_service(*, pk: int | str) -> SupportService:
    """The service with this id; raises ``SupportService.DoesNotExist`` for an unknown one."""
    return SupportService.objects.get(pk=pk)

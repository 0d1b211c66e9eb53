"""Reads for one person's placements: their assignments, a host's inbox of decisions waiting, and the
rounds a case worker may read (those with their own people), each scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from matchmaking.participants.models import Participant
from matchmaking.permissions.roles import AnyUser, caseload_organisations, is_active_user, signed_in
from matchmaking.placements.access import host_organisations, visible_rounds
from matchmaking.placements.models import Assignment, Proposal, Round


def own_people(user: AnyUser) -> QuerySet[Participant]:
    """The people whose case the user's organisations hold, or whose key worker the user is."""
    person = signed_in(user)
    if person is None or not is_active_user(person):
        return Participant.objects.none()
    return Participant.objects.exclude(status=Participant.Status.ERASED).filter(
        Q(organisation_id__in=caseload_organisations(person)) | Q(key_worker=person)
    )


def person_assignments(*, participant: Participant) -> QuerySet[Assignment]:
    """Every placement proposed to the person, the open ones first."""
    return (
        Assignment.objects.filter(participant=participant)
        .select_related("placement__host")
        .order_by("-proposed_at", "-id")
    )


def host_inbox(*, user: AnyUser) -> QuerySet[Assignment]:
    """Single proposals waiting for an answer from the user's organisations, the oldest first."""
    return (
        Assignment.objects.filter(
            placement__host_id__in=host_organisations(user), status__in=Assignment.WAITS_FOR_HOST
        )
        .exclude(participant__status=Participant.Status.ERASED)
        .select_related("placement__host", "participant")
        .order_by("proposed_at", "id")
    )


def host_round_proposals(*, user: AnyUser) -> QuerySet[Proposal]:
    """Confirmed round proposals (or freed seats offered) waiting for the user's organisations."""
    return (
        Proposal.objects.filter(
            placement__host_id__in=host_organisations(user), status__in=Proposal.WAITS_FOR_HOST
        )
        .exclude(participant__status=Participant.Status.ERASED)
        .select_related("placement__host", "participant", "round")
        .order_by("round__confirmed_at", "id")
    )


def host_running(*, user: AnyUser) -> QuerySet[Assignment]:
    """Accepted and started placements at the user's organisations: where attendance and the end are
    recorded."""
    return (
        Assignment.objects.filter(
            placement__host_id__in=host_organisations(user),
            status__in=(Assignment.Status.ACCEPTED, Assignment.Status.STARTED),
        )
        .exclude(participant__status=Participant.Status.ERASED)
        .select_related("placement__host", "participant")
        .order_by("placement__start", "id")
    )


def caseworker_rounds(*, user: AnyUser) -> QuerySet[Any]:
    """The rounds the user may read, with how many of the user's own people are in each."""
    mine = own_people(user).values("pk")
    return (
        visible_rounds(user)
        .annotate(n_mine=Count("participants", filter=Q(participants__in=mine), distinct=True))
        .order_by("-created_at", "-id")
    )


def caseworker_round_proposals(*, user: AnyUser, allocation_round: Round) -> QuerySet[Proposal]:
    """In a round, the proposals of the user's own people only."""
    return (
        Proposal.objects.filter(round=allocation_round, participant__in=own_people(user).values("pk"))
        .select_related("participant", "placement__host")
        .order_by("participant__pseudonym")
    )

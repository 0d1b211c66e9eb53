"""Who may publish and change placements, run allocation rounds, and decide or contest proposals.
Default deny; ``access_*`` answer 404 alike for missing and forbidden. Hosts see the proposals made to
their placements pseudonymously."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from matchmaking.participants.access import can_edit_participant
from matchmaking.participants.models import Participant
from matchmaking.permissions.roles import (
    AnyUser,
    caseload_organisations,
    is_active_user,
    is_coordinator,
    role_in,
    roles_of,
)
from matchmaking.placements.models import Assignment, Contest, Placement, Proposal, Round

# --- Placements -------------------------------------------------------------------------------------


def placement_hosts_for(user: AnyUser) -> list[int]:
    """Organisations on whose behalf the user may publish placements (any member of the host)."""
    if not is_active_user(user):
        return []
    return list(roles_of(user))


def can_publish_placement(user: AnyUser, organisation: models.Model) -> bool:
    return is_active_user(user) and (role_in(user, organisation) is not None or is_coordinator(user))


def can_edit_placement(user: AnyUser, placement: Placement) -> bool:
    return can_publish_placement(user, placement.host)


def access_placement(user: AnyUser, key: str) -> Placement:
    """Every member of the network sees published placements (no personal data on them)."""
    placement = Placement.objects.filter(key=key).select_related("host", "region").first()
    if placement is None or not (is_active_user(user) and roles_of(user)):
        raise Http404("No such placement.")
    return placement


def access_placement_for_edit(user: AnyUser, key: str) -> Placement:
    placement = access_placement(user, key)
    if not can_edit_placement(user, placement):
        raise Http404("No such placement.")
    return placement


# --- Allocation rounds -------------------------------------------------------------------------------


def can_manage_rounds(user: AnyUser) -> bool:
    return is_active_user(user) and is_coordinator(user)


def can_cancel_round(user: AnyUser, allocation_round: Round) -> bool:
    """Stopping a round's computation is for those who run rounds: the coordinators, its creator among
    them (only coordinators create rounds)."""
    return can_manage_rounds(user)


def access_round(user: AnyUser, round_id: int) -> Round:
    found = Round.objects.filter(pk=round_id).first()
    if found is None or not can_manage_rounds(user):
        raise Http404("No such round.")
    return found


def visible_rounds(user: AnyUser) -> QuerySet[Round]:
    """Rounds a user may read: every round for coordinators; for the organisations involved, the rounds
    with one of their placements (any member of the host) or one of their participants (caseload
    roles)."""
    if not is_active_user(user):
        return Round.objects.none()
    if is_coordinator(user):
        return Round.objects.all()
    hosts = list(roles_of(user))
    if not hosts:
        return Round.objects.none()
    involved = Round.objects.filter(
        Q(placements__host_id__in=hosts) | Q(participants__organisation_id__in=caseload_organisations(user))
    )
    return Round.objects.filter(pk__in=involved.values("pk"))


def access_round_for_reading(user: AnyUser, round_id: int) -> Round:
    found = visible_rounds(user).filter(pk=round_id).first()
    if found is None:
        raise Http404("No such round.")
    return found


def proposals_visible_in_round(user: AnyUser, allocation_round: Round) -> QuerySet[Proposal]:
    """Coordinators see every proposal; a host the ones for its placements once the round is confirmed
    (as on the placement page); a caseload those of its own participants."""
    found = Proposal.objects.filter(round=allocation_round)
    if not is_active_user(user):
        return found.none()
    if is_coordinator(user):
        return found
    hosts = list(roles_of(user))
    as_host = Q(placement__host_id__in=hosts) & ~Q(status__in=["proposed", "withdrawn"])
    return found.filter(as_host | Q(participant__organisation_id__in=caseload_organisations(user))).exclude(
        participant__status="erased"
    )


def can_decide_proposal(user: AnyUser, proposal: Proposal) -> bool:
    """The host's members accept or decline a confirmed proposal."""
    return (
        is_active_user(user)
        and proposal.placement is not None
        and role_in(user, proposal.placement.host) is not None
    )


def access_proposal_for_host(user: AnyUser, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(pk=proposal_id).select_related("placement__host", "participant").first()
    )
    if proposal is None or not can_decide_proposal(user, proposal):
        raise Http404("No such proposal.")
    return proposal


def can_contest_proposal(user: AnyUser, proposal: Proposal) -> bool:
    return can_edit_participant(user, proposal.participant)


def access_proposal_for_contest(user: AnyUser, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(pk=proposal_id).select_related("participant", "placement", "round").first()
    )
    if proposal is None or not can_contest_proposal(user, proposal):
        raise Http404("No such proposal.")
    return proposal


def can_answer_contest(user: AnyUser) -> bool:
    return can_manage_rounds(user)


def access_contest_for_answer(user: AnyUser, contest_id: int) -> Contest:
    contest = Contest.objects.filter(pk=contest_id).select_related("proposal__round").first()
    if contest is None or not can_answer_contest(user):
        raise Http404("No such contest.")
    return contest


# --- One person's placements (suggestions, single proposals, the lifecycle) ---------------------------
# The case workers of the organisation holding the person see and do everything; the host's members see
# the pseudonymous profile a host needs to decide (languages and levels, availability, support needs as
# requirements, the case worker's contact) and answer; any other organisation gets 404.


def can_propose_for(user: AnyUser, participant: Participant) -> bool:
    """Suggested placements and single proposals: those who may change the person's record."""
    return can_edit_participant(user, participant)


def is_host_of(user: AnyUser, assignment: Assignment) -> bool:
    return is_active_user(user) and role_in(user, assignment.placement.host) is not None


def can_answer_as_host(user: AnyUser, assignment: Assignment) -> bool:
    """Put on hold, accept or decline: the host's members."""
    return is_host_of(user, assignment)


def can_follow_assignment(user: AnyUser, assignment: Assignment) -> bool:
    """Start, attendance, end: the person's case workers and the host alike."""
    return can_propose_for(user, assignment.participant) or is_host_of(user, assignment)


def access_assignment(user: AnyUser, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(pk=assignment_id)
        .select_related("placement__host", "participant__organisation", "participant__key_worker")
        .first()
    )
    if assignment is None or not can_follow_assignment(user, assignment):
        raise Http404("No such placement.")
    return assignment


def host_organisations(user: AnyUser) -> list[int]:
    """The organisations whose decisions the user answers (every member of a host)."""
    return list(roles_of(user)) if is_active_user(user) else []

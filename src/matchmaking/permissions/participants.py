"""Rules for participants, skills, placements, allocation rounds, action plans, referrals and outcomes.

Who sees a participant (the pseudonymous record): the case workers and administrators of the
organisation that holds the case (its caseload), the current members of the person's follow-up group,
and network coordinators (who run allocation rounds). Who sees the identifying details: the key
worker, the holding organisation's case workers and administrators, and group members whose
"may see personal details" flag is set. Hosts see the proposals made to their placements
pseudonymously. A support service's own organisation sees and answers the referrals sent to it, by
pseudonym unless the referral's consent is to share with that organisation. Everything else is denied.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from matchmaking.organisations.models import Organisation, Role
from matchmaking.permissions.base import _active, is_coordinator, role_in, roles_of

CASELOAD_ROLES = frozenset({Role.CASE_WORKER, Role.ORG_ADMIN})
PERSONAL_ROLES = frozenset({Role.CASE_WORKER, Role.ORG_ADMIN, Role.COORDINATOR})

__all__ = [
    "CASELOAD_ROLES",
    "PERSONAL_ROLES",
    "access_participant",
    "access_participant_for_edit",
    "access_placement",
    "access_placement_for_edit",
    "access_proposal_for_host",
    "access_referral_for_service",
    "access_round",
    "access_round_for_reading",
    "can_answer_contest",
    "can_answer_referral",
    "can_contest_proposal",
    "can_create_participant",
    "can_decide_proposal",
    "can_edit_participant",
    "can_edit_placement",
    "can_erase_participant",
    "can_manage_directory",
    "can_manage_rounds",
    "can_publish_placement",
    "can_record_pathway",
    "can_see_participant",
    "can_see_personal_details",
    "can_see_referral_identity",
    "can_use_caseload",
    "group_member_of",
    "placement_hosts_for",
    "proposals_visible_in_round",
    "referrals_for_service",
    "visible_participants",
    "visible_rounds",
]


def can_use_caseload(user: Any) -> bool:
    """Roles with access to personal data (and so a second factor) use the caseload pages."""
    return _active(user) and any(role in PERSONAL_ROLES for role in roles_of(user).values())


def _caseload_org(user: Any, participant: Any) -> bool:
    return role_in(user, participant.organisation) in CASELOAD_ROLES


def group_member_of(user: Any, participant: Any) -> Any:
    """The user's current follow-up group membership for this participant, or None."""
    if not _active(user):
        return None
    today = timezone.localdate()
    return (
        participant.group.filter(user=user, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .first()
    )


def can_see_participant(user: Any, participant: Any) -> bool:
    if not can_use_caseload(user) or participant.status == "erased":
        return False
    return (
        _caseload_org(user, participant)
        or is_coordinator(user)
        or group_member_of(user, participant) is not None
    )


def can_see_personal_details(user: Any, participant: Any) -> bool:
    if not can_see_participant(user, participant):
        return False
    if participant.key_worker_id == user.pk or _caseload_org(user, participant):
        return True
    membership = group_member_of(user, participant)
    return bool(membership and membership.can_view_personal)


def can_edit_participant(user: Any, participant: Any) -> bool:
    """Change the profile, skills, consent and group: the holding organisation's case workers."""
    return can_see_participant(user, participant) and (
        participant.key_worker_id == user.pk or _caseload_org(user, participant)
    )


def can_record_pathway(user: Any, participant: Any) -> bool:
    """Steps, meetings, progress, referrals and outcomes: the caseload and the follow-up group."""
    if not can_see_participant(user, participant) or participant.status != "active":
        return False
    return can_edit_participant(user, participant) or group_member_of(user, participant) is not None


def can_erase_participant(user: Any, participant: Any) -> bool:
    return (
        can_see_participant(user, participant) and role_in(user, participant.organisation) == Role.ORG_ADMIN
    )


def can_create_participant(user: Any, organisation: Organisation) -> bool:
    return _active(user) and role_in(user, organisation) in CASELOAD_ROLES


def visible_participants(user: Any) -> QuerySet:
    """Every participant the user may see (pseudonymously), as a queryset."""
    from matchmaking.participants.models import Participant

    if not can_use_caseload(user):
        return Participant.objects.none()
    live = Participant.objects.exclude(status=Participant.Status.ERASED)
    if is_coordinator(user):
        return live
    orgs = [org for org, role in roles_of(user).items() if role in CASELOAD_ROLES]
    today = timezone.localdate()
    in_group = Q(group__user=user, group__started_on__lte=today) & (
        Q(group__ended_on__isnull=True) | Q(group__ended_on__gt=today)
    )
    return live.filter(Q(organisation_id__in=orgs) | Q(key_worker=user) | in_group).distinct()


def access_participant(user: Any, pseudonym: str) -> Any:
    from matchmaking.participants.models import Participant

    participant = Participant.objects.filter(pseudonym=pseudonym).select_related("organisation").first()
    if participant is None or not can_see_participant(user, participant):
        raise Http404("No such participant.")
    return participant


def access_participant_for_edit(user: Any, pseudonym: str) -> Any:
    participant = access_participant(user, pseudonym)
    if not can_edit_participant(user, participant):
        raise Http404("No such participant.")
    return participant


# --- Placements -------------------------------------------------------------------------------------


def placement_hosts_for(user: Any) -> list[int]:
    """Organisations on whose behalf the user may publish placements (any member of the host)."""
    if not _active(user):
        return []
    return list(roles_of(user))


def can_publish_placement(user: Any, organisation: Organisation) -> bool:
    return _active(user) and (role_in(user, organisation) is not None or is_coordinator(user))


def can_edit_placement(user: Any, placement: Any) -> bool:
    return can_publish_placement(user, placement.host)


def access_placement(user: Any, key: str) -> Any:
    """Every member of the network sees published placements (no personal data on them)."""
    from matchmaking.placements.models import Placement

    placement = Placement.objects.filter(key=key).select_related("host", "region").first()
    if placement is None or not (_active(user) and roles_of(user)):
        raise Http404("No such placement.")
    return placement


def access_placement_for_edit(user: Any, key: str) -> Any:
    placement = access_placement(user, key)
    if not can_edit_placement(user, placement):
        raise Http404("No such placement.")
    return placement


# --- Allocation rounds -------------------------------------------------------------------------------


def can_manage_rounds(user: Any) -> bool:
    return _active(user) and is_coordinator(user)


def access_round(user: Any, round_id: int) -> Any:
    from matchmaking.placements.models import Round

    found = Round.objects.filter(pk=round_id).first()
    if found is None or not can_manage_rounds(user):
        raise Http404("No such round.")
    return found


def visible_rounds(user: Any) -> QuerySet:
    """Rounds a user may read: every round for coordinators; for the organisations involved, the rounds
    with one of their placements (any member of the host) or one of their participants (caseload
    roles)."""
    from matchmaking.placements.models import Round

    if not _active(user):
        return Round.objects.none()
    if is_coordinator(user):
        return Round.objects.all()
    hosts = list(roles_of(user))
    caseload = [org for org, role in roles_of(user).items() if role in CASELOAD_ROLES]
    if not hosts:
        return Round.objects.none()
    involved = Round.objects.filter(
        Q(placements__host_id__in=hosts) | Q(participants__organisation_id__in=caseload)
    )
    return Round.objects.filter(pk__in=involved.values("pk"))


def access_round_for_reading(user: Any, round_id: int) -> Any:
    found = visible_rounds(user).filter(pk=round_id).first()
    if found is None:
        raise Http404("No such round.")
    return found


def proposals_visible_in_round(user: Any, allocation_round: Any) -> QuerySet:
    """Coordinators see every proposal; a host the ones for its placements once the round is confirmed
    (as on the placement page); a caseload those of its own participants."""
    from matchmaking.placements.models import Proposal

    found = Proposal.objects.filter(round=allocation_round)
    if not _active(user):
        return found.none()
    if is_coordinator(user):
        return found
    hosts = list(roles_of(user))
    caseload = [org for org, role in roles_of(user).items() if role in CASELOAD_ROLES]
    as_host = Q(placement__host_id__in=hosts) & ~Q(status__in=["proposed", "withdrawn"])
    return found.filter(as_host | Q(participant__organisation_id__in=caseload)).exclude(
        participant__status="erased"
    )


def can_decide_proposal(user: Any, proposal: Any) -> bool:
    """The host's members accept or decline a confirmed proposal."""
    return bool(
        _active(user) and proposal.placement_id and role_in(user, proposal.placement.host) is not None
    )


def access_proposal_for_host(user: Any, proposal_id: int) -> Any:
    from matchmaking.placements.models import Proposal

    proposal = (
        Proposal.objects.filter(pk=proposal_id).select_related("placement__host", "participant").first()
    )
    if proposal is None or not can_decide_proposal(user, proposal):
        raise Http404("No such proposal.")
    return proposal


def can_contest_proposal(user: Any, proposal: Any) -> bool:
    return can_edit_participant(user, proposal.participant)


def can_answer_contest(user: Any) -> bool:
    return can_manage_rounds(user)


def can_manage_directory(user: Any) -> bool:
    """Any case worker or administrator may add services to the shared directory."""
    return can_use_caseload(user)


# --- Referrals answered by the service -----------------------------------------------------------------


def _service_orgs(user: Any) -> list[int]:
    """Organisations whose support services this user answers for: case workers and administrators."""
    if not _active(user):
        return []
    return [org for org, role in roles_of(user).items() if role in CASELOAD_ROLES]


def referrals_for_service(user: Any) -> QuerySet:
    """Referrals sent to support services of the user's organisations (never of erased people)."""
    from matchmaking.pathways.models import Referral

    orgs = _service_orgs(user)
    if not orgs:
        return Referral.objects.none()
    return Referral.objects.filter(service__organisation_id__in=orgs).exclude(participant__status="erased")


def can_answer_referral(user: Any, referral: Any) -> bool:
    """The service's own organisation (a member) accepts, refuses with a reason, or completes it."""
    return bool(
        referral.service.organisation_id
        and referral.participant.status != "erased"
        and referral.service.organisation_id in _service_orgs(user)
    )


def can_see_referral_identity(user: Any, referral: Any) -> bool:
    """Only when the consent behind the referral allows sharing with that very organisation, and
    still stands; otherwise the service sees the pseudonym only."""
    consent = referral.consent
    return (
        can_answer_referral(user, referral)
        and consent.purpose == "sharing"
        and consent.organisation_id == referral.service.organisation_id
        and consent.revoked_on is None
    )


def access_referral_for_service(user: Any, referral_id: int) -> Any:
    from matchmaking.pathways.models import Referral

    referral = (
        Referral.objects.filter(pk=referral_id)
        .select_related("service__organisation", "participant__organisation", "consent", "sent_by")
        .first()
    )
    if referral is None or not can_answer_referral(user, referral):
        raise Http404("No such referral.")
    return referral

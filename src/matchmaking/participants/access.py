"""Who may see and change a participant.

Who sees a participant (the pseudonymous record): the case workers and administrators of the
organisation that holds the case (its caseload), the current members of the person's follow-up group,
and network coordinators (who run allocation rounds). Who sees the identifying details: the key
worker, the holding organisation's case workers and administrators, and group members whose
"may see personal details" flag is set. Everything else is denied; ``access_*`` answer 404 alike for
missing and forbidden.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from matchmaking.organisations.models import Organisation
from matchmaking.participants.models import FollowUpMember, Participant
from matchmaking.permissions.roles import (
    CASELOAD_ROLES,
    PERSONAL_ROLES,
    AnyUser,
    Role,
    caseload_organisations,
    is_active_user,
    is_coordinator,
    role_in,
    roles_of,
    signed_in,
)


def can_use_caseload(user: AnyUser) -> bool:
    """Roles with access to personal data (and so a second factor) use the caseload pages."""
    return is_active_user(user) and any(role in PERSONAL_ROLES for role in roles_of(user).values())


def _caseload_org(user: AnyUser, participant: Participant) -> bool:
    return role_in(user, participant.organisation) in CASELOAD_ROLES


def group_member_of(user: AnyUser, participant: Participant) -> FollowUpMember | None:
    """The user's current follow-up group membership for this participant, or None."""
    person = signed_in(user)
    if person is None:
        return None
    today = timezone.localdate()
    return (
        participant.group.filter(user=person, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .first()
    )


def can_see_participant(user: AnyUser, participant: Participant) -> bool:
    if not can_use_caseload(user) or participant.status == "erased":
        return False
    return (
        _caseload_org(user, participant)
        or is_coordinator(user)
        or group_member_of(user, participant) is not None
    )


def can_see_personal_details(user: AnyUser, participant: Participant) -> bool:
    if user is None or not can_see_participant(user, participant):
        return False
    if participant.key_worker_id == user.pk or _caseload_org(user, participant):
        return True
    membership = group_member_of(user, participant)
    return bool(membership and membership.can_view_personal)


def can_edit_participant(user: AnyUser, participant: Participant) -> bool:
    """Change the profile, skills, consent and group: the holding organisation's case workers."""
    return (
        user is not None
        and can_see_participant(user, participant)
        and (participant.key_worker_id == user.pk or _caseload_org(user, participant))
    )


def can_record_pathway(user: AnyUser, participant: Participant) -> bool:
    """Steps, meetings, progress, referrals and outcomes: the caseload and the follow-up group."""
    if not can_see_participant(user, participant) or participant.status != "active":
        return False
    return can_edit_participant(user, participant) or group_member_of(user, participant) is not None


def can_erase_participant(user: AnyUser, participant: Participant) -> bool:
    return (
        can_see_participant(user, participant) and role_in(user, participant.organisation) == Role.ORG_ADMIN
    )


def can_export_participant(user: AnyUser, participant: Participant) -> bool:
    """The full export holds the identity, the "fewer opportunities" barriers, case notes and the
    access log: special-category data. It goes to the organisation holding the case only (its case
    workers and administrators), never to follow-up group members of other organisations, whatever
    their personal-detail rights, and never to coordinators."""
    return _caseload_org(user, participant) and can_see_participant(user, participant)


def can_create_participant(user: AnyUser, organisation: Organisation) -> bool:
    return is_active_user(user) and role_in(user, organisation) in CASELOAD_ROLES


def visible_participants(user: AnyUser) -> QuerySet[Participant]:
    """Every participant the user may see (pseudonymously), as a queryset."""
    person = signed_in(user)
    if person is None or not can_use_caseload(person):
        return Participant.objects.none()
    live = Participant.objects.exclude(status=Participant.Status.ERASED)
    if is_coordinator(person):
        return live
    today = timezone.localdate()
    # The follow-up groups as a subquery, not a join: a join needs DISTINCT over the whole caseload.
    groups = FollowUpMember.objects.filter(user=person, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    return live.filter(
        Q(organisation_id__in=caseload_organisations(person))
        | Q(key_worker=person)
        | Q(pk__in=groups.values("participant_id"))
    )


def access_participant(user: AnyUser, pseudonym: str) -> Participant:
    participant = Participant.objects.filter(pseudonym=pseudonym).select_related("organisation").first()
    if participant is None or not can_see_participant(user, participant):
        raise Http404("No such participant.")
    return participant


def access_participant_for_edit(user: AnyUser, pseudonym: str) -> Participant:
    participant = access_participant(user, pseudonym)
    if not can_edit_participant(user, participant):
        raise Http404("No such participant.")
    return participant

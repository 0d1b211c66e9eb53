"""Who may see and change a participant: the one place that decides, for every page, endpoint and export.

Every view, API handler and export asks ``allowed(user, participant, surface)`` (or
``access_participant(user, pseudonym, surface)``, which answers 404 alike for missing and forbidden).
The rules, by the user's relation to the person:

* **Holding organisation** (its case workers and administrators, and the key worker): everything:
  the record, the identifying details, the plan and notes, changes, the export and the access log;
  erasure is for its administrators.
* **Follow-up group member from another organisation**: only while the person's sharing consent
  naming that organisation stands. Then the record and the plan, progress, referrals and outcome;
  the identifying details only with the group's "may see personal details" flag. Never changes to the
  record, the export, the access log or erasure. The moment the consent is revoked, nothing.
* **Follow-up group member from the holding organisation**: as a group member, without consent.
* **Network coordinator**: the pseudonymous matching profile (skills, languages, availability,
  support requirements) for allocation rounds and aggregates; never identity, notes, referrals,
  progress, consents or the group.
* **Anybody else** (other organisations, host staff): nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.organisations.models import Organisation
from matchmaking.participants.models import Consent, FollowUpMember, Participant
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


class Surface(StrEnum):
    """What of a person's data a page, endpoint or export shows or changes."""

    PROFILE = "profile"  # the pseudonymous matching profile: record page, API
    IDENTITY = "identity"  # name, date of birth, contact details
    PATHWAY = "pathway"  # plan, progress and notes, referrals, outcome, summary
    EDIT = "edit"  # change the profile, identity, languages, skills, consents, group, key worker
    ACCESS_LOG = "access-log"  # who looked at the person's data
    EXPORT = "export"  # the whole record as JSON
    ERASE = "erase"


# Relations of a user to a participant, strongest first.
HOLDER, MEMBER, COORDINATOR, NONE = "holder", "member", "coordinator", "none"

RULES: dict[str, frozenset[Surface]] = {
    HOLDER: frozenset(Surface) - {Surface.ERASE},  # erasure: administrators of the holder, below
    MEMBER: frozenset({Surface.PROFILE, Surface.PATHWAY}),  # identity: with the group's flag, below
    COORDINATOR: frozenset({Surface.PROFILE}),
    NONE: frozenset(),
}


def can_use_caseload(user: AnyUser) -> bool:
    """Roles with access to personal data (and so a second factor) use the caseload pages."""
    return is_active_user(user) and any(role in PERSONAL_ROLES for role in roles_of(user).values())


def _holds(user: AnyUser, participant: Participant) -> bool:
    person = signed_in(user)
    return person is not None and (
        role_in(person, participant.organisation) in CASELOAD_ROLES
        or (participant.key_worker_id is not None and participant.key_worker_id == person.pk)
    )


def sharing_consent_stands(participant: Participant, organisation_id: int) -> bool:
    """Whether the person's consent to share with this organisation is given and not revoked."""
    return participant.consents.filter(
        purpose=Consent.Purpose.SHARING, organisation_id=organisation_id, revoked_on__isnull=True
    ).exists()


def _current_memberships(person: User) -> QuerySet[FollowUpMember]:
    today = timezone.localdate()
    return FollowUpMember.objects.filter(user=person, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )


def _memberships_attribute(person: User) -> str:
    return f"_current_memberships_of_{person.pk}"


def memberships_prefetch(user: AnyUser) -> Prefetch[Any]:
    """For a list of people: the user's current group memberships of every person on it, read in one
    query; ``group_member_of`` then answers from them rather than asking once per person (50 queries
    for a page of the API). The attribute names the user, so another user's question is never
    answered from them."""
    person = signed_in(user)
    if person is None:
        return Prefetch("group", queryset=FollowUpMember.objects.none(), to_attr="_no_memberships")
    return Prefetch(
        "group",
        queryset=_current_memberships(person).order_by("started_on", "id"),
        to_attr=_memberships_attribute(person),
    )


def group_member_of(user: AnyUser, participant: Participant) -> FollowUpMember | None:
    """The user's current follow-up group membership for this participant, or None (any consent)."""
    person = signed_in(user)
    if person is None:
        return None
    prefetched = getattr(participant, _memberships_attribute(person), None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return _current_memberships(person).filter(participant=participant).order_by("started_on", "id").first()


def effective_membership(user: AnyUser, participant: Participant) -> FollowUpMember | None:
    """The membership when it gives access: from the holding organisation, or from another one while
    the person's sharing consent naming that organisation stands."""
    membership = group_member_of(user, participant)
    if membership is None:
        return None
    if membership.organisation_id == participant.organisation_id or sharing_consent_stands(
        participant, membership.organisation_id
    ):
        return membership
    return None


def relation(user: AnyUser, participant: Participant) -> str:
    if not can_use_caseload(user) or participant.status == Participant.Status.ERASED:
        return NONE
    if _holds(user, participant):
        return HOLDER
    if effective_membership(user, participant) is not None:
        return MEMBER
    if is_coordinator(user):
        return COORDINATOR
    return NONE


def allowed(user: AnyUser, participant: Participant, surface: Surface) -> bool:
    """The one decision: may this user reach this surface of this person's data?"""
    rel = relation(user, participant)
    if surface == Surface.ERASE:
        return rel == HOLDER and role_in(user, participant.organisation) == Role.ORG_ADMIN
    if surface == Surface.IDENTITY and rel == MEMBER:
        membership = effective_membership(user, participant)
        return bool(membership and membership.can_view_personal)
    return surface in RULES[rel]


def can_see_participant(user: AnyUser, participant: Participant) -> bool:
    return allowed(user, participant, Surface.PROFILE)


def can_see_personal_details(user: AnyUser, participant: Participant) -> bool:
    return allowed(user, participant, Surface.IDENTITY)


def can_see_pathway(user: AnyUser, participant: Participant) -> bool:
    return allowed(user, participant, Surface.PATHWAY)


def can_edit_participant(user: AnyUser, participant: Participant) -> bool:
    """Change the profile, skills, consent and group: the holding organisation's case workers."""
    return allowed(user, participant, Surface.EDIT)


def can_record_pathway(user: AnyUser, participant: Participant) -> bool:
    """Steps, meetings, progress, referrals and outcomes: the caseload and the follow-up group
    (members of other organisations while their sharing consent stands), for active people only."""
    return participant.status == Participant.Status.ACTIVE and allowed(user, participant, Surface.PATHWAY)


def can_erase_participant(user: AnyUser, participant: Participant) -> bool:
    return allowed(user, participant, Surface.ERASE)


def can_export_participant(user: AnyUser, participant: Participant) -> bool:
    """The full export holds the identity, the "fewer opportunities" barriers, case notes and the
    access log: special-category data. It goes to the organisation holding the case only."""
    return allowed(user, participant, Surface.EXPORT)


def can_see_access_log(user: AnyUser, participant: Participant) -> bool:
    return allowed(user, participant, Surface.ACCESS_LOG)


def can_create_participant(user: AnyUser, organisation: Organisation) -> bool:
    return is_active_user(user) and role_in(user, organisation) in CASELOAD_ROLES


def _groups_with_access(person: User) -> QuerySet[FollowUpMember]:
    """The user's current memberships that give access (same organisation, or consent standing)."""
    today = timezone.localdate()
    consent = Consent.objects.filter(
        participant_id=OuterRef("participant_id"),
        purpose=Consent.Purpose.SHARING,
        organisation_id=OuterRef("organisation_id"),
        revoked_on__isnull=True,
    )
    return (
        FollowUpMember.objects.filter(user=person, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .filter(Q(organisation_id=F("participant__organisation_id")) | Exists(consent))
    )


def caseload_participants(user: AnyUser) -> QuerySet[Participant]:
    """The people whose case the user works on: the holding organisations' caseloads, the people the
    user is key worker of, and the follow-up groups that give access. Never the whole network."""
    person = signed_in(user)
    if person is None or not can_use_caseload(person):
        return Participant.objects.none()
    live = Participant.objects.exclude(status=Participant.Status.ERASED)
    organisations = caseload_organisations(person)
    # The people of whom the user is key worker and those of the user's groups: few, each by its index.
    keyworker = Participant.objects.filter(key_worker=person).order_by().values("pk")
    groups = _groups_with_access(person).order_by().values("participant_id")
    others = keyworker.union(groups)
    if not organisations:
        return live.filter(pk__in=others)
    # The holders' people are tested on each row and the others come from a small set, so a page in the
    # list's order stops after its rows. A union of the holders' people made the database gather and
    # deduplicate all of them first: for a service holding 100,000 people, 960 against 7 ms on
    # PostgreSQL, and 416–498 against 177–186 ms for the page's queries on SQLite, the same from 1,000
    # to 50,000 (benchmarks/caseload.py, docs/benchmarks.md).
    return live.filter(Q(organisation_id__in=organisations) | Q(pk__in=others))


def caseload_exists(user: AnyUser) -> bool:
    """Whether the user works on anyone's case, asked of each source by its own index: as one OR, an
    empty caseload made PostgreSQL read every person of the network to find nobody (17 ms at 100,000)."""
    person = signed_in(user)
    if person is None or not can_use_caseload(person):
        return False
    live = Participant.objects.exclude(status=Participant.Status.ERASED)
    organisations = caseload_organisations(person)
    return (
        (bool(organisations) and live.filter(organisation_id__in=organisations).exists())
        # The key worker's people as a set of ids read from their own index, then checked: tested on each
        # row, SQLite's planner read the whole table when one key worker has most people.
        or live.filter(pk__in=Participant.objects.filter(key_worker=person).values("pk")).exists()
        or _groups_with_access(person).exclude(participant__status=Participant.Status.ERASED).exists()
    )


def visible_participants(user: AnyUser) -> QuerySet[Participant]:
    """Every participant whose pseudonymous profile the user may see: the caseload, and for network
    coordinators every live participant's matching profile (allocation rounds)."""
    person = signed_in(user)
    if person is None or not can_use_caseload(person):
        return Participant.objects.none()
    if is_coordinator(person):
        return Participant.objects.exclude(status=Participant.Status.ERASED)
    return caseload_participants(person)


def access_participant(user: AnyUser, pseudonym: str, surface: Surface = Surface.PROFILE) -> Participant:
    """The participant when the user may reach ``surface``; 404 alike for missing and forbidden."""
    participant = Participant.objects.filter(pseudonym=pseudonym).select_related("organisation").first()
    if participant is None or not allowed(user, participant, surface):
        raise Http404("No such participant.")
    return participant


def access_participant_for_edit(user: AnyUser, pseudonym: str) -> Participant:
    return access_participant(user, pseudonym, Surface.EDIT)

"""Read paths for organisations: every query is scoped to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from matchmaking.accounts.models import User
from matchmaking.core.models import AuditEvent
from matchmaking.organisations import search
from matchmaking.organisations.access import can_review_applications, can_view_audit
from matchmaking.organisations.models import Invitation, JoinApplication, Membership, Organisation
from matchmaking.permissions.roles import AnyUser, is_coordinator, is_member, roles_of
from matchmaking.taxonomies.code_lists import WithTerms, by_code, by_position


@dataclass(frozen=True)
class OrganisationFilters:
    query: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""


def organisation_list(*, user: AnyUser, filters: OrganisationFilters | None = None) -> QuerySet[Organisation]:
    """Member organisations the user may see, filtered by keyword and codes, with everything a list shows."""
    if not is_member(user):
        return Organisation.objects.none()
    qs = Organisation.objects.all()
    if not is_coordinator(user):
        qs = qs.filter(status=Organisation.Status.ACTIVE)
    f = filters or OrganisationFilters()
    if f.query:
        qs = qs.filter(search.matching(f.query))
    if f.country:
        qs = qs.filter(country=f.country)
    if f.region:
        qs = qs.filter(region__code=f.region)
    if f.kind:
        qs = qs.filter(kind__code=f.kind)
    # Code lists by subquery, so that no join repeats a row and the list needs no DISTINCT (it is read in
    # name order along the index on status and name, one page at a time).
    if f.topic:
        qs = qs.filter(
            Q(pk__in=_having(expertise__code=f.topic)) | Q(pk__in=_having(interests__code=f.topic))
        )
    if f.target_group:
        qs = qs.filter(pk__in=_having(target_groups__code=f.target_group))
    if f.language:
        qs = qs.filter(pk__in=_having(languages__code=f.language))
    return qs.select_related("kind", "region").order_by("name")


def organisation_pages(found: QuerySet[Organisation], *, profile: bool = False) -> WithTerms[Organisation]:
    """``found`` for a paginator: each page's organisations with what they can show and their languages
    (with ``profile``, their target groups and interests too), from the kept code lists."""
    relations = {"expertise": by_position, "languages": by_code}
    if profile:
        relations |= {"target_groups": by_position, "interests": by_position}
    return WithTerms(found, **relations)


def _having(**lookup: str) -> QuerySet[Organisation, Any]:
    return Organisation.objects.filter(**lookup).values("pk")


def organisation_countries(*, user: AnyUser) -> list[str]:
    """Countries that have at least one visible organisation, for the filter."""
    found = organisation_list(user=user).order_by().values_list("country", flat=True).distinct()
    return sorted(found)


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__email")


def organisation_open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at"
    )


def user_organisations(*, user: AnyUser) -> QuerySet[Organisation]:
    roles = roles_of(user)
    return Organisation.objects.filter(pk__in=roles.keys()).order_by("name")


def active_organisation(*, key: str) -> Organisation | None:
    """The active member organisation with ``key`` (``None`` for an unknown or suspended one)."""
    return Organisation.objects.filter(key=key, status=Organisation.Status.ACTIVE).first()


def application_list(*, user: AnyUser, status: str | None = None) -> QuerySet[JoinApplication]:
    if not can_review_applications(user):
        return JoinApplication.objects.none()
    qs = JoinApplication.objects.select_related("decided_by", "organisation")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token names (whether it can still be used is the service's question)."""
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def account_exists(*, email: str) -> bool:
    """Whether someone already has an account with this email address."""
    return User.objects.filter(email=email).exists()


def audit_events(*, user: AnyUser, organisation: Organisation) -> QuerySet[AuditEvent]:
    """The organisation's audit trail, newest first; empty for whoever may not read it."""
    if not can_view_audit(user, organisation):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation_id=organisation.pk)


# --- What an organisation's profile lists ----------------------------------------------------------

PROFILE_LIST_SIZE = 20
# The exchanges that went ahead (the codes of ``exchanges.models.State``; organisations sits below that
# layer and reads these lists through the reverse relations, importing none of the apps above it).
WENT_AHEAD = ("completed", "reported")


@dataclass(frozen=True)
class ProfileLists:
    offers: list[Any]
    requests: list[Any]
    past_exchanges: list[Any]
    stories: list[Any]
    can_contact: bool


def profile_lists(*, user: AnyUser, organisation: Organisation) -> ProfileLists:
    """Open offers and requests, the exchanges that went ahead (as host or visitor) and the published
    stories of ``organisation``: five queries whatever their length, at most ``PROFILE_LIST_SIZE`` each.
    Empty for anyone who is not a member of the network."""
    if not is_member(user):
        return ProfileLists([], [], [], [], can_contact=False)
    open_ones = (
        organisation.opportunities.filter(status="open").select_related("type").order_by("earliest", "key")
    )
    exchanges = (
        organisation.hosted_exchanges.model.objects.filter(
            Q(host=organisation) | Q(visitor=organisation), state__in=WENT_AHEAD
        )
        .select_related("host", "visitor", "type")
        .order_by("-start", "-pk")
    )
    stories = [
        e.story
        for e in exchanges.filter(story__status="published")
        .select_related("story")
        .order_by("-story__published_at", "-pk")[:PROFILE_LIST_SIZE]
    ]
    mine = set(roles_of(user))
    return ProfileLists(
        offers=list(open_ones.filter(direction="offer")[:PROFILE_LIST_SIZE]),
        requests=list(open_ones.exclude(direction="offer")[:PROFILE_LIST_SIZE]),
        past_exchanges=list(exchanges[:PROFILE_LIST_SIZE]),
        stories=stories,
        can_contact=organisation.status == Organisation.Status.ACTIVE and bool(mine - {organisation.pk}),
    )

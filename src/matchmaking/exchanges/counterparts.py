"""Which of our listings can answer theirs: "we want to visit" answers an offer with one of our requests,
"we want to host" answers a request with one of our offers, of the same kind of opportunity or a
neighbouring one (the engine's rule, ``engine.partner_rules.neighbouring_types``, reused here)."""

from __future__ import annotations

from django.db.models import QuerySet

from matchmaking.engine.partner_rules import neighbouring_types
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, roles_of
from matchmaking.taxonomies.models import Term

VISIT = "visit"
HOST = "host"
ROLES = (VISIT, HOST)


def role_answering(theirs: Opportunity) -> str:
    """The role that answers ``theirs``: an offer is visited, a request is hosted."""
    return VISIT if theirs.direction == Direction.OFFER else HOST


def direction_for(role: str) -> str:
    """The direction of our listing in ``role``: we visit with a request, we host with an offer."""
    return Direction.REQUEST if role == VISIT else Direction.OFFER


def types_compatible(ours: str, theirs: str) -> bool:
    """The same kind of opportunity, or a neighbouring one (job shadowing and study visit)."""
    return ours == theirs or neighbouring_types(ours, theirs)


def compatible_type_codes(type_code: str, codes: list[str]) -> list[str]:
    """Of ``codes``, those an opportunity of kind ``type_code`` can be paired with."""
    return [c for c in codes if types_compatible(c, type_code)]


def proposing_organisations(user: AnyUser, *, exclude: Organisation | None = None) -> list[Organisation]:
    """The active organisations the user may propose for (their memberships), ``exclude`` left out."""
    ids = [pk for pk in roles_of(user) if exclude is None or pk != exclude.pk]
    return list(Organisation.objects.filter(pk__in=ids, status=Organisation.Status.ACTIVE).order_by("name"))


def counterpart_listings(*, user: AnyUser, theirs: Opportunity, role: str) -> list[Opportunity]:
    """The user's open listings that can answer ``theirs`` in ``role``: right direction, compatible kind.
    The same kind first, then neighbouring kinds; another organisation's listing only."""
    organisations = [o.pk for o in proposing_organisations(user, exclude=theirs.organisation)]
    found: QuerySet[Opportunity] = Opportunity.objects.filter(
        organisation_id__in=organisations, status=Opportunity.Status.OPEN, direction=direction_for(role)
    ).select_related("type", "organisation")
    listings = [o for o in found if types_compatible(o.type.code, theirs.type.code)]
    return sorted(listings, key=lambda o: (o.type.code != theirs.type.code, o.organisation.name, o.pk))


def compatible_types(theirs: Opportunity) -> list[Term]:
    """The kinds a new listing answering ``theirs`` may have: theirs first, then its neighbours."""
    terms = [t for t in Term.objects.of("opportunity-types") if types_compatible(t.code, theirs.type.code)]
    return sorted(terms, key=lambda t: t.code != theirs.type.code)

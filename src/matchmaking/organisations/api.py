"""API endpoints for the caller and the organisations of the network."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from matchmaking.core.api_schemas import ErrorOut, Paging, Shown
from matchmaking.organisations import selectors
from matchmaking.organisations.access import access_organisation
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.services import organisation_profile
from matchmaking.permissions.roles import AuthenticatedHttpRequest, roles_of

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: str
    name: str
    kind: str
    country: str
    region: str | None
    city: str
    languages: list[str]
    target_groups: list[str]
    expertise: list[str]
    interests: list[str]
    hosting_capacity: int
    description: str
    website: str
    erasmus_id: str | None


class MeOut(Schema):
    email: str
    name: str
    memberships: dict[str, str]


class OrganisationQuery(Schema):
    q: str = ""
    country: str = ""
    kind: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""


def _out(organisation: Organisation) -> dict[str, object]:
    return {"id": organisation.key, **organisation_profile(organisation)}


@router.get("/me", response=MeOut)
def me(request: AuthenticatedHttpRequest) -> dict[str, object]:
    user = request.user
    memberships = {o.key: roles_of(user)[o.pk] for o in selectors.user_organisations(user=user)}
    return {"email": user.email, "name": user.name, "memberships": memberships}


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Paging)
def organisation_list(request: HttpRequest, filters: Query[OrganisationQuery]) -> Shown[Organisation]:
    qs = selectors.organisation_list(
        user=request.user,
        filters=selectors.OrganisationFilters(
            query=filters.q,
            country=filters.country,
            kind=filters.kind,
            topic=filters.topic,
            target_group=filters.target_group,
            language=filters.language,
        ),
    ).prefetch_related("target_groups", "interests")
    return Shown(qs, _out)


@router.get("/organisations/{key}", response={200: OrganisationOut, 404: ErrorOut})
def organisation_detail(request: HttpRequest, key: str) -> dict[str, object]:
    return _out(access_organisation(request.user, key))

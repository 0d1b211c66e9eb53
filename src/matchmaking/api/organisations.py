"""API endpoints for organisations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from matchmaking import permissions
from matchmaking.api.schemas import ErrorOut, MeOut, OrganisationOut
from matchmaking.organisations import selectors
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.services import organisation_profile

router = Router(tags=["organisations"])


class OrganisationQuery(Schema):
    q: str = ""
    country: str = ""
    kind: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""
    limit: int = 50
    offset: int = 0


def _out(organisation: Organisation) -> dict[str, object]:
    return {"id": organisation.key, **organisation_profile(organisation)}


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    memberships = {o.key: permissions.roles_of(user)[o.pk] for o in selectors.user_organisations(user=user)}
    return {"email": user.email, "name": user.name, "memberships": memberships}


@router.get("/organisations", response=list[OrganisationOut])
def organisation_list(request: HttpRequest, filters: Query[OrganisationQuery]) -> list[dict[str, object]]:
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
    limit = max(1, min(filters.limit, 200))
    offset = max(0, min(filters.offset, 1_000_000))
    return [_out(o) for o in qs[offset : offset + limit]]


@router.get("/organisations/{key}", response={200: OrganisationOut, 404: ErrorOut})
def organisation_detail(request: HttpRequest, key: str) -> dict[str, object]:
    return _out(permissions.access_organisation(request.user, key))

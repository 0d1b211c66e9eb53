"""API endpoints for the caller and the organisations of the network."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from matchmaking.core.api_schemas import (
    ErrorOut,
    FieldErrorsOut,
    Paging,
    Shown,
    clean_text,
    no_nul_characters,
)
from matchmaking.organisations import selectors
from matchmaking.organisations.access import access_organisation, access_organisation_for_edit
from matchmaking.organisations.forms import OrganisationProfileForm
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.services import organisation_profile, organisation_update
from matchmaking.permissions.roles import AuthenticatedHttpRequest, roles_of

router = Router(tags=["organisations"])

_LISTS = ("languages", "target_groups", "expertise", "interests")


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


def _codes() -> Any:  # pydantic's Field() is typed Any, so it fits any field's annotation
    return Field(None, max_length=200, description="Codes of the code list; replaces the stored list.")


class OrganisationPatch(Schema):
    """The fields given replace the stored ones (the same rules as the profile page); those left out
    stay as they are."""

    name: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=100, description="A code of the organisation-kinds list.")
    country: str | None = Field(None, max_length=2, description="ISO 3166 two-letter code.")
    region: str | None = Field(None, max_length=10, description="NUTS 2 code in the country; null for none.")
    city: str | None = Field(None, max_length=100)
    languages: list[str] | None = _codes()
    target_groups: list[str] | None = _codes()
    expertise: list[str] | None = _codes()
    interests: list[str] | None = _codes()
    hosting_capacity: int | None = Field(None, ge=0, le=1000)
    description: str | None = Field(None, max_length=20000)
    website: str | None = Field(None, max_length=200)
    erasmus_id: str | None = Field(None, max_length=9)
    erasmus_accreditation: str | None = Field(None, max_length=200)


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
    found = selectors.organisation_list(
        user=request.user,
        filters=selectors.OrganisationFilters(
            query=filters.q,
            country=filters.country,
            kind=filters.kind,
            topic=filters.topic,
            target_group=filters.target_group,
            language=filters.language,
        ),
    )
    return Shown(selectors.organisation_pages(found, profile=True), _out)


@router.get("/organisations/{key}", response={200: OrganisationOut, 404: ErrorOut})
def organisation_detail(request: HttpRequest, key: str) -> dict[str, object]:
    return _out(access_organisation(request.user, key))


@router.patch(
    "/organisations/{key}", response={200: OrganisationOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}
)
def organisation_edit(request: HttpRequest, key: str, payload: OrganisationPatch) -> dict[str, object]:
    """Change the profile: the organisation's administrators (and coordinators); anyone else gets a 404.
    The profile is checked whole, as on the profile page, and each refusal names its field."""
    organisation = access_organisation_for_edit(request.user, clean_text(key))
    changes = payload.dict(exclude_unset=True)
    no_nul_characters(changes)
    data = {**organisation_profile(organisation), **changes}
    data = {name: ([] if name in _LISTS else "") if value is None else value for name, value in data.items()}
    form = OrganisationProfileForm(data)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    organisation = organisation_update(actor=request.user, organisation=organisation, profile=form.profile())
    return _out(organisation)

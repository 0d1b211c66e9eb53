"""API endpoints for offers and requests and their partner suggestions.

The same permission module and selectors as the web pages; another organisation's object is a 404.
"""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from matchmaking.core.api_schemas import (
    ErrorOut,
    FieldErrorsOut,
    ListPaging,
    Paging,
    Shown,
    no_nul_characters,
)
from matchmaking.mobility import matching, selectors
from matchmaking.mobility import services as mobility_services
from matchmaking.mobility.access import (
    access_opportunity,
    access_opportunity_for_edit,
    can_post_opportunities,
)
from matchmaking.mobility.matching import reason_text
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.mobility.services import opportunity_full_data
from matchmaking.organisations.access import access_organisation

router = Router(tags=["mobility"])


class OpportunityOut(Schema):
    id: str
    organisation: str
    type: str
    direction: str
    topics: list[str]
    target_groups: list[str]
    languages: list[str]
    earliest: date | None
    latest: date | None
    duration_days: int
    group_size: int
    description: str
    funding: str
    activity_code: str
    support_offered: list[str]
    support_notes: str
    status: str


def _codes() -> Any:  # pydantic's Field() is typed Any, so it fits any field's annotation
    return Field(default_factory=list, max_length=60)


class OpportunityIn(Schema):
    """A new offer or request; ``status`` is ``open`` (published) or ``draft``."""

    organisation: str = Field(..., min_length=1, max_length=100)
    type: str = Field(..., min_length=1, max_length=60)
    direction: str = Field(..., min_length=1, max_length=10)
    topics: list[str] = _codes()
    target_groups: list[str] = _codes()
    languages: list[str] = _codes()
    earliest: date | None = None
    latest: date | None = None
    duration_days: int = Field(1, ge=1, le=366)
    group_size: int = Field(1, ge=1, le=500)
    description: str = Field("", max_length=20000)
    funding: str = Field("", max_length=20)
    activity_code: str = Field("", max_length=20)
    support_offered: list[str] = _codes()
    support_notes: str = Field("", max_length=5000)
    status: str = Field("open", max_length=10)


class OpportunityPatch(Schema):
    """Only the fields sent change; ``earliest`` and ``latest`` may be set to null."""

    type: str | None = Field(None, min_length=1, max_length=60)
    direction: str | None = Field(None, min_length=1, max_length=10)
    topics: list[str] | None = Field(None, max_length=60)
    target_groups: list[str] | None = Field(None, max_length=60)
    languages: list[str] | None = Field(None, max_length=60)
    earliest: date | None = None
    latest: date | None = None
    duration_days: int | None = Field(None, ge=1, le=366)
    group_size: int | None = Field(None, ge=1, le=500)
    description: str | None = Field(None, max_length=20000)
    funding: str | None = Field(None, max_length=20)
    activity_code: str | None = Field(None, max_length=20)
    support_offered: list[str] | None = Field(None, max_length=60)
    support_notes: str | None = Field(None, max_length=5000)


class StatusIn(Schema):
    status: str = Field(..., max_length=10, description="open, paused or closed (see the allowed changes)")
    reason: str = Field("", max_length=2000)


class OpportunityQuery(Schema):
    q: str = ""
    direction: str = ""
    type: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""
    country: str = ""
    funding: str = ""


class SuggestionOut(Schema):
    rank: int
    organisation: str
    opportunity: str | None
    score: float
    parts: list[dict[str, Any]]
    reasons: list[dict[str, Any]]


class NearMissOut(Schema):
    organisation: str
    opportunity: str
    score: float
    broken: dict[str, Any]
    reasons: list[dict[str, Any]]


def _opportunity(o: Opportunity) -> dict[str, Any]:
    return {"id": o.key, "organisation": o.organisation.key, **opportunity_full_data(o)}


def _suggestion(s: Suggestion) -> dict[str, Any]:
    return {
        "rank": s.rank,
        "organisation": s.organisation.key,
        "opportunity": s.their_opportunity.key if s.their_opportunity else None,
        "score": s.score,
        "parts": s.parts,
        # Stored as code, template and parameters; the text is shown in the request's language.
        "reasons": [{**r, "text": reason_text(r)} for r in s.reasons],
    }


@router.get("/opportunities", response=list[OpportunityOut])
@paginate(Paging)
def opportunity_list(request: HttpRequest, filters: Query[OpportunityQuery]) -> Shown[Opportunity]:
    f = selectors.OpportunityFilters.from_dict(filters.dict())
    found = selectors.opportunity_list(user=request.user, filters=f)
    return Shown(selectors.opportunity_pages(found, target_groups=True), _opportunity)


@router.get("/opportunities/{key}", response={200: OpportunityOut, 404: ErrorOut})
def opportunity_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    return _opportunity(access_opportunity(request.user, key))


@router.post("/opportunities", response={201: OpportunityOut, 404: ErrorOut, 422: FieldErrorsOut})
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Status[dict[str, Any]]:
    """Post an offer or a request for one of your organisations (another organisation: 404)."""
    data = payload.dict()
    organisation = access_organisation(request.user, data.pop("organisation"))
    if not can_post_opportunities(request.user, organisation):
        raise Http404
    no_nul_characters(data)
    opportunity = mobility_services.opportunity_create(
        actor=request.user, organisation=organisation, data=data
    )
    return Status(201, _opportunity(opportunity))


@router.patch("/opportunities/{key}", response={200: OpportunityOut, 404: ErrorOut, 422: FieldErrorsOut})
def opportunity_update(request: HttpRequest, key: str, payload: OpportunityPatch) -> dict[str, Any]:
    """Change an offer or request of your organisation: only the fields sent."""
    opportunity = access_opportunity_for_edit(request.user, key)
    nullable = ("earliest", "latest")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    no_nul_characters(data)
    opportunity = mobility_services.opportunity_update(actor=request.user, opportunity=opportunity, data=data)
    return _opportunity(opportunity)


@router.post(
    "/opportunities/{key}/status",
    response={200: OpportunityOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def opportunity_status(request: HttpRequest, key: str, payload: StatusIn) -> dict[str, Any]:
    """Publish, pause, close or reopen; a change that is not allowed now is a 409 with the reason."""
    opportunity = access_opportunity_for_edit(request.user, key)
    no_nul_characters({"reason": payload.reason})
    opportunity = mobility_services.opportunity_set_status(
        actor=request.user, opportunity=opportunity, status=payload.status, reason=payload.reason
    )
    return _opportunity(opportunity)


@router.get("/opportunities/{key}/suggestions", response={200: list[SuggestionOut], 404: ErrorOut})
@paginate(ListPaging)
def opportunity_suggestions(request: HttpRequest, key: str) -> Shown[Suggestion]:
    opportunity = access_opportunity_for_edit(request.user, key)
    return Shown(selectors.suggestion_list(opportunity=opportunity), _suggestion)


@router.get("/opportunities/{key}/near-misses", response={200: list[NearMissOut], 404: ErrorOut})
def opportunity_near_misses(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    """Partners that break exactly one rule the two sides could change (dates, a shared language, the
    group size), each with that rule (``broken``) and the reasons it would otherwise fit.

    As on the suggestions page, they are looked for only when fewer than three partner suggestions pass
    the rules; otherwise the list is empty. Texts are in the request's language.
    """
    opportunity = access_opportunity_for_edit(request.user, key)
    partners = selectors.suggestion_list(opportunity=opportunity).filter(their_opportunity__isnull=False)
    if partners.count() >= matching.NEAR_MISS_WHEN_FEWER:
        return []
    return [
        {
            "organisation": miss.organisation.key,
            "opportunity": miss.their_opportunity.key,
            "score": miss.score,
            "broken": {**miss.broken, "text": reason_text(miss.broken)},
            "reasons": [{**r, "text": reason_text(r)} for r in miss.reasons],
        }
        for miss in matching.near_misses_for(opportunity)
    ]

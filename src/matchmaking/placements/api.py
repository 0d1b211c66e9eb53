"""API endpoints for placements, allocation rounds and their proposals.

The same permission package and services as the web pages: another organisation's object is a 404,
bad input a 422 that names the fields. Proposals name participants by pseudonym only.
"""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from matchmaking.core.api_schemas import (
    MAX_ID,
    ErrorOut,
    FieldErrorsOut,
    ListPaging,
    Paging,
    Shown,
    clean_text,
    no_nul_characters,
)
from matchmaking.organisations import selectors as organisation_selectors
from matchmaking.participants import esco_lookup
from matchmaking.participants.api import LanguageLevel, SkillRef
from matchmaking.participants.models import SupportRequirement
from matchmaking.permissions.roles import AnyUser, AuthenticatedHttpRequest, roles_of
from matchmaking.placements import selectors
from matchmaking.placements import services as placement_services
from matchmaking.placements.access import (
    access_placement,
    access_placement_for_edit,
    access_round_for_reading,
    can_manage_rounds,
    can_publish_placement,
    proposals_visible_in_round,
    visible_rounds,
)
from matchmaking.placements.models import Placement, Proposal, Round
from matchmaking.taxonomies import selectors as taxonomy_selectors
from matchmaking.taxonomies.reason_text import render_reason

router = Router(tags=["placements"])


# --- Schemas ---------------------------------------------------------------------------------------


class PlacementOut(Schema):
    key: str
    host: str
    title: str
    occupation_uri: str
    occupation_label: str
    description: str
    seats: int
    seats_taken: int
    start: date | None
    end: date | None
    country: str
    region: str | None
    city: str
    support_offered: list[str]
    labour_market: str
    kind: str
    scheme: str
    status: str
    esco_version: str
    required_skills: list[SkillRef]
    desired_skills: list[SkillRef]
    languages: list[LanguageLevel]


def _codes() -> Any:
    return Field(default_factory=list, max_length=60)


class PlacementIn(Schema):
    """A new placement for ``host`` (an organisation you belong to). Skills are ESCO URIs; labels are
    filled in from ESCO when left out."""

    host: str = Field(..., min_length=1, max_length=100)
    title: str = Field(..., min_length=1, max_length=200)
    occupation_uri: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    seats: int = Field(1, ge=1, le=1000)
    start: date | None = None
    end: date | None = None
    country: str = Field(..., min_length=2, max_length=2)
    region: str = Field("", max_length=10)
    city: str = Field("", max_length=100)
    support_offered: list[str] = _codes()
    labour_market: str = Field("regular", max_length=20)
    kind: str = Field(
        "traineeship", max_length=20, description="traineeship, job, training, apprenticeship, work-trial"
    )
    scheme: str = Field("", max_length=20, description="'' (national or own funding), esf, erasmus-vet")
    status: str = Field("open", max_length=10)
    required_skills: list[SkillRef] = _codes()
    desired_skills: list[SkillRef] = _codes()
    languages: list[LanguageLevel] = Field(default_factory=list, max_length=20)


class PlacementPatch(Schema):
    """Only the fields sent change; ``start``, ``end`` and ``region`` may be set to null."""

    title: str | None = Field(None, min_length=1, max_length=200)
    occupation_uri: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    seats: int | None = Field(None, ge=1, le=1000)
    start: date | None = None
    end: date | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    region: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=100)
    support_offered: list[str] | None = Field(None, max_length=60)
    labour_market: str | None = Field(None, max_length=20)
    kind: str | None = Field(None, max_length=20)
    scheme: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=10)
    required_skills: list[SkillRef] | None = Field(None, max_length=60)
    desired_skills: list[SkillRef] | None = Field(None, max_length=60)
    languages: list[LanguageLevel] | None = Field(None, max_length=20)


class PlacementQuery(Schema):
    q: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    labour_market: str = Field("", max_length=20)
    host: str = Field("", max_length=100)
    status: str = Field("", max_length=10)


class Reason(Schema):
    code: str
    text: str


class ProposalOut(Schema):
    id: int
    participant: str  # the pseudonym
    placement: str | None
    host: str | None
    status: str
    score: float | None
    choice: int | None
    reasons: list[Reason]
    skill_gap: list[SkillRef]
    overridden: bool
    override_reason: str
    decline_reason: str
    decline_note: str
    hold_until: datetime | None = Field(
        None, description="A freed seat offered to the person is held for the host's answer until then."
    )


class RoundOut(Schema):
    id: int
    name: str
    method: str
    floor: int
    min_fit: int = Field(description="Nobody is proposed for a placement they fit less than this (0–100).")
    status: str
    created_at: datetime
    proposed_at: datetime | None
    confirmed_at: datetime | None
    progress_done: int
    progress_total: int
    failure: str = Field(description="Why the round failed, in the request's language; empty otherwise.")
    summary: dict[str, Any]
    fairness: dict[str, Any] | None


class RoundQuery(Schema):
    status: str = Field("", max_length=10)


# --- Helpers ---------------------------------------------------------------------------------------


def _placement(p: Placement, taken: int | None = None) -> dict[str, Any]:
    skills = list(p.skills.all())
    return {
        "key": p.key, "host": p.host.key, "title": p.title, "occupation_uri": p.occupation_uri,
        "occupation_label": p.occupation_label, "description": p.description, "seats": p.seats,
        "seats_taken": placement_services.seats_taken(p) if taken is None else taken,
        "start": p.start, "end": p.end, "country": p.country,
        "region": p.region.code if p.region else None, "city": p.city,
        "support_offered": list(p.support_offered), "labour_market": p.labour_market,
        "kind": p.kind, "scheme": p.scheme, "status": p.status,
        "esco_version": p.esco_version,
        "required_skills": [{"uri": s.uri, "label": s.label} for s in skills if s.required],
        "desired_skills": [{"uri": s.uri, "label": s.label} for s in skills if not s.required],
        "languages": [{"code": lang.code, "level": lang.level} for lang in p.languages.all()],
    }  # fmt: skip


def _placement_data(payload: dict[str, Any]) -> dict[str, Any]:
    """The API's input as the service's data: ESCO labels filled in, region checked."""
    data = dict(payload)
    no_nul_characters(data)
    for side in ("required_skills", "desired_skills"):
        if data.get(side) is not None:
            data[side] = [
                {"uri": s["uri"], "label": s.get("label") or esco_lookup.skill_label(s["uri"])}
                for s in data[side]
            ]
            no_nul_characters({side: [s["uri"] + s["label"] for s in data[side]]})
    if data.get("occupation_uri"):
        data["occupation_label"] = esco_lookup.occupation_label(data["occupation_uri"])
    elif "occupation_uri" in data:
        data["occupation_label"] = ""
    if data.get("languages") is not None:
        data["languages"] = [
            {"code": x["code"].lower(), "level": x["level"].upper()} for x in data["languages"]
        ]
    if data.get("country"):
        data["country"] = data["country"].upper()
    region = data.get("region")
    if region and not taxonomy_selectors.is_region_code(region):
        raise ValidationError({"region": _("Not a NUTS 2024 level-2 region code: %s") % region})
    return data


SUPPORT_LABELS = dict(SupportRequirement.choices)


def _reason(reason: dict[str, Any]) -> str:
    """A stored reason in the request's language (support needs named as the participant's form does)."""
    return render_reason(reason, labels=SUPPORT_LABELS)


def _proposal(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk, "participant": p.participant.pseudonym,
        "placement": p.placement.key if p.placement else None,
        "host": p.placement.host.key if p.placement else None, "status": p.status, "score": p.score,
        "choice": p.choice,
        "reasons": [{"code": str(r.get("code", "")), "text": _reason(r)} for r in p.reasons],
        "skill_gap": [{"uri": g.get("uri", ""), "label": g.get("label", "")} for g in p.skill_gap],
        "overridden": p.overridden, "override_reason": p.override_reason,
        "decline_reason": p.decline_reason, "decline_note": p.decline_note, "hold_until": p.hold_until,
    }  # fmt: skip


def _round(found: Round, user: AnyUser) -> dict[str, Any]:
    return {
        "id": found.pk, "name": found.name, "method": found.method, "floor": found.floor,
        "min_fit": found.min_fit,
        "status": found.status, "created_at": found.created_at, "proposed_at": found.proposed_at,
        "confirmed_at": found.confirmed_at, "progress_done": found.progress_done,
        "progress_total": found.progress_total, "summary": found.summary,
        # The engine's own error text is for the coordinators; the worker-lost reason is for everyone.
        "failure": found.failure_text or (found.error if can_manage_rounds(user) else ""),
        # The fairness report compares groups of the whole round: for the coordinators who run it.
        "fairness": found.fairness if can_manage_rounds(user) else None,
    }  # fmt: skip


def _access_round(request: AuthenticatedHttpRequest, round_id: int) -> Round:
    if not 0 < round_id < MAX_ID:
        raise Http404
    return access_round_for_reading(request.user, round_id)


# --- Placements ------------------------------------------------------------------------------------


@router.get("/placements", response={200: list[PlacementOut], 404: ErrorOut})
@paginate(Paging)
def placement_list(request: AuthenticatedHttpRequest, filters: Query[PlacementQuery]) -> Shown:
    """Published placements, for members of the network."""
    if not roles_of(request.user):
        raise Http404
    found = selectors.placement_list(
        query=clean_text(filters.q),
        country=clean_text(filters.country.upper()),
        labour_market=clean_text(filters.labour_market),
        host=clean_text(filters.host),
        status=clean_text(filters.status),
    )
    return Shown(found, lambda p: _placement(p, p.taken))


@router.get("/placements/{key}", response={200: PlacementOut, 404: ErrorOut})
def placement_detail(request: AuthenticatedHttpRequest, key: str) -> dict[str, Any]:
    return _placement(access_placement(request.user, clean_text(key)))


@router.post("/placements", response={201: PlacementOut, 404: ErrorOut, 422: FieldErrorsOut})
def placement_create(request: AuthenticatedHttpRequest, payload: PlacementIn) -> Status[dict[str, Any]]:
    """Publish a placement for one of your organisations (another organisation: 404)."""
    data = payload.dict()
    host = organisation_selectors.active_organisation(key=clean_text(data.pop("host")))
    if host is None or not can_publish_placement(request.user, host):
        raise Http404
    data = _placement_data(data)
    region = data.pop("region") or None
    placement = placement_services.placement_save(actor=request.user, host=host, data=data, region=region)
    return Status(201, _placement(placement))


@router.patch("/placements/{key}", response={200: PlacementOut, 404: ErrorOut, 422: FieldErrorsOut})
def placement_update(request: AuthenticatedHttpRequest, key: str, payload: PlacementPatch) -> dict[str, Any]:
    """Change a placement of your organisation: only the fields sent (``region: null`` clears it)."""
    placement = access_placement_for_edit(request.user, clean_text(key))
    nullable = ("start", "end", "region")
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    current = _placement(placement)
    data = {f: current[f] for f in placement_services.FIELDS if f in current}
    if "required_skills" in sent or "desired_skills" in sent:
        data["required_skills"] = current["required_skills"]
        data["desired_skills"] = current["desired_skills"]
    data.update(sent)
    data = _placement_data(data)
    region = data.pop("region", None) if "region" in sent else None
    placement = placement_services.placement_save(
        actor=request.user,
        host=placement.host,
        data=data,
        placement=placement,
        region=region,
        clear_region="region" in sent and sent["region"] is None,
    )
    return _placement(placement)


# --- Allocation rounds -----------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut])
@paginate(Paging)
def round_list(request: AuthenticatedHttpRequest, filters: Query[RoundQuery]) -> Shown:
    """Rounds you coordinate, or that involve your placements or your participants."""
    found = visible_rounds(request.user)
    if filters.status in Round.Status.values:
        found = found.filter(status=filters.status)
    return Shown(found.order_by("-created_at", "-id"), lambda r: _round(r, request.user))


@router.get("/rounds/{round_id}", response={200: RoundOut, 404: ErrorOut})
def round_detail(request: AuthenticatedHttpRequest, round_id: int) -> dict[str, Any]:
    return _round(_access_round(request, round_id), request.user)


@router.get("/rounds/{round_id}/proposals", response={200: list[ProposalOut], 404: ErrorOut})
@paginate(ListPaging)
def round_proposals(request: AuthenticatedHttpRequest, round_id: int) -> Shown:
    """The proposals you may see, with reasons and skill gaps, by pseudonym: every one for the
    coordinator; a host's own once the round is confirmed; a caseload's own participants'."""
    found = _access_round(request, round_id)
    proposals = proposals_visible_in_round(request.user, found).select_related(
        "participant", "placement__host"
    )
    return Shown(proposals.order_by("participant__pseudonym", "pk"), _proposal)

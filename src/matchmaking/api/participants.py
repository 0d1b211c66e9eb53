"""API endpoints for placements, allocation rounds and (pseudonymous) participants.

The same permission package and services as the web pages: another organisation's object is a 404,
bad input a 422 that names the fields. Participants are shown by pseudonym only, to users with
caseload access; the identifying details are never exposed here, and every read of a participant is
written to the access log, as on the web.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from matchmaking import permissions
from matchmaking.api.errors import MAX_ID, FieldErrorsOut, field_errors, no_nul_characters
from matchmaking.api.schemas import ErrorOut
from matchmaking.organisations.models import Organisation
from matchmaking.participants import esco_lookup, selectors
from matchmaking.participants.models import Participant
from matchmaking.placements import services as placement_services
from matchmaking.placements.models import Placement, Round
from matchmaking.placements.selectors import with_seats_taken
from matchmaking.taxonomies.models import Region

router = Router(tags=["participants and placements"])


# --- Schemas ---------------------------------------------------------------------------------------


class SkillRef(Schema):
    uri: str = Field(..., min_length=1, max_length=200)
    label: str = Field("", max_length=300)


class LanguageLevel(Schema):
    code: str = Field(..., pattern=r"^[a-zA-Z]{2,3}$")
    level: str = Field(..., pattern=r"^[a-cA-C][12]$")


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
    limit: int = 50
    offset: int = 0


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


class RoundOut(Schema):
    id: int
    name: str
    method: str
    floor: int
    status: str
    created_at: datetime
    proposed_at: datetime | None
    confirmed_at: datetime | None
    progress_done: int
    progress_total: int
    summary: dict[str, Any]
    fairness: dict[str, Any] | None


class RoundQuery(Schema):
    status: str = Field("", max_length=10)
    limit: int = 50
    offset: int = 0


class ParticipantSkillOut(Schema):
    uri: str
    label: str
    how: str
    source: str
    validated: bool
    evidence: str
    esco_version: str


class ClockOut(Schema):
    started_on: date
    due_on: date
    days: int
    young: bool
    stopped_on: date | None
    overdue: bool


class ParticipantOut(Schema):
    """The pseudonymous record; the identifying details are never part of the API."""

    pseudonym: str
    organisation: str
    status: str
    registered_on: date
    clock: ClockOut | None
    home_country: str
    region: str | None
    available_from: date | None
    available_until: date | None
    willing_to_go_abroad: bool
    support_requirements: list[str]
    occupation_interests: list[SkillRef]
    fewer_opportunities: bool
    languages: list[LanguageLevel]
    skills: list[ParticipantSkillOut]


class ParticipantQuery(Schema):
    q: str = Field("", max_length=60)
    status: str = Field("active", max_length=10)
    limit: int = 50
    offset: int = 0


# --- Helpers ---------------------------------------------------------------------------------------


def _page(limit: int, offset: int) -> slice:
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 1_000_000))
    return slice(offset, offset + limit)


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def _placement(p: Placement, taken: int | None = None) -> dict[str, Any]:
    skills = list(p.skills.all())
    return {
        "key": p.key, "host": p.host.key, "title": p.title, "occupation_uri": p.occupation_uri,
        "occupation_label": p.occupation_label, "description": p.description, "seats": p.seats,
        "seats_taken": placement_services.seats_taken(p) if taken is None else taken,
        "start": p.start, "end": p.end, "country": p.country,
        "region": p.region.code if p.region_id else None, "city": p.city,
        "support_offered": list(p.support_offered), "labour_market": p.labour_market, "status": p.status,
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
    if region and not Region.objects.filter(code=region).exists():
        raise ValidationError({"region": _("Not a NUTS 2024 level-2 region code: %s") % region})
    return data


def _proposal(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk, "participant": p.participant.pseudonym,
        "placement": p.placement.key if p.placement_id else None,
        "host": p.placement.host.key if p.placement_id else None, "status": p.status, "score": p.score,
        "choice": p.choice,
        "reasons": [{"code": str(r.get("code", "")), "text": str(r.get("text", ""))} for r in p.reasons],
        "skill_gap": [{"uri": g.get("uri", ""), "label": g.get("label", "")} for g in p.skill_gap],
        "overridden": p.overridden, "override_reason": p.override_reason,
        "decline_reason": p.decline_reason, "decline_note": p.decline_note,
    }  # fmt: skip


def _round(found: Round, user: Any) -> dict[str, Any]:
    return {
        "id": found.pk, "name": found.name, "method": found.method, "floor": found.floor,
        "status": found.status, "created_at": found.created_at, "proposed_at": found.proposed_at,
        "confirmed_at": found.confirmed_at, "progress_done": found.progress_done,
        "progress_total": found.progress_total, "summary": found.summary,
        # The fairness report compares groups of the whole round: for the coordinators who run it.
        "fairness": found.fairness if permissions.can_manage_rounds(user) else None,
    }  # fmt: skip


def _participant(p: Participant, clock: Any) -> dict[str, Any]:
    return {
        "pseudonym": p.pseudonym, "organisation": p.organisation.key, "status": p.status,
        "registered_on": p.registered_on,
        "clock": None if clock is None else {
            "started_on": clock.started_on, "due_on": clock.due_on, "days": clock.days,
            "young": clock.young, "stopped_on": clock.stopped_on, "overdue": clock.overdue,
        },
        "home_country": p.home_country, "region": p.region.code if p.region_id else None,
        "available_from": p.available_from, "available_until": p.available_until,
        "willing_to_go_abroad": p.willing_to_go_abroad,
        "support_requirements": list(p.support_requirements),
        "occupation_interests": [
            {"uri": o.get("uri", ""), "label": o.get("label", "")} for o in p.occupation_interests
        ],
        "fewer_opportunities": p.fewer_opportunities,
        "languages": [{"code": lang.code, "level": lang.level} for lang in p.languages.all()],
        "skills": [
            {"uri": s.uri, "label": s.label, "how": s.how, "source": s.source, "validated": s.validated,
             "evidence": s.evidence, "esco_version": s.esco_version}
            for s in p.skills.all()
        ],
    }  # fmt: skip


def _read_participant(request: HttpRequest, participant: Participant) -> dict[str, Any]:
    """Every read of a participant through the API is logged, like a look at the record page."""
    selectors.participant_profile_read(user=request.user, participant=participant, path=request.path)
    first_offer_on = getattr(participant, "first_offer_on", "unset")  # annotated on the caseload
    clock = selectors.participant_clock(participant, timezone.localdate(), first_offer_on=first_offer_on)
    return _participant(participant, clock)


def _require_caseload(user: Any) -> None:
    if not permissions.can_use_caseload(user):
        raise Http404


# --- Placements ------------------------------------------------------------------------------------


@router.get("/placements", response={200: list[PlacementOut], 404: ErrorOut})
def placement_list(request: HttpRequest, filters: Query[PlacementQuery]) -> Any:
    """Published placements, for members of the network."""
    if not permissions.roles_of(request.user):
        raise Http404
    found = with_seats_taken(Placement.objects.select_related("host", "region")).prefetch_related(
        "skills", "languages"
    )
    q = _clean(filters.q)
    if q:
        found = found.filter(
            Q(title__icontains=q) | Q(occupation_label__icontains=q) | Q(host__name__icontains=q)
        )
    for field, value in (
        ("country", filters.country.upper()),
        ("labour_market", filters.labour_market),
        ("host__key", filters.host),
        ("status", filters.status),
    ):
        if _clean(value):
            found = found.filter(**{field: _clean(value)})
    found = found.order_by("status", "start", "title", "pk")
    return [_placement(p, p.taken) for p in found[_page(filters.limit, filters.offset)]]


@router.get("/placements/{key}", response={200: PlacementOut, 404: ErrorOut})
def placement_detail(request: HttpRequest, key: str) -> Any:
    return _placement(permissions.access_placement(request.user, _clean(key)))


@router.post("/placements", response={201: PlacementOut, 404: ErrorOut, 422: FieldErrorsOut})
def placement_create(request: HttpRequest, payload: PlacementIn) -> Any:
    """Publish a placement for one of your organisations (another organisation: 404)."""
    data = payload.dict()
    host = Organisation.objects.filter(
        key=_clean(data.pop("host")), status=Organisation.Status.ACTIVE
    ).first()
    if host is None or not permissions.can_publish_placement(request.user, host):
        raise Http404
    try:
        data = _placement_data(data)
        region = data.pop("region") or None
        placement = placement_services.placement_save(actor=request.user, host=host, data=data, region=region)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return field_errors(exc)
    return 201, _placement(placement)


@router.patch("/placements/{key}", response={200: PlacementOut, 404: ErrorOut, 422: FieldErrorsOut})
def placement_update(request: HttpRequest, key: str, payload: PlacementPatch) -> Any:
    """Change a placement of your organisation: only the fields sent."""
    placement = permissions.access_placement_for_edit(request.user, _clean(key))
    nullable = ("start", "end", "region")
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    current = _placement(placement)
    data = {f: current[f] for f in placement_services.FIELDS if f in current}
    if "required_skills" in sent or "desired_skills" in sent:
        data["required_skills"] = current["required_skills"]
        data["desired_skills"] = current["desired_skills"]
    data.update(sent)
    try:
        data = _placement_data(data)
        region = data.pop("region", None) if "region" in sent else None
        placement = placement_services.placement_save(
            actor=request.user, host=placement.host, data=data, placement=placement, region=region
        )
        if "region" in sent and sent["region"] is None:
            placement.region = None
            placement.save(update_fields=["region"])
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return field_errors(exc)
    return 200, _placement(placement)


# --- Allocation rounds -----------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut])
def round_list(request: HttpRequest, filters: Query[RoundQuery]) -> list[dict[str, Any]]:
    """Rounds you coordinate, or that involve your placements or your participants."""
    found = permissions.visible_rounds(request.user)
    if filters.status in Round.Status.values:
        found = found.filter(status=filters.status)
    return [
        _round(r, request.user)
        for r in found.order_by("-created_at", "-id")[_page(filters.limit, filters.offset)]
    ]


def _access_round(request: HttpRequest, round_id: int) -> Round:
    if not 0 < round_id < MAX_ID:
        raise Http404
    return permissions.access_round_for_reading(request.user, round_id)


@router.get("/rounds/{round_id}", response={200: RoundOut, 404: ErrorOut})
def round_detail(request: HttpRequest, round_id: int) -> Any:
    return _round(_access_round(request, round_id), request.user)


@router.get("/rounds/{round_id}/proposals", response={200: list[ProposalOut], 404: ErrorOut})
def round_proposals(request: HttpRequest, round_id: int) -> Any:
    """The proposals you may see, with reasons and skill gaps, by pseudonym: every one for the
    coordinator; a host's own once the round is confirmed; a caseload's own participants'."""
    found = _access_round(request, round_id)
    proposals = permissions.proposals_visible_in_round(request.user, found).select_related(
        "participant", "placement__host"
    )
    return [_proposal(p) for p in proposals.order_by("participant__pseudonym")]


# --- Participants ----------------------------------------------------------------------------------


@router.get("/participants", response={200: list[ParticipantOut], 404: ErrorOut})
def participant_list(request: HttpRequest, filters: Query[ParticipantQuery]) -> Any:
    """Your caseload, pseudonymous (case workers, organisation administrators, coordinators)."""
    _require_caseload(request.user)
    status = filters.status if filters.status in Participant.Status.values else ""
    found = selectors.caseload(
        user=request.user, filters=selectors.CaseloadFilters(query=_clean(filters.q), status=status)
    ).prefetch_related("skills", "languages")
    return [
        _read_participant(request, p)
        for p in found.select_related("region")[_page(filters.limit, filters.offset)]
    ]


@router.get("/participants/{pseudonym}", response={200: ParticipantOut, 404: ErrorOut})
def participant_detail(request: HttpRequest, pseudonym: str) -> Any:
    _require_caseload(request.user)
    participant = permissions.access_participant(request.user, _clean(pseudonym)[:12])
    return _read_participant(request, participant)

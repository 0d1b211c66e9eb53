"""API endpoints for (pseudonymous) participants.

Participants are shown by pseudonym only, to users with caseload access; the identifying details are
never exposed here, and every read of a participant is written to the access log, as on the web.
"""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from matchmaking.core.api_schemas import ErrorOut, Paging, Shown, clean_text
from matchmaking.participants import selectors
from matchmaking.participants.access import (
    Surface,
    access_participant,
    allowed,
    can_use_caseload,
    memberships_prefetch,
)
from matchmaking.participants.clock import Clock
from matchmaking.participants.models import Participant
from matchmaking.permissions.roles import AnyUser, AuthenticatedHttpRequest

router = Router(tags=["participants"])


class SkillRef(Schema):
    uri: str = Field(..., min_length=1, max_length=200)
    label: str = Field("", max_length=300)


class LanguageLevel(Schema):
    code: str = Field(..., pattern=r"^[a-zA-Z]{2,3}$")
    level: str = Field(..., pattern=r"^[a-cA-C][12]$")


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
    gender: str | None = Field(
        None,
        description="Self-declared (woman, man, non-binary; empty: not stated); for monitoring and fairness "
        "only, never used in matching. Only for users who may see the person's identifying details.",
    )
    languages: list[LanguageLevel]
    skills: list[ParticipantSkillOut]


class ParticipantQuery(Schema):
    q: str = Field("", max_length=60)
    status: str = Field("active", max_length=10)


def _participant(p: Participant, clock: Clock | None, *, gender: bool = False) -> dict[str, Any]:
    return {
        "pseudonym": p.pseudonym, "organisation": p.organisation.key, "status": p.status,
        "registered_on": p.registered_on,
        "clock": None if clock is None else {
            "started_on": clock.started_on, "due_on": clock.due_on, "days": clock.days,
            "young": clock.young, "stopped_on": clock.stopped_on, "overdue": clock.overdue,
        },
        "home_country": p.home_country, "region": p.region.code if p.region else None,
        "available_from": p.available_from, "available_until": p.available_until,
        "willing_to_go_abroad": p.willing_to_go_abroad,
        "support_requirements": list(p.support_requirements),
        "occupation_interests": [
            {"uri": o.get("uri", ""), "label": o.get("label", "")} for o in p.occupation_interests
        ],
        "fewer_opportunities": p.fewer_opportunities,
        "gender": p.gender if gender else None,
        "languages": [{"code": lang.code, "level": lang.level} for lang in p.languages.all()],
        "skills": [
            {"uri": s.uri, "label": s.label, "how": s.how, "source": s.source, "validated": s.validated,
             "evidence": s.evidence, "esco_version": s.esco_version}
            for s in p.skills.all()
        ],
    }  # fmt: skip


def _read_participant(request: AuthenticatedHttpRequest, participant: Participant) -> dict[str, Any]:
    """Every read of a participant through the API is logged, like a look at the record page."""
    selectors.participant_profile_read(user=request.user, participant=participant, path=request.path)
    # Annotated on the caseload; a participant read on its own has the first offer looked up.
    first_offer_on: date | selectors.Unset | None = getattr(participant, "first_offer_on", "unset")
    clock = selectors.participant_clock(participant, timezone.localdate(), first_offer_on=first_offer_on)
    return _participant(participant, clock, gender=allowed(request.user, participant, Surface.IDENTITY))


def _require_caseload(user: AnyUser) -> None:
    if not can_use_caseload(user):
        raise Http404


@router.get("/participants", response={200: list[ParticipantOut], 404: ErrorOut})
@paginate(Paging)
def participant_list(request: AuthenticatedHttpRequest, filters: Query[ParticipantQuery]) -> Shown:
    """Your caseload, pseudonymous; for network coordinators, every matching profile of the network."""
    _require_caseload(request.user)
    status = filters.status if filters.status in Participant.Status.values else ""
    found = selectors.caseload(
        user=request.user,
        filters=selectors.CaseloadFilters(query=clean_text(filters.q), status=status),
        network=True,
    ).prefetch_related("skills", "languages", memberships_prefetch(request.user))
    # Only the participants on the page sent are read, so only they are logged.
    return Shown(found.select_related("region"), lambda p: _read_participant(request, p))


@router.get("/participants/{pseudonym}", response={200: ParticipantOut, 404: ErrorOut})
def participant_detail(request: AuthenticatedHttpRequest, pseudonym: str) -> dict[str, Any]:
    _require_caseload(request.user)
    participant = access_participant(request.user, clean_text(pseudonym)[:12], Surface.PROFILE)
    return _read_participant(request, participant)

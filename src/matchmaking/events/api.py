"""API endpoints for matchmaking events: the list and one event, its participants, a delegation's
suggestions, requests and agenda, making and answering requests, the event's state, computing the
schedule, the slots a delegate blocks, and the network's figures. Forbidden and missing answer 404 alike."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from matchmaking.core.api_schemas import (
    MAX_ID,
    ErrorOut,
    FieldErrorsOut,
    ListPaging,
    Paging,
    Shown,
    no_nul_characters,
)
from matchmaking.events import (
    selectors,
    services,
    services_delegates,
    services_registration,
    services_schedule,
)
from matchmaking.events.access import (
    access_delegate_for_action,
    access_event,
    access_event_for_management,
    access_registration,
    access_registration_for_action,
    can_act_for_registration,
    can_manage_event,
)
from matchmaking.events.models import Delegate, Event, Meeting, MeetingRequest, Registration, Slot
from matchmaking.permissions.roles import is_coordinator

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    title: str
    organiser: str
    start: date
    end: date
    time_zone: str
    place: str
    online_link: str
    slot_minutes: int
    break_minutes: int
    state: str
    schedule_status: str
    schedule_published: bool


class RegistrationOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    country: str
    delegates: list[str]
    languages: list[str]
    offer_text: str
    seek_text: str
    newcomer: bool


class SuggestionOut(Schema):
    registration: int
    organisation: str
    score: float
    reasons: list[str]
    request_status: str | None


class RequestOut(Schema):
    id: int
    requester: int
    recipient: int
    priority: str
    recipient_priority: str
    status: str
    message: str


class RequestIn(Schema):
    recipient: int = Field(..., gt=0, lt=MAX_ID)
    priority: str = Field(..., max_length=12, description="must, would-like or no-thanks")
    message: str = Field("", max_length=2000)


class AnswerIn(Schema):
    accept: bool
    priority: str = Field("", max_length=12, description="must or would-like when accepting")


class StateIn(Schema):
    state: str = Field(..., max_length=20)


class AgendaItemOut(Schema):
    meeting: int
    starts_at: datetime | None
    ends_at: datetime | None
    table: str | None
    accessible: bool
    language: str | None
    with_organisation: str
    with_delegates: list[str]


class SlotOut(Schema):
    id: int
    index: int
    starts_at: datetime
    ends_at: datetime


class BlockedSlotsOut(Schema):
    delegate: int
    name: str
    slots: list[SlotOut]


class BlockedSlotsIn(Schema):
    slots: list[int] = Field(default_factory=list, max_length=500, description="Ids of the slots blocked")


class FiguresOut(Schema):
    events: int
    registrations: int
    meetings_scheduled: int
    meetings_held: int
    proposals_from_meetings: int


def _event(e: Event) -> dict[str, Any]:
    return {
        "id": e.pk,
        "title": e.title,
        "organiser": e.organiser.key,
        "start": e.start,
        "end": e.end,
        "time_zone": e.time_zone,
        "place": e.place,
        "online_link": e.online_link,
        "slot_minutes": e.slot_minutes,
        "break_minutes": e.break_minutes,
        "state": e.state,
        "schedule_status": e.schedule_status,
        "schedule_published": e.is_published,
    }


def _registration(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "organisation": r.organisation.key,
        "organisation_name": r.organisation.name,
        "country": r.organisation.country,
        "delegates": [d.name for d in r.delegates.all()],
        "languages": [t.code for t in r.languages.all()],
        "offer_text": r.offer_text,
        "seek_text": r.seek_text,
        "newcomer": r.newcomer,
    }


def _request(q: MeetingRequest) -> dict[str, Any]:
    return {
        "id": q.pk,
        "requester": q.requester_id,
        "recipient": q.recipient_id,
        "priority": q.priority,
        "recipient_priority": q.recipient_priority,
        "status": q.status,
        "message": q.message,
    }


def _event_for(request: HttpRequest, event_id: int) -> Event:
    if not 0 < event_id < MAX_ID:
        raise Http404
    return access_event(request.user, event_id)


def _registration_for(
    request: HttpRequest, event: Event, registration_id: int, *, act: bool = False
) -> Registration:
    if not 0 < registration_id < MAX_ID:
        raise Http404
    if act:
        return access_registration_for_action(request.user, event, registration_id)
    return access_registration(request.user, event, registration_id)


@router.get("/events", response=list[EventOut])
@paginate(Paging)
def event_list(request: HttpRequest, state: str = "") -> Shown[Event]:
    return Shown(selectors.event_list(user=request.user, state=state[:20]), _event)


@router.get("/events/figures", response={200: FiguresOut, 404: ErrorOut})
def event_figures(request: HttpRequest, start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Events held, registrations, meetings held and exchange proposals made from meetings (coordinators)."""
    if not is_coordinator(request.user):
        raise Http404
    return selectors.event_figures(start=start, end=end).__dict__


@router.get("/events/{event_id}", response={200: EventOut, 404: ErrorOut})
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _event(_event_for(request, event_id))


@router.post(
    "/events/{event_id}/state", response={200: EventOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}
)
def event_state(request: HttpRequest, event_id: int, payload: StateIn) -> dict[str, Any]:
    event = _event_for(request, event_id)
    event = access_event_for_management(request.user, event.pk)
    return _event(services.event_transition(actor=request.user, event=event, target=payload.state))


@router.post(
    "/events/{event_id}/schedule", response={202: EventOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}
)
def schedule_compute(request: HttpRequest, event_id: int) -> Status[dict[str, Any]]:
    """Queue the computation of the schedule; poll the event's ``schedule_status``."""
    event = access_event_for_management(request.user, _event_for(request, event_id).pk)
    return Status(202, _event(services_schedule.schedule_request(actor=request.user, event=event)))


@router.get("/events/{event_id}/participants", response={200: list[RegistrationOut], 404: ErrorOut})
@paginate(ListPaging)
def event_participant_list(
    request: HttpRequest, event_id: int, country: str = "", kind: str = "", language: str = "", q: str = ""
) -> Shown[Registration]:
    event = _event_for(request, event_id)
    found = selectors.participant_list(
        event=event, country=country[:2], kind=kind[:100], language=language[:20], q=q[:200]
    )
    return Shown(found, _registration)


@router.get(
    "/events/{event_id}/registrations/{registration_id}/suggestions",
    response={200: list[SuggestionOut], 404: ErrorOut},
)
def suggestion_list(request: HttpRequest, event_id: int, registration_id: int) -> list[dict[str, Any]]:
    """Other delegations ranked by fit in both directions, with "why you should meet" reasons."""
    registration = _registration_for(request, _event_for(request, event_id), registration_id)
    return [
        {
            "registration": f.registration.pk,
            "organisation": f.registration.organisation.key,
            "score": f.score,
            "reasons": f.reason_texts,
            "request_status": f.request.status if f.request else None,
        }
        for f in selectors.suggested_meetings(registration=registration)
    ]


@router.get(
    "/events/{event_id}/registrations/{registration_id}/requests",
    response={200: list[RequestOut], 404: ErrorOut},
)
def request_list(request: HttpRequest, event_id: int, registration_id: int) -> list[dict[str, Any]]:
    registration = _registration_for(request, _event_for(request, event_id), registration_id)
    sent, received = selectors.requests_of(registration=registration)
    return [_request(q) for q in [*sent, *received]]


@router.post(
    "/events/{event_id}/registrations/{registration_id}/requests",
    response={201: RequestOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def request_create(
    request: HttpRequest, event_id: int, registration_id: int, payload: RequestIn
) -> Status[dict[str, Any]]:
    event = _event_for(request, event_id)
    registration = _registration_for(request, event, registration_id, act=True)
    data = payload.dict()
    no_nul_characters(data)
    recipient = Registration.objects.filter(pk=payload.recipient, event=event).first()
    if recipient is None:
        raise Http404
    fit = selectors.fit_between(registration=registration, other=recipient)
    found = services_registration.request_create(
        actor=request.user,
        requester=registration,
        recipient=recipient,
        priority=payload.priority,
        message=payload.message,
        reasons=fit.reasons if fit else [],
        score=fit.score if fit else None,
    )
    return Status(201, _request(found))


@router.post(
    "/events/{event_id}/requests/{request_id}/answer",
    response={200: RequestOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def request_answer(request: HttpRequest, event_id: int, request_id: int, payload: AnswerIn) -> dict[str, Any]:
    event = _event_for(request, event_id)
    found = (
        MeetingRequest.objects.select_related("recipient", "requester")
        .filter(pk=request_id, event=event)
        .first()
        if 0 < request_id < MAX_ID
        else None
    )
    if found is None or not can_act_for_registration(request.user, found.recipient):
        raise Http404
    answered = services_registration.request_answer(
        actor=request.user, request=found, accept=payload.accept, priority=payload.priority
    )
    return _request(answered)


@router.get(
    "/events/{event_id}/registrations/{registration_id}/agenda",
    response={200: list[AgendaItemOut], 404: ErrorOut},
)
def agenda(request: HttpRequest, event_id: int, registration_id: int) -> list[dict[str, Any]]:
    """The delegation's meetings (empty until the schedule is published, except for the organiser)."""
    event = _event_for(request, event_id)
    registration = _registration_for(request, event, registration_id)
    if not event.is_published and not can_manage_event(request.user, event):
        return []
    return [_agenda_item(m, registration) for m in selectors.agenda(registration=registration)]


def _agenda_item(m: Meeting, registration: Registration) -> dict[str, Any]:
    other = m.other(registration.pk)
    return {
        "meeting": m.pk,
        "starts_at": m.slot.starts_at if m.slot else None,
        "ends_at": m.slot.ends_at if m.slot else None,
        "table": m.table.name if m.table else None,
        "accessible": bool(m.table and m.table.accessible),
        "language": m.language.code if m.language else None,
        "with_organisation": other.organisation.key,
        "with_delegates": [d.name for d in other.delegates.all()],
    }


def _blocked(delegate: Delegate) -> dict[str, Any]:
    return {
        "delegate": delegate.pk,
        "name": delegate.name,
        "slots": [
            {"id": s.pk, "index": s.index, "starts_at": s.starts_at, "ends_at": s.ends_at}
            for s in delegate.blocked_slots.order_by("index")
        ],
    }


def _delegate_for(request: HttpRequest, event_id: int, registration_id: int, delegate_id: int) -> Delegate:
    event = _event_for(request, event_id)
    if not (0 < registration_id < MAX_ID and 0 < delegate_id < MAX_ID):
        raise Http404
    return access_delegate_for_action(request.user, event, registration_id, delegate_id)


@router.get(
    "/events/{event_id}/registrations/{registration_id}/delegates/{delegate_id}/blocked-slots",
    response={200: BlockedSlotsOut, 404: ErrorOut},
)
def delegate_blocked_slots(
    request: HttpRequest, event_id: int, registration_id: int, delegate_id: int
) -> dict[str, Any]:
    """The slots in which this delegate cannot meet (the delegation is not scheduled in them)."""
    return _blocked(_delegate_for(request, event_id, registration_id, delegate_id))


@router.put(
    "/events/{event_id}/registrations/{registration_id}/delegates/{delegate_id}/blocked-slots",
    response={200: BlockedSlotsOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def delegate_blocked_slots_set(
    request: HttpRequest, event_id: int, registration_id: int, delegate_id: int, payload: BlockedSlotsIn
) -> dict[str, Any]:
    """Replace the slots this delegate blocks; an empty list unblocks them all."""
    delegate = _delegate_for(request, event_id, registration_id, delegate_id)
    wanted = {i for i in payload.slots if 0 < i < MAX_ID}
    slots = list(Slot.objects.filter(pk__in=wanted, event_id=delegate.registration.event_id))
    if len(slots) != len(set(payload.slots)):
        raise Http404
    services_delegates.delegate_blocked_slots_set(actor=request.user, delegate=delegate, slots=slots)
    return _blocked(delegate)

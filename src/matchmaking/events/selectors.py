"""Reads of events: lists, the participant list with filters, suggested meetings with their reasons,
requests, agendas, the organiser's grid, and the figures monitoring reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from matchmaking.engine.reasons import Reason
from matchmaking.events.access import visible_events
from matchmaking.events.models import (
    Delegate,
    Event,
    EventState,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Registration,
    Slot,
    Table,
)
from matchmaking.mobility.matching import reason_text
from matchmaking.mobility.models import Suggestion
from matchmaking.permissions.roles import AnyUser

# Brella: those who leave requests unanswered are suggested less.
UNANSWERED_PENALTY = 5.0


def event_list(*, user: AnyUser, state: str = "") -> QuerySet[Event]:
    events = visible_events(user).select_related("organiser")
    if state in EventState.values:
        events = events.filter(state=state)
    return events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    ).order_by("-start", "pk")


def participant_list(
    *, event: Event, country: str = "", kind: str = "", language: str = "", q: str = ""
) -> QuerySet[Registration]:
    """Registered delegations with what they need on the list (a fixed number of queries)."""
    found = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
    if country:
        found = found.filter(organisation__country=country.upper())
    if kind:
        found = found.filter(organisation__kind__code=kind)
    if language:
        found = found.filter(languages__code=language)
    if q.strip():
        text = q.strip()
        found = found.filter(
            Q(organisation__name__icontains=text)
            | Q(offer_text__icontains=text)
            | Q(seek_text__icontains=text)
        )
    return (
        found.distinct()
        .select_related("organisation__kind", "organisation__region")
        .prefetch_related(
            "languages", "listings__type", Prefetch("delegates", queryset=Delegate.objects.order_by("name"))
        )
        .order_by("organisation__name", "pk")
    )


# --- Why you should meet ---------------------------------------------------------------------------


@dataclass
class Fit:
    registration: Registration
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)
    request: MeetingRequest | None = None  # ours to them, or theirs to us
    incoming: bool = False

    @property
    def reason_texts(self) -> list[str]:
        return [reason_text(r) for r in self.reasons]


def _profile_reasons(ours: Registration, theirs: Registration) -> tuple[float, list[Reason]]:
    """Both directions of the profiles: what they can show that we want to learn, and back."""
    a, b = ours.organisation, theirs.organisation
    reasons: list[Reason] = []
    give = sorted({t.code for t in b.expertise.all()} & {t.code for t in a.interests.all()})
    take = sorted({t.code for t in a.expertise.all()} & {t.code for t in b.interests.all()})
    if give:
        reasons.append(
            Reason.of(
                "event-they-show", "They can show {topics}, which you want to learn", topics=tuple(give)
            )
        )
    if take:
        reasons.append(
            Reason.of("event-you-show", "You can show {topics}, which they want to learn", topics=tuple(take))
        )
    shared = sorted({t.code for t in ours.languages.all()} & {t.code for t in theirs.languages.all()})
    if shared:
        reasons.append(Reason.of("event-languages", "You can meet in {languages}", languages=tuple(shared)))
    return 10.0 * (len(give) + len(take)) + (5.0 if shared else 0.0), reasons


def _said(reason: dict[str, Any]) -> str:
    """What a reason says, whatever the language it is read in: the same reason stored from both
    organisations' suggestions is shown once."""
    return repr((reason.get("code"), reason.get("template"), sorted((reason.get("params") or {}).items())))


def suggested_meetings(*, registration: Registration, limit: int = 20) -> list[Fit]:
    """Other delegations ranked by the partner engine's fit in both directions, with reasons.

    The partner engine's stored suggestions (between our listings and them, and theirs and us) give
    the score and most reasons; the two profiles add what each side can show the other.
    """
    event = registration.event
    others = list(
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .exclude(pk=registration.pk)
        .select_related("organisation")
        .prefetch_related("languages", "organisation__expertise", "organisation__interests")
    )
    ours = (
        Registration.objects.filter(pk=registration.pk)
        .select_related("organisation")
        .prefetch_related("languages", "organisation__expertise", "organisation__interests")
        .get()
    )
    org_ids = [r.organisation_id for r in others]
    stored: dict[int, tuple[float, list[dict[str, Any]]]] = {}
    for s in Suggestion.objects.filter(
        Q(opportunity__organisation_id=ours.organisation_id, organisation_id__in=org_ids)
        | Q(opportunity__organisation_id__in=org_ids, organisation_id=ours.organisation_id)
    ).values("opportunity__organisation_id", "organisation_id", "score", "reasons"):
        other_org = (
            s["organisation_id"]
            if s["opportunity__organisation_id"] == ours.organisation_id
            else s["opportunity__organisation_id"]
        )
        score, reasons = stored.get(other_org, (0.0, []))
        known = {_said(r) for r in reasons}
        stored[other_org] = (
            max(score, s["score"]),
            reasons + [r for r in s["reasons"] if _said(r) not in known],
        )
    requests = {
        (r.requester_id, r.recipient_id): r
        for r in MeetingRequest.objects.filter(Q(requester=ours) | Q(recipient=ours)).exclude(
            status=MeetingRequest.Status.CANCELLED
        )
    }
    unanswered = dict(
        MeetingRequest.objects.filter(
            event=event, status=MeetingRequest.Status.PENDING, reminded_at__isnull=False
        )
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
    )
    fits = []
    for other in others:
        score, reasons = stored.get(other.organisation_id, (0.0, []))
        extra, own = _profile_reasons(ours, other)
        known = {_said(r) for r in reasons}
        reasons = reasons + [r.as_dict() for r in own if _said(r.as_dict()) not in known]
        mine = requests.get((ours.pk, other.pk))
        theirs = requests.get((other.pk, ours.pk))
        fits.append(
            Fit(
                registration=other,
                score=round(score + extra - UNANSWERED_PENALTY * unanswered.get(other.pk, 0), 1),
                reasons=reasons[:4],
                request=mine or theirs,
                incoming=mine is None and theirs is not None,
            )
        )
    fits.sort(key=lambda f: (-f.score, f.registration.organisation.name))
    return fits[:limit]


def fit_between(*, registration: Registration, other: Registration) -> Fit | None:
    return next(
        (
            f
            for f in suggested_meetings(registration=registration, limit=1000)
            if f.registration.pk == other.pk
        ),
        None,
    )


# --- Requests, agendas, grid ---------------------------------------------------------------------


def requests_of(*, registration: Registration) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(sent, received) requests of a delegation, "no thanks" left out of the received."""
    base = MeetingRequest.objects.select_related("requester__organisation", "recipient__organisation")
    sent = list(base.filter(requester=registration).exclude(status=MeetingRequest.Status.DISMISSED))
    received = list(base.filter(recipient=registration).exclude(status=MeetingRequest.Status.DISMISSED))
    for found in received:
        found.reason_texts = [reason_text(r) for r in found.reasons]  # type: ignore[attr-defined]
    return sent, received


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "slot__session",
        "table",
        "language",
        "first__organisation",
        "second__organisation",
        "request",
        "exchange",
    ).prefetch_related("first__delegates", "second__delegates", "feedback")


def agenda(*, registration: Registration, include_unplaced: bool = False) -> list[Meeting]:
    """The delegation's meetings in time order (every delegate attends each one)."""
    found = _meetings().filter(
        Q(first=registration) | Q(second=registration), request__status=MeetingRequest.Status.ACCEPTED
    )
    if not include_unplaced:
        found = found.filter(slot__isnull=False)
    return sorted(found, key=lambda m: (m.slot.index if m.slot else 10**6, m.pk))


@dataclass
class Grid:
    slots: list[Slot]
    tables: list[Table]
    cells: dict[tuple[int, int], Meeting]
    unplaced: list[Meeting]

    def rows(self) -> list[tuple[Slot, list[Meeting | None]]]:
        return [(s, [self.cells.get((s.pk, t.pk)) for t in self.tables]) for s in self.slots]


def schedule_grid(*, event: Event) -> Grid:
    """The organiser's grid of slots × tables, and the accepted meetings not placed."""
    meetings = list(_meetings().filter(event=event, request__status=MeetingRequest.Status.ACCEPTED))
    return Grid(
        slots=list(Slot.objects.filter(event=event).select_related("session").order_by("index")),
        tables=list(Table.objects.filter(event=event).order_by("position", "pk")),
        cells={(m.slot_id, m.table_id): m for m in meetings if m.slot_id and m.table_id},
        unplaced=[m for m in meetings if not m.slot_id],
    )


def registration_names(*, event: Event) -> dict[int, str]:
    return dict(Registration.objects.filter(event=event).values_list("pk", "organisation__name"))


def meeting_names(*, event: Event) -> dict[int, str]:
    return {
        pk: f"{a} – {b}"
        for pk, a, b in Meeting.objects.filter(event=event).values_list(
            "pk", "first__organisation__name", "second__organisation__name"
        )
    }


def feedback_of(*, meeting: Meeting, registration: Registration) -> MeetingFeedback | None:
    return MeetingFeedback.objects.filter(meeting=meeting, registration=registration).first()


# --- Figures for monitoring -----------------------------------------------------------------------


@dataclass(frozen=True)
class EventFigures:
    events: int
    registrations: int
    meetings_scheduled: int
    meetings_held: int
    proposals_from_meetings: int


def event_figures(*, start: date | None = None, end: date | None = None) -> EventFigures:
    """Network-wide figures of events held in [start, end] (counts only, no personal data)."""
    events = Event.objects.filter(state__in=[EventState.HELD, EventState.CLOSED])
    if start is not None:
        events = events.filter(end__gte=start)
    if end is not None:
        events = events.filter(start__lte=end)
    meetings = Meeting.objects.filter(event__in=events, request__status=MeetingRequest.Status.ACCEPTED)
    return EventFigures(
        events=events.count(),
        registrations=Registration.objects.filter(
            event__in=events, status=Registration.Status.REGISTERED
        ).count(),
        meetings_scheduled=meetings.filter(slot__isnull=False).count(),
        meetings_held=meetings.filter(held=True).count(),
        proposals_from_meetings=meetings.filter(exchange__isnull=False).count(),
    )

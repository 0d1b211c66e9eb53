"""Factories and helpers for matchmaking events."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from matchmaking.events.models import (
    Delegate,
    Event,
    EventSession,
    EventState,
    Meeting,
    MeetingRequest,
    Priority,
    Registration,
    Table,
)
from matchmaking.events.services import rebuild_slots
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term


def event(
    organiser: Organisation,
    *,
    state: str = EventState.DRAFT,
    start: date | None = None,
    days: int = 1,
    sessions: tuple[tuple[str, time, time], ...] = (
        ("Morning", time(9), time(12)),
        ("Afternoon", time(13), time(15)),
    ),
    tables: int = 3,
    accessible_tables: int = 1,
    slot_minutes: int = 20,
    break_minutes: int = 10,
    title: str = "Matchmaking day",
    **kwargs,
) -> Event:
    """An event with its sessions (on the first day), slots and tables."""
    start = start or timezone.localdate() + timedelta(days=30)
    found = Event.objects.create(
        organiser=organiser,
        title=title,
        start=start,
        end=start + timedelta(days=days - 1),
        time_zone=kwargs.pop("time_zone", "Europe/Stockholm"),
        place=kwargs.pop("place", "Borås city hall"),
        slot_minutes=slot_minutes,
        break_minutes=break_minutes,
        state=state,
        **kwargs,
    )
    for name, starts_at, ends_at in sessions:
        EventSession.objects.create(event=found, name=name, day=start, starts_at=starts_at, ends_at=ends_at)
    rebuild_slots(found)
    for i in range(tables):
        Table.objects.create(
            event=found, name=f"Table {i + 1}", capacity=6, accessible=i < accessible_tables, position=i
        )
    return found


def register(
    found: Event,
    organisation: Organisation,
    *,
    delegates: tuple[str, ...] = ("Delegate One",),
    languages: tuple[str, ...] = ("en",),
    newcomer: bool = False,
    needs_accessible: bool = False,
    **kwargs,
) -> Registration:
    registration = Registration.objects.create(
        event=found,
        organisation=organisation,
        newcomer=newcomer,
        offer_text=kwargs.pop("offer_text", "Early outreach to young people"),
        seek_text=kwargs.pop("seek_text", "Employer partnerships"),
        **kwargs,
    )
    registration.languages.set(Term.objects.filter(scheme="languages", code__in=languages))
    for i, name in enumerate(delegates):
        Delegate.objects.create(
            registration=registration,
            name=name,
            email=f"{name.lower().replace(' ', '.')}@example.org",
            needs_accessible=needs_accessible and i == 0,
        )
    return registration


def accepted(
    a: Registration,
    b: Registration,
    *,
    priority: str = Priority.WOULD_LIKE,
    answer: str = Priority.WOULD_LIKE,
) -> Meeting:
    """An accepted request from ``a`` to ``b`` and its (unplaced) meeting."""
    request = MeetingRequest.objects.create(
        event=a.event,
        requester=a,
        recipient=b,
        priority=priority,
        recipient_priority=answer,
        status=MeetingRequest.Status.ACCEPTED,
        answered_at=timezone.now(),
    )
    return Meeting.objects.create(event=a.event, request=request, first=a, second=b)

"""Demo matchmaking event: the network's matchmaking day with Borås (a delegation of three), Vestland,
SOC Catalonia and Jobcenter Stuttgart registered, requests made and answered, and a provisional
schedule computed by the meeting scheduler.

``clear()`` removes the previous demo event; ``demo_extend`` makes it again with dates from today.
Every person named here is invented.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.events.models import (
    Delegate,
    Event,
    EventSession,
    EventState,
    Meeting,
    MeetingRequest,
    Priority,
    Registration,
    ScheduleStatus,
    Table,
)
from matchmaking.events.scheduling import schedule_compute
from matchmaking.events.selectors import fit_between
from matchmaking.events.services import rebuild_slots
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term

TITLE = "Regional Skills Partnership matchmaking day"

DELEGATIONS: dict[str, dict[str, Any]] = {
    "boras-working-life": {
        "delegates": [("Anna Berg", "Job coach", "boras.staff@example.org"), ("Erik Holm", "Counsellor", ""),
                      ("Sara Lund", "Team leader", "")],
        "languages": ["en", "sv"],
        "offer": "Individual action plans and follow-up for young people furthest from work.",
        "seek": "Partners for job shadowing on employer partnerships and work placements.",
    },
    "vestland-county-council": {
        "delegates": [("Ingrid Solheim", "Adviser, education and skills", "vestland.staff@example.org")],
        "languages": ["en", "nb"],
        "offer": "Inclusive pathways for re-engagement in education and employment.",
        "seek": "Experience of skills mapping of informal competences.",
    },
    "soc-catalonia": {
        "delegates": [("Marta Puig", "Head of guidance", "soc.staff@example.org")],
        "languages": ["en", "es", "ca"],
        "offer": "Public employment services' guidance and employer outreach.",
        "seek": "Multi-agency cooperation with health and social services.",
    },
    "jobcenter-stuttgart": {
        "delegates": [("Jonas Weber", "Team leader, young people", "stuttgart.admin@example.org")],
        "languages": ["en", "de"],
        "offer": "Guidance for people with disadvantages and work placements with companies.",
        "seek": "Partners for a joint Erasmus+ project on lifelong learning mobility.",
        "accessible": True,
    },
}  # fmt: skip

# requester, recipient, priority, answer ("" = unanswered)
REQUESTS = [
    ("boras-working-life", "vestland-county-council", Priority.MUST, Priority.WOULD_LIKE),
    ("soc-catalonia", "boras-working-life", Priority.WOULD_LIKE, Priority.WOULD_LIKE),
    ("jobcenter-stuttgart", "boras-working-life", Priority.WOULD_LIKE, Priority.MUST),
    ("jobcenter-stuttgart", "soc-catalonia", Priority.WOULD_LIKE, Priority.WOULD_LIKE),
    ("vestland-county-council", "jobcenter-stuttgart", Priority.MUST, Priority.WOULD_LIKE),
    ("vestland-county-council", "soc-catalonia", Priority.WOULD_LIKE, ""),
]


def clear() -> None:
    Event.objects.filter(title=TITLE, organiser__is_demo=True).delete()


@transaction.atomic
def _make(today: date) -> Event | None:
    orgs = {o.key: o for o in Organisation.objects.filter(key__in=[*DELEGATIONS, "earlall"])}
    if len(orgs) < len(DELEGATIONS) + 1:
        return None
    start = today + timedelta(days=21)
    event = Event.objects.create(
        organiser=orgs["earlall"], title=TITLE, start=start, end=start, time_zone="Europe/Brussels",
        place="Brussels, Rue du Luxembourg (step-free entrance)", slot_minutes=20, break_minutes=10,
        description="A day of short meetings to prepare joint mobility projects of the partnership.",
        max_open_requests=8, max_meetings=6, newcomer_min_meetings=2, state=EventState.REQUESTS_OPEN,
        state_changed_at=timezone.now(),
    )  # fmt: skip
    EventSession.objects.create(
        event=event, name="Morning", day=start, starts_at=time(9, 30), ends_at=time(12, 30)
    )
    EventSession.objects.create(
        event=event, name="Afternoon", day=start, starts_at=time(14), ends_at=time(16)
    )
    rebuild_slots(event)
    for i in range(4):
        Table.objects.create(event=event, name=f"Table {i + 1}", capacity=6, accessible=i == 0, position=i)
    registrations: dict[str, Registration] = {}
    for key, data in DELEGATIONS.items():
        org = orgs[key]
        registration = Registration.objects.create(
            event=event, organisation=org, offer_text=data["offer"], seek_text=data["seek"],
            newcomer=key == "vestland-county-council",
        )  # fmt: skip
        registration.languages.set(Term.objects.filter(scheme="languages", code__in=data["languages"]))
        registration.listings.set(
            Opportunity.objects.filter(organisation=org, status=Opportunity.Status.OPEN)[:2]
        )
        for name, role, email in data["delegates"]:
            Delegate.objects.create(
                registration=registration, name=name, role=role, email=email,
                user=User.objects.filter(email=email).first() if email else None,
                needs_accessible=bool(data.get("accessible")) and name.startswith("Jonas"),
            )  # fmt: skip
        registrations[key] = registration
    for requester, recipient, priority, answer in REQUESTS:
        a, b = registrations[requester], registrations[recipient]
        fit = fit_between(registration=a, other=b)
        found = MeetingRequest.objects.create(
            event=event, requester=a, recipient=b, priority=priority, recipient_priority=answer,
            status=MeetingRequest.Status.ACCEPTED if answer else MeetingRequest.Status.PENDING,
            answered_at=timezone.now() if answer else None, reasons=fit.reasons if fit else [],
            score=fit.score if fit else None,
        )  # fmt: skip
        if answer:
            Meeting.objects.create(event=event, request=found, first=a, second=b)
    Event.objects.filter(pk=event.pk).update(schedule_status=ScheduleStatus.QUEUED)
    return event


def demo_extend(*, today: date) -> str:
    event = _make(today)
    if event is None:
        return "no event (the demo organisations are missing)"
    result = schedule_compute(event_id=event.pk, announce=False)
    placed = len(result.placements) if result else 0
    return f"1 event, {len(DELEGATIONS)} delegations, {len(REQUESTS)} requests, {placed} meetings scheduled"

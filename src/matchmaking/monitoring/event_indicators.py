"""Matchmaking events in the cockpit: what the partnership's matchmaking days produced.

Counted over events that took place (held or closed) and started in the period. A place filter or a
member's scope keeps the registrations, meetings and proposals in which one of its organisations took
part, so an organisation sees its own figures. Organisations and meetings are counted, not people, so
nothing here is disclosure-controlled.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from matchmaking.events.models import Event, EventState, Meeting, MeetingRequest, Registration
from matchmaking.monitoring.cockpit import Table
from matchmaking.monitoring.filters import CockpitFilters, period, side
from matchmaking.monitoring.sql import Year

TOOK_PLACE = (EventState.HELD, EventState.CLOSED)
COLUMNS = ("events", "registrations", "meetings_scheduled", "meetings_held", "proposals")


def _meeting_place(f: CockpitFilters, scope: set[int] | None) -> Q:
    if not (f.has_place or scope is not None):
        return Q()
    return side(f, scope, "first__organisation") | side(f, scope, "second__organisation")


def matchmaking_events(f: CockpitFilters, scope: set[int] | None) -> Table:
    events = Event.objects.filter(state__in=TOOK_PLACE).filter(period(f, "start"))
    registrations = Registration.objects.filter(event__in=events, status=Registration.Status.REGISTERED)
    if f.has_place or scope is not None:
        registrations = registrations.filter(side(f, scope, "organisation"))
    meetings = Meeting.objects.filter(
        _meeting_place(f, scope), event__in=events, request__status=MeetingRequest.Status.ACCEPTED
    )
    per_year: dict[int, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    for year, n_events, n_registrations in (
        registrations.annotate(year=Year("event__start"))
        .values_list("year")
        .annotate(e=Count("event", distinct=True), r=Count("pk"))
        .order_by()
    ):
        per_year[int(year)][0] += n_events
        per_year[int(year)][1] += n_registrations
    for year, scheduled, held, proposals in (
        meetings.annotate(year=Year("event__start"))
        .values_list("year")
        .annotate(
            s=Count("pk", filter=Q(slot__isnull=False)),
            h=Count("pk", filter=Q(held=True)),
            p=Count("pk", filter=Q(exchange__isnull=False)),
        )
        .order_by()
    ):
        per_year[int(year)][2] += scheduled
        per_year[int(year)][3] += held
        per_year[int(year)][4] += proposals
    table = Table(
        "matchmaking-events",
        _("Matchmaking events"),
        [
            ("year", _("Year")),
            ("events", _("Events held")),
            ("registrations", _("Organisations registered")),
            ("meetings_scheduled", _("Meetings scheduled")),
            ("meetings_held", _("Meetings held")),
            ("proposals", _("Exchange proposals from meetings")),
        ],
    )
    for year in sorted(per_year):
        table.rows.append([year, *per_year[year]])
    if table.rows:
        table.total = ["total", *(sum(row[i + 1] for row in table.rows) for i in range(len(COLUMNS)))]  # type: ignore[misc]
    return table

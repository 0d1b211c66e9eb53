"""The cockpit's matchmaking-events table: events that took place, registrations, meetings scheduled and
held, proposals from meetings; an organisation sees only what its own registrations took part in."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaking.events.models import EventState
from matchmaking.monitoring import selectors
from matchmaking.monitoring.filters import CockpitFilters
from tests.factories_events import accepted, event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def matchmaking_day(network):
    day = event(network["boras"], state=EventState.HELD, start=date(2026, 4, 15))
    boras, vestland, soc = (register(day, network[k]) for k in ("boras", "vestland", "barcelona"))
    slot = day.slots.first()
    first = accepted(boras, vestland)
    first.slot, first.held = slot, True
    first.save()
    second = accepted(soc, vestland)
    second.held = False
    second.save()
    # A draft event counts for nothing: it has not taken place.
    draft = event(network["stuttgart"], state=EventState.DRAFT, start=date(2026, 6, 1))
    register(draft, network["stuttgart"])
    return network


def _rows(cockpit):
    return {row[0]: row[1:] for row in cockpit.tables["matchmaking-events"].records()}


def test_the_coordinator_sees_the_events_that_took_place(matchmaking_day, coordinator):
    rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()))
    assert rows == {2026: [1, 3, 1, 1, 0], "total": [1, 3, 1, 1, 0]}


def test_a_period_without_events_is_an_empty_table(matchmaking_day, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(date_from=date(2027, 1, 1)))
    assert cockpit.tables["matchmaking-events"].empty


def test_an_organisation_sees_only_its_own_part(matchmaking_day):
    rows = _rows(selectors.cockpit(user=matchmaking_day["boras_admin"], filters=CockpitFilters()))
    # Borås's registration, and the one meeting it took part in.
    assert rows == {2026: [1, 1, 1, 1, 0], "total": [1, 1, 1, 1, 0]}

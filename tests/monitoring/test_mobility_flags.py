"""The reporting flags indicator: people travelling with green travel, blended or force majeure, each
row protected with its total so that neither a small number with nor without the flag shows."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaking.exchanges.models import Exchange
from matchmaking.monitoring import selectors
from matchmaking.monitoring.filters import CockpitFilters

pytestmark = pytest.mark.django_db


def _rows(cockpit):
    return {row[0]: row[1:] for row in cockpit.tables["exchange-flags"].records()}


@pytest.fixture
def flagged(network):
    Exchange.objects.filter(host=network["barcelona"], state="completed").update(green_travel=True)
    Exchange.objects.filter(host=network["stuttgart"]).update(blended=True)
    Exchange.objects.filter(host=network["boras"], visitor=network["vestland"]).update(force_majeure=True)
    return network


def test_people_with_each_flag_out_of_everyone_travelling(flagged, coordinator):
    rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()))
    # 7 staff, 3 visitors, 12 learners travel (the accompanying teacher is not counted).
    assert rows["green-travel"] == [7, 15, 22, 31.8]
    assert rows["blended"] == [12, 10, 22, 54.5]
    # Three with the flag: hidden, and the 19 without it too, since the total would give them away.
    assert rows["force-majeure"] == ["<5", "x", 22, "<5"]


def test_a_member_counts_only_its_own_mobilities_and_an_empty_period_is_empty(flagged, coordinator):
    member_rows = _rows(selectors.cockpit(user=flagged["vestland_staff"], filters=CockpitFilters()))
    assert member_rows["force-majeure"] == ["<5", 0, "<5", "<5"]
    assert member_rows["green-travel"][0] == 0
    nothing = selectors.cockpit(user=coordinator, filters=CockpitFilters(date_from=date(2030, 1, 1)))
    assert nothing.tables["exchange-flags"].empty

"""The cockpit's indicators: computed by SQL over what the caller may see, filtered, suppressed."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

import pytest

from matchmaking.monitoring import selectors
from matchmaking.monitoring.filters import CockpitFilters
from matchmaking.monitoring.indicators import definitions
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.taxonomies.models import Region

pytestmark = pytest.mark.django_db


def _rows(cockpit, code):
    table = cockpit.tables[code]
    return {row[0]: row[1:] for row in table.records()}


def test_every_table_has_a_versioned_definition(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    defs = definitions()
    assert defs.version
    for code, _table in cockpit.tables.items():
        assert code in defs.indicators, code
        d = defs[code]
        assert d.numerator
        assert d.unit
        assert d.source


def test_exchanges_by_type_and_status(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    assert _rows(cockpit, "exchanges-by-type") == {"job-shadowing": [3], "total": [3]}
    status = _rows(cockpit, "exchanges-by-status")
    assert status["proposed"] == [1]
    assert status["completed"] == [1]
    assert status["total"] == [4]


def test_people_counts_below_five_are_suppressed_with_their_neighbours(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    activity = _rows(cockpit, "participants-by-activity")
    # SM-JOB-SHDW 7, LM-SHORT-VET 12, none 3 ("<5"): the total 22 would give 3 away, so 7 is hidden too.
    assert activity["none"] == ["<5"]
    assert activity["SM-JOB-SHDW"] == ["x"]
    assert activity["LM-SHORT-VET"] == [12]
    assert activity["total"] == [22]


def test_fewer_opportunities_share_against_the_partnership_target(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    year = _rows(cockpit, "fewer-opportunities-share")[2026]
    assert year[:4] == [6, 16, 22, round(100 * 6 / 22, 1)]
    assert year[4] == Decimal("20.00")  # the 2030 target holds for the years before it
    progress = {p.code: p for p in cockpit.progress}
    assert progress["fewer-opportunities-share"].value == round(100 * 6 / 22, 1)


def test_vet_learners_against_the_learner_counts_of_the_region(network, coordinator):
    LearnerCount.objects.create(year=2026, region=Region.objects.get(code="SE23"), learners=240)
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(region="SE23"))
    row = _rows(cockpit, "vet-learners-on-mobility")[2026]
    assert row[:3] == [12, 240, 5.0]
    assert row[3:] == [Decimal("20.00"), Decimal("12.00")]
    Target.objects.create(indicator="vet-learners-on-mobility", year=2026, source="partnership", value=8)
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(region="SE23"))
    assert _rows(cockpit, "vet-learners-on-mobility")[2026][3] == Decimal("8")


def test_learners_on_short_visits_do_not_count(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(region="NO0A"))
    assert 2026 not in _rows(cockpit, "vet-learners-on-mobility")


def test_filter_to_catalonia_keeps_its_flows(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(region="ES51"))
    assert cockpit.flows == [("SE23", "ES51", 1)]
    assert ("NO0A", "SE23", 1) in cockpit.context_flows  # the rest of the network, for context
    assert ("SE23", "ES51", 1) not in cockpit.context_flows
    flows = selectors.cockpit(user=coordinator, filters=CockpitFilters()).flows
    assert ("NO0A", "SE23", 1) in flows
    assert ("SE23", "DE11", 1) in flows
    staff = _rows(cockpit, "staff-flows")
    assert staff["SE23"] == ["ES51", 1, 7]


def test_an_organisation_sees_only_its_own_figures(network):
    cockpit = selectors.cockpit(user=network["vestland_staff"], filters=CockpitFilters())
    assert cockpit.flows == [("NO0A", "SE23", 1)]
    assert _rows(cockpit, "exchanges-by-type")["total"] == [1]
    # A filter naming another organisation's region does not widen the scope.
    other = selectors.cockpit(user=network["vestland_staff"], filters=CockpitFilters(region="ES51"))
    assert other.empty


def test_reciprocity_completion_and_follow_up(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(date_to=date(2026, 4, 30)))
    reciprocity = _rows(cockpit, "reciprocity-rate")
    assert reciprocity["pairs"] == [2]
    assert reciprocity["reciprocal_pairs"] == [0]
    completion = _rows(cockpit, "completion-reporting")
    assert completion["exchanges_ended"] == [2]
    assert completion["reporting_rate_percent"] == [50.0]


def test_a_filter_with_no_data_gives_an_empty_cockpit(network, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(country="PT"))
    assert cockpit.empty
    assert cockpit.flows == []


def test_the_per_mobility_export_has_the_distance_band(network, coordinator):
    from matchmaking.monitoring import mobilities

    rows = mobilities.mobility_export(user=coordinator).rows
    bands = {(r["sending_organisation"], r["receiving_organisation"]): r["distance_band"] for r in rows}
    assert bands[("Borås Working Life", "SOC Barcelona")] == "500-1999"
    assert bands[("Vestland County", "Borås Working Life")] == "100-499"
    assert "green_travel" in mobilities.COLUMNS


def test_time_from_proposal_to_agreement(network, coordinator):
    from datetime import datetime, timedelta

    from matchmaking.core.models import AuditEvent
    from matchmaking.exchanges.models import Exchange

    proposed = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for n, ex in enumerate(
        Exchange.objects.filter(state__in=["completed", "reported", "confirmed"]).order_by("pk")
    ):
        Exchange.objects.filter(pk=ex.pk).update(created_at=proposed)
        event = AuditEvent.objects.create(
            action="exchange.accept", object_type="exchanges.exchange", object_id=str(ex.pk)
        )
        AuditEvent.objects.filter(pk=event.pk).update(occurred_at=proposed + timedelta(days=2 + 4 * n))
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    measures = _rows(cockpit, "time-to-agreement")
    assert measures["exchanges_agreed"] == [3]
    assert measures["median_days"] == [6.0]
    assert measures["p90_days"] == [9.2]


def test_a_pair_that_hosted_each_other_is_reciprocal(network, coordinator):
    from tests.factories_mobility import exchange

    exchange(network["boras"], network["barcelona"], state="agreed", start=date(2027, 2, 1))
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters(date_to=date(2026, 12, 31)))
    reciprocity = _rows(cockpit, "reciprocity-rate")
    assert reciprocity["pairs"] == [3]
    assert reciprocity["reciprocal_pairs"] == [1]  # Borås–Barcelona: the return visit of 2027 counts
    assert reciprocity["rate_percent"] == [33.3]

"""Pathway indicators: every figure counts people, so every one is disclosure-controlled."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaking.monitoring import selectors
from matchmaking.monitoring.filters import CockpitFilters
from matchmaking.pathways.models import Offer, Outcome, Referral, RetentionCheck, SupportService
from tests.factories_participants import consent, participant

pytestmark = pytest.mark.django_db


def _rows(cockpit, code):
    return {row[0]: row[1:] for row in cockpit.tables[code].records()}


@pytest.fixture
def people(network):
    boras = network["boras"]
    made = []
    for n in range(12):
        started = date(2026, 1, 10) if n < 9 else date(2024, 1, 10)  # the adults' twelve months are past
        p = participant(
            boras, age_group="young" if n < 9 else "adult", clock_start="registered", clock_start_on=started
        )
        made.append(p)
        if n < 7:  # seven offers within four months, two after
            Offer.objects.create(participant=p, type="job", offered_on=date(2026, 3, 1), organisation=boras)
        elif n < 9:
            Offer.objects.create(participant=p, type="job", offered_on=date(2026, 8, 1), organisation=boras)
    for n, p in enumerate(made[:8]):
        outcome = Outcome.objects.create(
            participant=p,
            exit_type="job-regular" if n < 6 else "education",
            exit_on=date(2026, 6, 1),
            dropped_out=n == 7,
            drop_out_reasons=["housing"] if n == 7 else [],
        )
        RetentionCheck.objects.create(
            outcome=outcome, months=3, due_on=date(2026, 9, 1), done_on=date(2026, 9, 1), still_there=n < 5
        )
    service = SupportService.objects.create(name="Housing advice", category="housing", country="SE")
    for n, p in enumerate(made[:6]):
        status = "completed" if n < 5 else "refused"
        Referral.objects.create(
            participant=p,
            service=service,
            consent=consent(p, "referral"),
            status=status,
            sent_on=date(2026, 2, 1),
        )
    return made


def test_youth_guarantee_offers_within_the_limit_and_breaches(people, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    rows = _rows(cockpit, "youth-guarantee")
    # Seven offers within four months and two breaches; three adults with no offer past twelve months.
    # The breaches and the adults are hidden, and so is every figure that would give them away.
    assert rows["young"][:2] == ["x", "<5"]
    assert rows["adult"][3] == "<5"
    assert rows["total"][4] == 12
    shown = [v for row in rows.values() for v in row]
    assert 2 not in shown
    assert 3 not in shown


def test_exits_retention_drop_out_and_referrals(people, coordinator):
    cockpit = selectors.cockpit(user=coordinator, filters=CockpitFilters())
    exits = _rows(cockpit, "exits-by-type")
    # Six to a regular job and two to education: the total (8) would give the two away with the six.
    assert exits == {"job-regular": ["x"], "education": ["<5"], "total": [8]}
    assert _rows(cockpit, "retention")[3] == ["x", "<5", 8, "x"]
    assert _rows(cockpit, "drop-out-reasons") == {"housing": ["<5"], "people-who-dropped-out": ["<5"]}
    referrals = _rows(cockpit, "referrals")
    assert referrals["housing"][Referral.Status.values.index("refused")] == "<5"
    assert referrals["housing"][Referral.Status.values.index("completed")] == "x"
    assert referrals["housing"][-1] == 6


def test_an_organisation_outside_sees_none_of_these_people(people, network):
    cockpit = selectors.cockpit(user=network["vestland_staff"], filters=CockpitFilters())
    for code in ("youth-guarantee", "exits-by-type", "retention", "drop-out-reasons", "referrals"):
        assert cockpit.tables[code].empty, code


def test_fairness_of_allocation_rounds_rolled_up(coordinator, network):
    from django.utils import timezone

    from matchmaking.placements.models import Round

    audit = {"groups": [{"group": "fewer-opportunities", "participants": 10, "placed": 6},
                        {"group": "others", "participants": 20, "placed": 15}]}  # fmt: skip
    for name in ("Spring", "Autumn"):
        Round.objects.create(
            name=name, status="confirmed", confirmed_at=timezone.now(), fairness={"flag": audit}
        )
    rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()), "allocation-fairness")
    assert rows["flag: fewer-opportunities"] == [12, 8, 20, 60.0, None]  # no fit stored
    assert rows["flag: others"] == [30, 10, 40, 75.0, None]
    member_view = selectors.cockpit(user=network["boras_admin"], filters=CockpitFilters())
    assert member_view.tables["allocation-fairness"].empty


def test_fairness_roll_up_weighs_each_rounds_fit_by_the_people_placed(coordinator, network):
    from django.utils import timezone

    from matchmaking.placements.models import Round

    def audit(placed_a, fit_a, placed_b, fit_b):
        return {
            "groups": [
                {
                    "group": "fewer-opportunities",
                    "participants": 10,
                    "placed": placed_a,
                    "mean_fit_placed": fit_a,
                },
                {"group": "others", "participants": 10, "placed": placed_b, "mean_fit_placed": fit_b},
            ]
        }

    now = timezone.now()
    Round.objects.create(
        name="Spring", status="confirmed", confirmed_at=now, fairness={"flag": audit(6, 80.0, 2, 90.0)}
    )
    Round.objects.create(
        name="Autumn", status="confirmed", confirmed_at=now, fairness={"flag": audit(2, 40.0, 2, 50.0)}
    )
    rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()), "allocation-fairness")
    assert rows["flag: fewer-opportunities"][4] == 70.0  # (6 × 80 + 2 × 40) / 8
    # Four people placed in all: their mean fit is hidden with the count, as every figure about people.
    assert rows["flag: others"][0] == "<5"
    assert rows["flag: others"][4] == "<5"


def test_fairness_roll_up_merges_codes_and_old_labels_and_speaks_the_readers_language(coordinator, network):
    from django.utils import timezone, translation

    from matchmaking.placements.models import Round

    def audit(group):
        return {"fewer_opportunities": {"groups": [{"group": group, "participants": 10, "placed": 6}]}}

    now = timezone.now()
    Round.objects.create(
        name="Old", status="confirmed", confirmed_at=now, fairness=audit("fewer opportunities")
    )
    Round.objects.create(
        name="New", status="confirmed", confirmed_at=now, fairness=audit("fewer-opportunities")
    )
    with translation.override("en"):
        rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()), "allocation-fairness")
    assert rows == {"By fewer opportunities: fewer opportunities": [12, 8, 20, 60.0, None]}
    with translation.override("sv"):
        rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()), "allocation-fairness")
    assert list(rows) == ["Efter färre möjligheter: färre möjligheter"]


def test_people_placed_count_single_proposals_the_host_accepted(network, coordinator):
    from django.utils import timezone

    from matchmaking.placements.models import Assignment
    from tests.factories_participants import placement

    kitchen = placement(network["boras"], key="kitchen", labour_market="social-economy", seats=10)
    now = timezone.now()
    for status in ["accepted", "started", "completed", "ended-early", "accepted", "declined"]:
        person = participant(network["boras"])
        Assignment.objects.create(placement=kitchen, participant=person, status=status, decided_at=now)
    rows = _rows(selectors.cockpit(user=coordinator, filters=CockpitFilters()), "placed-by-labour-market")
    assert rows["social-economy"] == [5]  # the declined one is not placed

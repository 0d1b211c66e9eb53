"""The pre-aggregated tables give the same figures as the live computation, on random exchanges and
visitors (with target groups through the offer, the request and the sending organisation, acceptances
and follow-up answers), for every filter of the cockpit, the target group included."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.cli import main
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.models import CompletionReport, Exchange, FollowUp, State, Visitor
from matchmaking.monitoring import facts, selectors
from matchmaking.monitoring.filters import CockpitFilters
from matchmaking.monitoring.models import FactRefresh, MobilityFact, TargetGroupFact
from tests.factories import OpportunityFactory, term

pytestmark = pytest.mark.django_db

TYPES = ("job-shadowing", "study-visit", "learner-placement")
CODES = ("", "SM-JOB-SHDW", "LM-SHORT-VET")
GROUPS = ("neet-youth", "refugees", "vet-learners")
groups = st.lists(st.sampled_from(GROUPS), max_size=2, unique=True)

person = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([k.value for k in Visitor.Kind]),
        "accompanying": st.booleans(),
        "fewer_opportunities": st.booleans(),
        # Own dates (a later start, a longer stay) or the exchange's.
        "own": st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(5, 20))),
    }
)
one_exchange = st.fixed_dictionaries(
    {
        "pair": st.sampled_from([(0, 1), (1, 0), (2, 1), (1, 3), (3, 2), (0, 2)]),
        "state": st.sampled_from([s.value for s in State]),
        "type": st.sampled_from(TYPES),
        "code": st.sampled_from(CODES),
        "start": st.integers(0, 800),
        "days": st.integers(1, 15),
        "flags": st.tuples(st.booleans(), st.booleans(), st.booleans()),
        "people": st.lists(person, max_size=7),
        # Target groups of the offer and of the request (None: the exchange has none).
        "offer": st.one_of(st.none(), groups),
        "request": st.one_of(st.none(), groups),
        # Days from the proposal to the first acceptance (None: never accepted), and a second one.
        "accepted": st.one_of(st.none(), st.tuples(st.floats(0, 40), st.booleans())),
        "answers": st.one_of(st.none(), st.tuples(*[st.sampled_from(["", *FollowUp.values])] * 2)),
    }
)


def _opportunity(org, codes, n, direction):
    if codes is None:
        return None
    opp = OpportunityFactory(organisation=org, direction=direction)
    opp.target_groups.set([term("target-groups", c) for c in codes])
    return opp


def _build(network, exchanges, org_groups):
    orgs = [network["boras"], network["barcelona"], network["vestland"], network["stuttgart"]]
    Exchange.objects.all().delete()
    AuditEvent.objects.filter(action="exchange.accept").delete()
    for org, codes in zip(orgs, org_groups, strict=True):
        org.target_groups.set([term("target-groups", c) for c in codes])
    types = {code: term("opportunity-types", code) for code in TYPES}
    for n, e in enumerate(exchanges):
        start = date(2024, 11, 1) + timedelta(days=e["start"])
        green, blended, force = e["flags"]
        ex = Exchange.objects.create(
            key=f"random-{n}", host=orgs[e["pair"][1]], visitor=orgs[e["pair"][0]],
            proposed_by=orgs[e["pair"][0]], type=types[e["type"]], title=f"Random {n}", start=start,
            end=start + timedelta(days=e["days"] - 1), group_size=10, state=e["state"],
            activity_code=e["code"], green_travel=green, blended=blended, force_majeure=force,
            offer=_opportunity(orgs[e["pair"][1]], e["offer"], n, "offer"),
            request=_opportunity(orgs[e["pair"][0]], e["request"], n, "request"),
        )  # fmt: skip
        if e["accepted"] is not None:
            days, twice = e["accepted"]
            for k in range(1 + twice):  # the first acceptance counts
                event = AuditEvent.objects.create(
                    action="exchange.accept", object_type="exchanges.exchange", object_id=str(ex.pk)
                )
                when = ex.created_at + timedelta(days=days + 3 * k)
                AuditEvent.objects.filter(pk=event.pk).update(occurred_at=when)
        if e["answers"] is not None:
            CompletionReport.objects.create(
                exchange=ex, host_follow_up=e["answers"][0], visitor_follow_up=e["answers"][1]
            )
        for k, p in enumerate(e["people"]):
            own = p["own"]
            Visitor.objects.create(
                exchange=ex, name=f"P{n}-{k}", kind=p["kind"], accompanying=p["accompanying"],
                fewer_opportunities=p["fewer_opportunities"],
                start=start + timedelta(days=own[0]) if own else None,
                end=start + timedelta(days=own[0] + own[1]) if own else None,
            )  # fmt: skip


FILTERS = [
    CockpitFilters(),
    CockpitFilters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
    CockpitFilters(date_from=date(2025, 3, 17)),
    CockpitFilters(country="SE"),
    CockpitFilters(region="ES51"),
    CockpitFilters(kind="vet-provider"),
    CockpitFilters(activity_type="job-shadowing", date_to=date(2025, 6, 30)),
    CockpitFilters(target_group="neet-youth"),
    CockpitFilters(target_group="refugees", date_from=date(2025, 1, 1), country="ES"),
    CockpitFilters(target_group="vet-learners", activity_type="study-visit", kind="vet-provider"),
]


def _figures(cockpit):
    return (
        {code: (t.rows, t.total) for code, t in cockpit.tables.items()},
        cockpit.flows,
        cockpit.context_flows,
        [(p.code, p.year, p.value) for p in cockpit.progress],
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    exchanges=st.lists(one_exchange, min_size=1, max_size=12),
    org_groups=st.lists(groups, min_size=4, max_size=4),
)
def test_aggregated_figures_equal_the_live_ones(network, coordinator, exchanges, org_groups):
    _build(network, exchanges, org_groups)
    facts.refresh()
    scoped = network["boras_admin"]
    boras = network["boras"].pk
    for f in [
        *FILTERS,
        CockpitFilters(organisation_id=boras),
        CockpitFilters(organisation_id=boras, target_group="neet-youth", date_to=date(2025, 9, 1)),
    ]:
        for user in (coordinator, scoped):
            aggregated = selectors.cockpit(user=user, filters=f)
            assert aggregated.figures_as_of is not None
            live = selectors.cockpit(user=user, filters=f, live=True)
            assert live.figures_as_of is None
            assert _figures(aggregated) == _figures(live), (f, user)


def test_before_the_first_refresh_the_figures_are_live_and_after_it_every_filter_reads_the_tables(
    network, coordinator
):
    assert selectors.cockpit(user=coordinator, filters=CockpitFilters()).figures_as_of is None
    facts.refresh()
    assert MobilityFact.objects.exists()
    assert selectors.cockpit(user=coordinator, filters=CockpitFilters()).figures_as_of is not None
    grouped = selectors.cockpit(user=coordinator, filters=CockpitFilters(target_group="neet-youth"))
    assert grouped.figures_as_of is not None


def test_an_exchange_counts_once_per_target_group_however_many_sides_name_it(network):
    ex = Exchange.objects.get(host=network["stuttgart"])  # Borås sends learners to Stuttgart
    network["boras"].target_groups.set([term("target-groups", "vet-learners")])
    ex.offer = _opportunity(network["stuttgart"], ["vet-learners", "neet-youth"], 0, "offer")
    ex.save()
    facts.refresh()
    rows = TargetGroupFact.objects.filter(exchanges__gt=0, receiving_id=network["stuttgart"].pk)
    assert dict(rows.values_list("target_group", "exchanges")) == {"vet-learners": 1, "neet-youth": 1}
    people = TargetGroupFact.objects.filter(people__gt=0, receiving_id=network["stuttgart"].pk)
    assert dict(people.values_list("target_group", "people")) == {"vet-learners": 12, "neet-youth": 12}


def test_the_page_says_how_fresh_the_figures_are(network, coordinator, client):
    client.force_login(coordinator)
    assert "computed from the live data" in client.get("/monitoring/").content.decode()
    facts.refresh()
    assert "Figures as of" in client.get("/monitoring/").content.decode()


def test_the_command_refreshes_the_tables(network, capsys):
    assert main(["indicators", "--refresh"]) == 0
    assert FactRefresh.objects.count() == 1
    printed = capsys.readouterr()
    assert "pre-aggregated tables refreshed" in printed.err
    assert json.loads(printed.out)["figures_as_of"]
    assert main(["run-periodic", "--job", "monitoring-facts-refresh", "--force"]) == 0
    assert FactRefresh.objects.count() == 1  # rebuilt, one row kept

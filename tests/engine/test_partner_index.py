"""The candidate index never drops a pair the hard rules let through, so scoring only its candidates
gives the same suggestions as scoring the whole network."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.engine.partner_rules import explain_exclusion
from matchmaking.engine.partners import PartnerWeights, organisations_to_invite, suggest_partners

ORGS = [f"org{i}" for i in range(6)]
LANGUAGES = ["en", "sv", "no", "nb", "nn", "de", "EN"]
TOPICS = ["outreach", "mentoring", "guidance", "digital"]
DAY0 = date(2027, 1, 1)


@st.composite
def _opportunity(draw: st.DrawFn, number: int) -> Opportunity:
    earliest = draw(st.one_of(st.none(), st.integers(0, 60)))
    latest = draw(st.one_of(st.none(), st.integers(0, 90)))
    return Opportunity(
        id=f"opp{number}",
        organisation=draw(st.sampled_from(ORGS)),
        type=draw(st.sampled_from(["job-shadowing", "study-visit", "project-partnership"])),
        direction=draw(st.sampled_from(["offer", "request"])),
        topics=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))),
        languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True))),
        earliest=None if earliest is None else DAY0 + timedelta(days=earliest),
        latest=None if latest is None else DAY0 + timedelta(days=latest),
        duration_days=draw(st.integers(0, 20)),
        group_size=draw(st.integers(1, 4)),
    )


@st.composite
def networks(draw: st.DrawFn) -> Network:
    organisations = [
        Organisation(
            id=org,
            country=draw(st.sampled_from(["SE", "NO", "DE"])),
            languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True))),
            expertise=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))),
            interests=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))),
            hosting_capacity=draw(st.integers(0, 3)),
        )
        for org in ORGS
        if draw(st.booleans()) or org == ORGS[0]
    ]
    count = draw(st.integers(1, 14))
    opportunities = [draw(_opportunity(i)) for i in range(count)]
    return Network(organisations, opportunities)


@settings(max_examples=200, deadline=None)
@given(networks())
def test_candidates_include_every_pair_no_rule_excludes(network):
    index = PartnerIndex(network)
    for ours in network.opportunities.values():
        allowed = {
            theirs.id
            for theirs in network.opportunities.values()
            if theirs.id != ours.id and not explain_exclusion(ours, theirs)
        }
        assert allowed <= set(index.candidates(ours.id))
        for theirs_id in allowed:
            assert ours.id in index.interested_in(theirs_id)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_invite_candidates_include_every_organisation_that_may_be_invited(network):
    index = PartnerIndex(network)
    everyone = [o.id for o in network.organisations.values()]
    for ours in network.opportunities.values():
        invited = {s.organisation for s in organisations_to_invite(network, ours.id, top=len(everyone) + 1)}
        assert invited <= set(index.invite_candidates(ours.id))
        for org in invited:
            assert ours.id in index.inviting(org)


@settings(max_examples=100, deadline=None)
@given(networks(), st.integers(1, 8))
def test_scoring_the_candidates_equals_scoring_the_whole_network(network, top):
    index = PartnerIndex(network)
    weights = PartnerWeights(country_spread=3.0)
    for ours in network.opportunities:
        assert suggest_partners(
            network, ours, top=top, weights=weights, candidates=index.candidates(ours)
        ) == suggest_partners(network, ours, top=top, weights=weights)
        assert organisations_to_invite(
            network, ours, top=top, weights=weights, candidates=index.invite_candidates(ours)
        ) == organisations_to_invite(network, ours, top=top, weights=weights)

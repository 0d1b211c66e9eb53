"""Array scores equal the per-pair scorer's on random networks, and the batch gives the same lists
(suggestions, scores, order, reasons) as ``suggest_partners`` and ``organisations_to_invite``."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_arrays import PartnerArrays, py_round
from matchmaking.engine.partner_batch import PartnerBatch, select
from matchmaking.engine.partner_fits import sides_of_opportunities
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.engine.partner_rules import roles
from matchmaking.engine.partners import (
    PartnerWeights,
    organisations_to_invite,
    score_pair,
    spread_across_countries,
    suggest_partners,
)

ORGS = [f"org{i}" for i in range(8)]
LANGUAGES = ["en", "sv", "nb", "de"]
TOPICS = ["outreach", "mentoring", "guidance", "digital", "youth-work"]
GROUPS = ["neet", "migrants", "long-term-unemployed"]
WORDS = ["welding", "kitchen", "norway", "spain", "coaching", "mentors", "region", "visit", "staff"]
COUNTRIES = ["SE", "NO", "ES", "DE"]
DAY0 = date(2027, 1, 1)


def _codes(draw: st.DrawFn, pool: list[str], size: int = 3) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(pool), max_size=size, unique=True)))


def _text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from([*WORDS, "Norwegian", "España"]), max_size=6))
    return " ".join(words)


@st.composite
def _opportunity(draw: st.DrawFn, number: int) -> Opportunity:
    earliest = draw(st.one_of(st.none(), st.integers(0, 30)))
    return Opportunity(
        id=f"opp{number}",
        organisation=draw(st.sampled_from([*ORGS, "ghost"])),
        type=draw(st.sampled_from(["job-shadowing", "study-visit", "project-partnership"])),
        direction=draw(st.sampled_from(["offer", "request"])),
        topics=_codes(draw, TOPICS),
        target_groups=_codes(draw, GROUPS, 2),
        languages=_codes(draw, LANGUAGES, 2) or ("en",),
        earliest=None if earliest is None else DAY0 + timedelta(days=earliest),
        latest=None if earliest is None else DAY0 + timedelta(days=earliest + draw(st.integers(0, 60))),
        duration_days=draw(st.integers(1, 10)),
        group_size=draw(st.integers(1, 9)),
        description=_text(draw),
    )


@st.composite
def networks(draw: st.DrawFn) -> Network:
    organisations = [
        Organisation(
            id=org,
            country=draw(st.sampled_from(COUNTRIES)),
            region=draw(st.sampled_from([None, "NO0A", "ES51"])),
            languages=_codes(draw, LANGUAGES, 2),
            target_groups=_codes(draw, GROUPS, 2),
            expertise=_codes(draw, TOPICS),
            interests=_codes(draw, TOPICS),
            hosting_capacity=draw(st.integers(0, 4)),
            description=_text(draw),
        )
        for org in ORGS
        if draw(st.booleans()) or org == ORGS[0]
    ]
    opportunities = [draw(_opportunity(i)) for i in range(draw(st.integers(1, 24)))]
    ids = [o.id for o in organisations]
    past = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4))
    network = Network(
        organisations,
        opportunities,
        past_exchanges=past,
        region_names={"NO0A": "Vestland", "ES51": "Cataluña"},
    )
    if draw(st.booleans()):
        rng = np.random.default_rng(draw(st.integers(0, 1000)))
        base = rng.normal(size=8)
        vectors = {}
        for key, _ in network.description_texts():
            v = (base + rng.normal(scale=0.3, size=8)).astype(np.float32)
            vectors[key] = v / np.linalg.norm(v)
        network.vectors = vectors
    return network


WEIGHTS = [
    PartnerWeights(),
    PartnerWeights(country_spread=3.0),
    PartnerWeights(country_spread=25.0, novelty=0),
]


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(WEIGHTS))
def test_array_scores_equal_the_per_pair_scores(network: Network, weights: PartnerWeights) -> None:
    index = PartnerIndex(network)
    arrays = PartnerArrays(network, index)
    n = len(index.ids)
    ours, theirs = np.divmod(np.arange(n * n, dtype=np.int64), n)
    scores = arrays.scores(ours, theirs, weights=weights)
    expected = [
        score_pair(
            network, network.opportunity(index.ids[a]), network.opportunity(index.ids[b]), weights
        ).score
        for a, b in zip(ours.tolist(), theirs.tolist(), strict=True)
    ]
    assert scores.tolist() == expected


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(WEIGHTS), st.integers(1, 6))
def test_the_batch_gives_the_lists_of_the_per_pair_scorer(
    network: Network, weights: PartnerWeights, top: int
) -> None:
    batch = PartnerBatch(network)
    keys = sorted(network.opportunities)
    found = batch.suggest(keys, top=top, weights=weights)
    for key in keys:
        assert found[key] == suggest_partners(network, key, top=top, weights=weights)
        assert batch.invites(key, top=top, weights=weights) == organisations_to_invite(
            network, key, top=top, weights=weights
        )
    assert batch.stats["fallbacks"] == 0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3)), max_size=40),
    st.integers(1, 12),
    st.sampled_from([0.0, 1.0, 3.0, 7.5]),
)
def test_select_is_the_greedy_spread(entries: list[tuple[int, int]], top: int, penalty: float) -> None:
    from matchmaking.engine.partners import PartnerSuggestion

    scores = np.array([float(s) for s, _ in entries])
    country = np.array([c for _, c in entries], dtype=np.int64)
    suggestions = sorted(
        (PartnerSuggestion(f"o{i:02d}", None, str(c), float(s), (), ()) for i, (s, c) in enumerate(entries)),
        key=lambda s: (-s.score, s.organisation),
    )
    greedy = spread_across_countries(suggestions, penalty)[:top] if penalty > 0 else suggestions[:top]
    picked, moved = select(scores, np.arange(len(entries), dtype=np.int64), country, top, penalty)
    assert [f"o{i:02d}" for i in picked.tolist()] == [s.organisation for s in greedy]
    assert moved.tolist() == [bool(s.reasons) for s in greedy]


def test_py_round_is_pythons_round() -> None:
    values = np.round(np.random.default_rng(1).uniform(0, 100, 20_000), 2) + np.array([0.0, 0.05]).repeat(
        10_000
    )
    for digits in (1, 2, 4):
        assert py_round(values, digits).tolist() == [round(v, digits) for v in values.tolist()]


def _topic_sums_of_the_per_pair_scorer(network: Network, arrays: PartnerArrays) -> tuple[list, list]:
    """(the arrays' wanted-and-shown sums, ``topic_fit``'s) over every pair, as lists of floats."""
    n = len(arrays.opportunities)
    ours, theirs = np.divmod(np.arange(n * n, dtype=np.int64), n)
    visitor, host = arrays.sides(ours, theirs)
    found = arrays._wanted_shown(visitor, host).tolist()
    expected = []
    for a, b in zip(visitor.tolist(), host.tolist(), strict=True):
        sides = sides_of_opportunities(network, roles(arrays.opportunities[a], arrays.opportunities[b]))
        wanted = list(dict.fromkeys(sides.wanted))
        expected.append(sum(network.topic_weight(t) for t in wanted if t in sides.shown))
    return found, expected


@settings(max_examples=100, deadline=None)
@given(networks())
def test_topic_sums_are_the_per_pair_scorers_bit_for_bit(network: Network) -> None:
    arrays = PartnerArrays(network, PartnerIndex(network))
    found, expected = _topic_sums_of_the_per_pair_scorer(network, arrays)
    assert found == expected


def test_packed_rows_past_64_codes() -> None:
    """Topics and target groups numbered past 64 sit in a second word of the packed rows."""
    many = [f"topic-{i:03d}" for i in range(150)]
    groups = [f"group-{i:03d}" for i in range(70)]
    organisations = [
        Organisation(
            "a", expertise=tuple(many[60:140:3]), interests=tuple(many[::7]), target_groups=tuple(groups[::2])
        ),
        Organisation(
            "b", expertise=tuple(many[::5]), interests=tuple(many[100:]), target_groups=tuple(groups[60:])
        ),
        Organisation(
            "c", expertise=tuple(many[120:]), interests=tuple(many[:3]), target_groups=tuple(groups[:5])
        ),
    ]
    opportunities = [
        Opportunity(
            f"{org.id}-{direction}", org.id, "job-shadowing", direction, topics=topics, languages=("en",)
        )
        for org in organisations
        for direction, topics in (
            ("offer", ()),
            ("request", tuple(reversed(many[62:130:4]))),
            ("request", ()),
        )
    ]
    network = Network(organisations, opportunities)
    index = PartnerIndex(network)
    arrays = PartnerArrays(network, index)
    found, expected = _topic_sums_of_the_per_pair_scorer(network, arrays)
    assert found == expected
    assert any(value > 0 for value in expected)
    n = len(index.ids)
    ours, theirs = np.divmod(np.arange(n * n, dtype=np.int64), n)
    scores = arrays.scores(ours, theirs)
    assert scores.tolist() == [
        score_pair(network, network.opportunity(index.ids[a]), network.opportunity(index.ids[b])).score
        for a, b in zip(ours.tolist(), theirs.tolist(), strict=True)
    ]

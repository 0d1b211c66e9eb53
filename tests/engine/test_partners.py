"""Organisation ↔ organisation matching: hard rules, exclusions with amounts, scores and reasons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_rules import explain_exclusion
from matchmaking.engine.partners import (
    PartnerWeights,
    organisations_to_invite,
    suggest_partners,
    topic_fit,
)

BORAS = Organisation(
    id="boras",
    name="Borås",
    country="SE",
    languages=("sv", "en"),
    target_groups=("neet-youth",),
    expertise=("multi-competent-teams", "motivational-interviewing"),
    interests=("early-outreach", "skills-mapping"),
    description="Municipal guidance for young people and newly arrived migrants",
)
SOC = Organisation(
    id="soc",
    name="SOC",
    country="ES",
    languages=("es", "ca", "en"),
    target_groups=("neet-youth", "long-term-unemployed"),
    expertise=("early-outreach", "skills-mapping", "programme-monitoring"),
    interests=("motivational-interviewing",),
    description="Public employment service with early outreach to young people",
)
NAV = Organisation(id="nav", name="NAV", country="NO", languages=("nb",), expertise=("early-outreach",))
QUIET = Organisation(
    id="quiet",
    name="Quiet",
    country="DE",
    languages=("de", "en"),
    expertise=("early-outreach",),
    hosting_capacity=3,
)

REQUEST = Opportunity(
    id="req",
    organisation="boras",
    type="job-shadowing",
    direction="request",
    topics=("early-outreach", "skills-mapping", "mentoring"),
    target_groups=("neet-youth",),
    languages=("en", "sv"),
    earliest=date(2026, 5, 1),
    latest=date(2026, 6, 30),
    duration_days=3,
    group_size=3,
    description="We want to learn early outreach to young people",
)
OFFER = Opportunity(
    id="offer",
    organisation="soc",
    type="job-shadowing",
    direction="offer",
    topics=("early-outreach",),
    languages=("en", "es"),
    earliest=date(2026, 5, 5),
    latest=date(2026, 5, 20),
    duration_days=2,
    group_size=4,
    description="Job shadowing on early outreach to young people",
)


def network(*extra: Opportunity, history: tuple[tuple[str, str], ...] = ()) -> Network:
    return Network([BORAS, SOC, NAV, QUIET], [REQUEST, OFFER, *extra], past_exchanges=history)


def codes(reasons: list) -> list[str]:  # type: ignore[type-arg]
    return [r.code for r in reasons]


def test_compatible_pair_has_no_exclusion() -> None:
    assert explain_exclusion(REQUEST, OFFER) == []


def test_dates_shortfall_is_named_with_amount() -> None:
    offer = replace(OFFER, earliest=date(2026, 6, 29), latest=date(2026, 7, 10))
    (reason,) = explain_exclusion(REQUEST, offer)
    assert reason.code == "dates"
    assert reason.params["overlap"] == 2
    assert reason.params["needed"] == 3
    assert reason.params["short_by"] == 1
    assert reason.text.startswith("The date windows overlap 2 days, the visit needs 3")


def test_windows_that_do_not_overlap() -> None:
    offer = replace(OFFER, earliest=date(2026, 7, 10), latest=date(2026, 7, 20))
    (reason,) = explain_exclusion(REQUEST, offer)
    assert reason.params["gap"] == 10
    assert "do not overlap" in reason.text


def test_every_failed_rule_is_listed() -> None:
    offer = replace(OFFER, organisation="boras", direction="request", languages=("de",), group_size=1)
    found = codes(explain_exclusion(REQUEST, offer))
    assert found == ["same-organisation", "same-direction", "languages", "group-size"]
    other_type = replace(OFFER, type="learner-placement", languages=("de",), group_size=1)
    found = explain_exclusion(REQUEST, other_type)
    assert codes(found) == ["different-type", "languages", "group-size"]
    assert found[2].params == {"group": 3, "excess": 2, "room": 1}


def test_project_partnerships_meet_in_any_direction() -> None:
    ours = replace(REQUEST, type="project-partnership")
    theirs = replace(OFFER, type="project-partnership", direction="request")
    assert explain_exclusion(ours, theirs) == []


def test_norwegian_variants_share_a_language() -> None:
    ours = replace(REQUEST, languages=("no",))
    theirs = replace(OFFER, organisation="nav", languages=("nb",))
    assert explain_exclusion(ours, theirs) == []


def test_open_ended_windows_fit() -> None:
    ours = replace(REQUEST, earliest=None, latest=None)
    assert explain_exclusion(ours, replace(OFFER, earliest=None, latest=None)) == []


def test_suggestion_scores_and_reasons() -> None:
    (found,) = suggest_partners(network(), "req")
    assert found.opportunity == "offer"
    assert 0 < found.score <= 100
    assert sum(p.points for p in found.parts) == pytest.approx(found.score, abs=0.1)
    topics = next(r for r in found.reasons if r.code == "topics")
    assert topics.params["matched"] == 2
    assert topics.params["total"] == 3
    assert topics.text.startswith("They can show: early outreach, skills mapping (2 of your 3 topics)")
    reciprocity = next(r for r in found.reasons if r.code == "reciprocity")
    assert reciprocity.text == "They want to learn: motivational interviewing, which you offer"


def test_seen_from_the_host_the_reasons_turn_round() -> None:
    (found,) = suggest_partners(network(), "offer")
    assert found.opportunity == "req"
    texts = [r.text for r in found.reasons]
    assert any(
        t.startswith("They want to see: early outreach, skills mapping, which you offer") for t in texts
    )
    assert "You want to learn: motivational interviewing, which they can show" in texts


def test_excluded_candidates_are_not_ranked() -> None:
    too_small = replace(OFFER, id="small", group_size=1)
    assert [s.opportunity for s in suggest_partners(network(too_small), "req")] == ["offer"]


def test_novelty_counts_only_without_earlier_exchange() -> None:
    fresh = suggest_partners(network(), "req")[0]
    known = suggest_partners(network(history=(("soc", "boras"),)), "req")[0]
    novelty = next(p for p in fresh.parts if p.name == "novelty")
    assert novelty.points > 0
    assert fresh.score - known.score == pytest.approx(novelty.points, abs=0.2)


def test_rare_topics_weigh_more() -> None:
    net = network()
    assert net.topic_weight("mentoring") > net.topic_weight("early-outreach")
    common_only = topic_fit(["early-outreach", "mentoring"], frozenset({"early-outreach"}), net.topic_weight)
    rare_only = topic_fit(["early-outreach", "mentoring"], frozenset({"mentoring"}), net.topic_weight)
    assert rare_only > common_only


def test_weights_are_configurable() -> None:
    topics_only = PartnerWeights(topics=1, target_groups=0, reciprocity=0, text=0, novelty=0)
    (found,) = suggest_partners(network(), "req", weights=topics_only)
    topic_part = next(p for p in found.parts if p.name == "topics")
    assert found.score == pytest.approx(100 * topic_part.fit, abs=0.1)


def test_country_spread_reorders_but_keeps_scores() -> None:
    twins = [replace(OFFER, id=f"es-{n}") for n in range(3)]
    other_host = Organisation(id="de-host", country="DE", languages=("en",), expertise=("mentoring",))
    german = replace(OFFER, id="de", organisation="de-host", topics=("mentoring",))
    net = Network([BORAS, SOC, other_host], [REQUEST, *twins, german])
    plain = suggest_partners(net, "req")
    spread = suggest_partners(net, "req", weights=PartnerWeights(country_spread=50))
    assert [s.country for s in plain][-1] == "DE"
    assert [s.country for s in spread][:2] == ["ES", "DE"]
    moved = next(s for s in spread if s.country == "DE")
    assert moved.score == next(s for s in plain if s.country == "DE").score
    assert moved.reasons[-1].code == "country-spread"


def test_organisations_to_invite() -> None:
    found = organisations_to_invite(network(), "req")
    assert [s.organisation for s in found] == ["quiet"]  # NAV shares no language, SOC has an offer
    assert found[0].opportunity is None
    assert found[0].reasons[-1].code == "invite"
    bigger = replace(REQUEST, id="big", group_size=5)  # hosting capacity 3: a penalty, not a cut
    (penalised,) = organisations_to_invite(network(bigger), "big")
    assert penalised.score < found[0].score
    assert any(r.code == "group-oversized" for r in penalised.reasons)
    too_big = replace(REQUEST, id="too-big", group_size=7)
    assert organisations_to_invite(network(too_big), "too-big") == []  # more than twice the capacity


def test_unknown_opportunity() -> None:
    with pytest.raises(KeyError, match="nope"):
        suggest_partners(network(), "nope")


def test_reasons_serialise_for_translation() -> None:
    reason = suggest_partners(network(), "req")[0].reasons[0]
    data = reason.as_dict()
    assert data["template"].startswith("They can show: {topics}")
    assert data["params"]["topics"] == ["early-outreach", "skills-mapping"]

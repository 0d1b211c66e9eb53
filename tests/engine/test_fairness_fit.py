"""The fairness report compares fit quality as well as placement rates, and suppresses small groups."""

from __future__ import annotations

import pytest

from matchmaking.engine.allocation_round import Monitoring, run_round
from matchmaking.engine.fairness import fairness_audit
from matchmaking.engine.people import Participant, Placement, Skill


def test_equal_rates_but_poor_fit_is_flagged() -> None:
    """The reported case: everyone placed (ratio 1.0 on rates), fit 13 against 34."""
    groups = ["fewer"] * 5 + ["others"] * 5
    scores = [13.0] * 5 + [34.0] * 5
    audit = fairness_audit(list(range(10)), groups, scores=scores, min_group=5)
    fewer = {g.group: g for g in audit.groups}["fewer"]
    assert fewer.ratio_to_best == pytest.approx(1.0)
    assert fewer.mean_fit_placed == pytest.approx(13.0)
    assert fewer.fit_ratio == pytest.approx(13 / 34)
    assert fewer.flagged
    assert audit.best_fit_group == "others"
    assert [r.code for r in audit.reasons()] == ["fairness-fit-flag"]


def test_mean_fit_of_all_counts_the_unplaced_as_zero() -> None:
    audit = fairness_audit([0, -1], ["a", "a"], scores=[60.0, None])
    (row,) = audit.groups
    assert row.mean_fit_placed == pytest.approx(60.0)
    assert row.mean_fit_all == pytest.approx(30.0)


def test_groups_under_the_minimum_are_suppressed_not_compared() -> None:
    groups = ["big"] * 5 + ["small"] * 2
    assignment = [0, 1, 2, 3, 4, -1, -1]
    audit = fairness_audit(assignment, groups, scores=[50.0] * 5 + [None, None], min_group=5)
    small = {g.group: g for g in audit.groups}["small"]
    assert small.suppressed
    assert not small.flagged
    assert small.fit_ratio is None
    assert small.ratio_to_best == 1.0
    assert audit.best_group == "big"
    assert audit.reasons() == []


def test_a_suppressed_group_is_never_the_best() -> None:
    groups = ["big"] * 6 + ["small"]
    assignment = [0, 1, 2, -1, -1, -1, 3]
    audit = fairness_audit(assignment, groups, min_group=5)
    assert audit.best_group == "big"
    assert not any(g.flagged for g in audit.groups)


def test_rounds_report_fit_by_group_with_small_groups_suppressed() -> None:
    people = [Participant(f"p{n}", skills=(Skill("cook"),) if n < 5 else ()) for n in range(10)]
    kitchen = Placement("q1", seats=10, required_skills=("cook",), desired_skills=("serve",))
    monitoring = [
        Monitoring(groups={"g": "a" if n < 5 else "b", "tiny": "x" if n == 0 else "y"}) for n in range(10)
    ]
    result = run_round(people, [kitchen], monitoring, "stable")
    by_group = {g.group: g for g in result.audits["g"].groups}
    assert by_group["a"].rate == by_group["b"].rate == 1.0
    assert by_group["b"].flagged  # placed as often, at a far poorer fit
    assert {g.group: g.suppressed for g in result.audits["tiny"].groups} == {"x": True, "y": False}

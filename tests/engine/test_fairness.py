"""Fairness audit: rates per group, ratio to the best group, the 0.8 flag."""

from __future__ import annotations

import pytest

from matchmaking.engine.fairness import fairness_audit


def test_rates_ratios_and_flags() -> None:
    assignment = [0, 1, -1, -1, 2, -1, 3, 4]
    groups = ["a", "a", "a", "a", "b", "b", "c", None]
    audit = fairness_audit(assignment, groups)
    by_group = {g.group: g for g in audit.groups}
    assert audit.best_group == "c"
    assert by_group["a"].rate == pytest.approx(0.5)
    assert by_group["a"].ratio_to_best == pytest.approx(0.5)
    assert by_group["a"].flagged
    assert by_group["c"].ratio_to_best == pytest.approx(1.0)
    assert not by_group["c"].flagged
    assert [g.group for g in audit.flagged] == ["a", "b"]
    assert sum(g.participants for g in audit.groups) == 7  # the unlabelled participant is left out
    assert "please review" in audit.reasons()[0].text


def test_nobody_placed_flags_nobody() -> None:
    audit = fairness_audit([-1, -1], ["a", "b"])
    assert audit.flagged == ()


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="1 group labels for 2 participants"):
        fairness_audit([0, 1], ["a"])

"""Optimal allocation: checked against an integer program (scipy) and brute force on small instances."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from matchmaking.engine.allocation import optimal_allocation
from matchmaking.engine.optimal import SCORE_STEPS_PER_POINT, CandidatePairs

Instance = tuple[int, list[int], CandidatePairs, list[bool], int]


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 4))
    cells = [(i, j) for i in range(n) for j in range(m)]
    chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    scores = [draw(st.integers(0, 1000)) / SCORE_STEPS_PER_POINT for _ in chosen]
    pairs = CandidatePairs.of([c[0] for c in chosen], [c[1] for c in chosen], scores)
    capacities = [draw(st.integers(0, 3)) for _ in range(m)]
    flagged = [draw(st.booleans()) for _ in range(n)]
    floor = draw(st.integers(0, 4))
    return n, capacities, pairs, flagged, floor


def solve_milp(
    n: int, capacities: list[int], pairs: CandidatePairs, flagged: list[bool], floor: int
) -> tuple[int, float] | None:
    """(placed, total score) of the lexicographic optimum with the floor, or None if infeasible."""
    edges = len(pairs.score)
    if edges == 0:
        return (0, 0.0) if floor <= 0 else None
    big = 1000 * n + 1
    objective = -(big + np.rint(pairs.score * SCORE_STEPS_PER_POINT))
    rows = []
    upper = []
    lower = []
    for i in range(n):
        rows.append(pairs.participant == i)
        lower.append(0)
        upper.append(1)
    for j, seats in enumerate(capacities):
        rows.append(pairs.placement == j)
        lower.append(0)
        upper.append(seats)
    rows.append(np.asarray(flagged)[pairs.participant])
    lower.append(floor)
    upper.append(np.inf)
    constraint = LinearConstraint(np.array(rows, dtype=float), lower, upper)
    result = milp(objective, constraints=[constraint], integrality=np.ones(edges), bounds=Bounds(0, 1))
    if not result.success:
        return None
    chosen = result.x > 0.5
    return int(chosen.sum()), float(pairs.score[chosen].sum())


@settings(max_examples=120, deadline=None)
@given(instances())
def test_matches_integer_program(instance: Instance) -> None:
    n, capacities, pairs, flagged, floor = instance
    result = optimal_allocation(n, capacities, pairs, fewer_opportunities=flagged, floor=floor)
    expected = solve_milp(n, capacities, pairs, flagged, floor)
    if expected is None:
        assert not result.floor_met
        best = solve_milp(n, capacities, pairs, flagged, result.fewer_opportunities_placed)
        assert best is not None
        assert solve_milp(n, capacities, pairs, flagged, result.fewer_opportunities_placed + 1) is None
        assert (result.placed, round(result.total_score, 6)) == (best[0], round(best[1], 6))
    else:
        assert result.floor_met
        assert result.fewer_opportunities_placed >= floor
        assert (result.placed, round(result.total_score, 6)) == (expected[0], round(expected[1], 6))


@settings(max_examples=60, deadline=None)
@given(instances())
def test_assignment_is_feasible(instance: Instance) -> None:
    n, capacities, pairs, flagged, floor = instance
    result = optimal_allocation(n, capacities, pairs, fewer_opportunities=flagged, floor=floor)
    allowed = set(zip(pairs.participant.tolist(), pairs.placement.tolist(), strict=True))
    for i, j in enumerate(result.assignment.tolist()):
        if j >= 0:
            assert (i, j) in allowed
    for j, seats in enumerate(capacities):
        assert int((result.assignment == j).sum()) <= seats


def brute_force(n: int, capacities: list[int], pairs: CandidatePairs) -> tuple[int, float]:
    options: list[list[tuple[int, float]]] = [[(-1, 0.0)] for _ in range(n)]
    for i, j, s in zip(
        pairs.participant.tolist(), pairs.placement.tolist(), pairs.score.tolist(), strict=True
    ):
        options[i].append((j, s))
    best = (0, 0.0)
    for combo in itertools.product(*options):
        used = [j for j, _ in combo if j >= 0]
        if all(used.count(j) <= c for j, c in enumerate(capacities)):
            best = max(best, (len(used), round(sum(s for _, s in combo), 6)))
    return best


@settings(max_examples=40, deadline=None)
@given(instances())
def test_matches_brute_force_without_floor(instance: Instance) -> None:
    n, capacities, pairs, _flagged, _floor = instance
    if n > 6:
        n = 6
        keep = pairs.participant < n
        pairs = CandidatePairs(pairs.participant[keep], pairs.placement[keep], pairs.score[keep])
    result = optimal_allocation(n, capacities, pairs)
    assert (result.placed, round(result.total_score, 6)) == brute_force(n, capacities, pairs)


def test_placing_more_beats_a_higher_score() -> None:
    # Participant 0 could take the single seat with 100 points, but then participant 1 is unplaced.
    pairs = CandidatePairs.of([0, 0, 1], [0, 1, 0], [100, 1, 1])
    result = optimal_allocation(2, [1, 1], pairs)
    assert result.assignment.tolist() == [1, 0]


def test_floor_changes_who_is_placed_and_is_reported() -> None:
    pairs = CandidatePairs.of([0, 1], [0, 0], [90, 10])
    plain = optimal_allocation(2, [1], pairs, fewer_opportunities=[False, True])
    assert plain.assignment.tolist() == [0, -1]
    floored = optimal_allocation(2, [1], pairs, fewer_opportunities=[False, True], floor=1)
    assert floored.assignment.tolist() == [-1, 0]
    assert floored.floor_met
    assert floored.reasons[0].code == "floor-met"


def test_infeasible_floor_is_reported_with_the_reachable_value() -> None:
    pairs = CandidatePairs.of([0, 1, 2], [0, 0, 1], [50, 50, 50])
    result = optimal_allocation(3, [1, 1], pairs, fewer_opportunities=[True, True, False], floor=2)
    assert not result.floor_met
    assert result.fewer_opportunities_placed == 1
    assert result.placed == 2
    reason = result.reasons[0]
    assert reason.code == "floor-not-met"
    assert reason.params == {"floor": 2, "reached": 1}
    assert "cannot be met" in reason.text


def test_floor_above_flagged_count_is_not_met() -> None:
    pairs = CandidatePairs.of([0], [0], [50])
    result = optimal_allocation(1, [1], pairs, fewer_opportunities=[True], floor=3)
    assert not result.floor_met
    assert result.fewer_opportunities_placed == 1


@pytest.mark.parametrize(
    ("participant", "placement", "score", "message"),
    [
        ([5], [0], [1.0], "participant index out of range"),
        ([0], [4], [1.0], "placement index out of range"),
        ([0], [0], [101.0], "between 0 and 100"),
    ],
)
def test_bad_pairs_rejected(
    participant: list[int], placement: list[int], score: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        optimal_allocation(1, [1], CandidatePairs.of(participant, placement, score))

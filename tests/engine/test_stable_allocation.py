"""Stable allocation: identical to the `matching` package's resident-optimal solution, and stable."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from matchmaking.engine import allocation
from matchmaking.engine.allocation import stable_allocation
from matchmaking.engine.preferences import PreferenceLists

Instance = tuple[list[list[int]], list[list[int]], list[int]]


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    """Random hospitals/residents instances, with some one-sided (unacceptable) preferences."""
    n = draw(st.integers(0, 25))
    m = draw(st.integers(1, 8))
    participant_prefs = [
        draw(st.lists(st.integers(0, m - 1), unique=True, max_size=min(m, 5))) for _ in range(n)
    ]
    applicants: list[list[int]] = [[] for _ in range(m)]
    for i, prefs in enumerate(participant_prefs):
        for j in prefs:
            applicants[j].append(i)
    placement_prefs = []
    for j in range(m):
        kept = [i for i in applicants[j] if draw(st.integers(0, 9)) > 0]
        extra = draw(st.lists(st.integers(0, max(n - 1, 0)), unique=True, max_size=2)) if n else []
        ordered = draw(st.permutations(sorted(set(kept) | set(extra))))
        placement_prefs.append(list(ordered))
    capacities = [draw(st.integers(0, 4)) for _ in range(m)]
    return participant_prefs, placement_prefs, capacities


def reference(
    participant_prefs: list[list[int]], placement_prefs: list[list[int]], capacities: list[int]
) -> list[int]:
    """The `matching` package's resident-optimal solution, one-sided preferences cleaned away.

    That package fails on a placement with no seats, so such placements are left out of its input
    (nobody can be allocated to them either way).
    """
    n = len(participant_prefs)
    open_places = {j for j, seats in enumerate(capacities) if seats > 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            {i: [j for j in prefs if j in open_places] for i, prefs in enumerate(participant_prefs)},
            {j: placement_prefs[j] for j in open_places},
            {j: capacities[j] for j in open_places},
            clean=True,
        )
        solution = game.solve(optimal="resident")
    result = [-1] * n
    for hospital, residents in solution.items():
        for resident in residents:
            result[resident.name] = hospital.name
    return result


def blocking_pairs(
    assignment: list[int],
    participant_prefs: list[list[int]],
    placement_prefs: list[list[int]],
    capacities: list[int],
) -> list[tuple[int, int]]:
    """Pairs that would both rather be together: the definition of instability."""
    rank = [{i: r for r, i in enumerate(prefs)} for prefs in placement_prefs]
    holders: list[list[int]] = [[] for _ in placement_prefs]
    for i, j in enumerate(assignment):
        if j >= 0:
            holders[j].append(i)
    found = []
    for i, prefs in enumerate(participant_prefs):
        for j in prefs:
            if j == assignment[i]:
                break
            if i not in rank[j]:
                continue
            full = len(holders[j]) >= capacities[j]
            if not full or any(rank[j][i] < rank[j][h] for h in holders[j]):
                found.append((i, j))
    return found


@settings(max_examples=150, deadline=None)
@given(instances())
def test_identical_to_matching_package(instance: Instance) -> None:
    participant_prefs, placement_prefs, capacities = instance
    ours = stable_allocation(participant_prefs, placement_prefs, capacities).tolist()
    assert ours == reference(participant_prefs, placement_prefs, capacities)


@settings(max_examples=80, deadline=None)
@given(instances())
def test_stable_within_capacity_and_acceptable(instance: Instance) -> None:
    participant_prefs, placement_prefs, capacities = instance
    ours = stable_allocation(participant_prefs, placement_prefs, capacities).tolist()
    for j, seats in enumerate(capacities):
        assert ours.count(j) <= seats
    for i, j in enumerate(ours):
        if j >= 0:
            assert j in participant_prefs[i]
            assert i in placement_prefs[j]
    assert blocking_pairs(ours, participant_prefs, placement_prefs, capacities) == []


@settings(max_examples=60, deadline=None)
@given(instances())
def test_search_path_equals_table_path(instance: Instance) -> None:
    participant_prefs, placement_prefs, capacities = instance
    table = stable_allocation(participant_prefs, placement_prefs, capacities)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(allocation, "FORCE_SEARCH", True)
        searched = stable_allocation(participant_prefs, placement_prefs, capacities)
    assert table.tolist() == searched.tolist()


def test_textbook_example() -> None:
    # Two placements with one seat each; both participants prefer placement 0, which prefers 1.
    result = stable_allocation([[0, 1], [0, 1]], [[1, 0], [0, 1]], [1, 1])
    assert result.tolist() == [1, 0]


def test_accepts_arrays_and_prepared_lists() -> None:
    padded = np.array([[0, 1], [0, -1]])
    prepared = PreferenceLists(np.array([0, 2, 4]), np.array([1, 0, 0, 1], dtype=np.int32))
    assert stable_allocation(padded, prepared, [1, 1]).tolist() == [1, 0]


def test_empty_instance() -> None:
    assert stable_allocation([], [[], []], [1, 2]).tolist() == []
    assert stable_allocation([[], []], [[]], [3]).tolist() == [-1, -1]


@pytest.mark.parametrize(
    ("participants", "placements", "capacities", "message"),
    [
        ([[0, 5]], [[0]], [1], "participant 0 lists 5"),
        ([[0]], [[0, 3]], [1], "placement 0 lists 3"),
        ([[0]], [[0, 0]], [1], "lists participant 0 more than once"),
        ([[0]], [[0]], [-1], "negative number of seats"),
        ([[0]], [[0], [0]], [1], "2 placement lists but 1 capacities"),
    ],
)
def test_bad_input_is_named(
    participants: list[list[int]], placements: list[list[int]], capacities: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        stable_allocation(participants, placements, capacities)


def test_duplicate_found_on_search_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "FORCE_SEARCH", True)
    with pytest.raises(ValueError, match="more than once"):
        stable_allocation([[0]], [[0, 0]], [1])

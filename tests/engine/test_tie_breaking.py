"""Ties are broken in a neutral order: the "fewer opportunities" flag acts only through the floor.

The probe behind these tests: in optimal rounds with floor 0, setting the flag changed who was
placed among equally scored allocations. Here 300 seeded rounds, full of equal scores, are run with
everybody unflagged and again with random flags; with floor 0 nothing may change.
"""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from matchmaking.engine.allocation_round import (
    OPTIMAL,
    STABLE,
    Monitoring,
    allocate_scored,
    run_round,
    score_all,
)
from matchmaking.engine.optimal import (
    SCORE_STEPS_PER_POINT,
    CandidatePairs,
    OptimalAllocation,
    optimal_allocation,
)
from matchmaking.engine.people import Participant, Placement, Skill

SKILLS = tuple(f"esco:skill-{k}" for k in range(6))
OCCUPATIONS = ("esco:cook", "esco:carer", "esco:mechanic")


def random_round(rng: random.Random) -> tuple[list[Participant], list[Placement]]:
    """A round of 10–40 people and 3–15 placements whose scores come in few distinct values."""
    people = [
        Participant(
            id=f"p{rng.randrange(10**6):06d}-{i}",
            skills=tuple(Skill(s) for s in rng.sample(SKILLS, rng.randint(0, 3))),
            occupation_interests=tuple(rng.sample(OCCUPATIONS, rng.randint(0, 1))),
        )
        for i in range(rng.randint(10, 40))
    ]
    places = [
        Placement(
            id=f"q{rng.randrange(10**6):06d}-{j}",
            seats=rng.randint(1, 3),
            occupation=rng.choice(OCCUPATIONS),
            required_skills=tuple(rng.sample(SKILLS, rng.randint(1, 2))),
            desired_skills=tuple(rng.sample(SKILLS, rng.randint(0, 1))),
        )
        for j in range(rng.randint(3, 15))
    ]
    return people, places


def flags_for(rng: random.Random, n: int) -> list[Monitoring]:
    return [Monitoring(rng.random() < 0.4) for _ in range(n)]


def test_flags_change_nothing_with_floor_zero_in_300_seeded_rounds() -> None:
    changed = {"stable": 0, "optimal": 0}
    for seed in range(300):
        rng = random.Random(seed)
        people, places = random_round(rng)
        unflagged = [Monitoring() for _ in people]
        flagged = flags_for(rng, len(people))
        flipped = [Monitoring(not m.fewer_opportunities) for m in flagged]
        matches = score_all(people, places)
        ids, seats = [p.id for p in people], [q.seats for q in places]
        for method in changed:
            plain = allocate_scored(matches, ids, seats, unflagged, method).assignment
            if any(
                allocate_scored(matches, ids, seats, monitoring, method).assignment != plain
                for monitoring in (flagged, flipped)
            ):
                changed[method] += 1
    assert changed == {"stable": 0, "optimal": 0}


# Property tests over instances of realistic size with many equal scores. What they check, and why
# it holds (F: the flagged participants, t: the floor the allocation honours, min(floor, the most
# flagged participants any allocation can place)):
#
# 1. floor 0: the network does not contain the flags, so the allocation is the same whatever they are
#    (exact, by construction);
# 2. a floor: at least t flagged participants are placed, and (number placed, total score) is the
#    optimum of the integer program with that floor (exact);
# 3. a floor that the floor-0 allocation already meets changes nothing (exact, by construction);
# 4. unflagging people the floor does not need (unplaced flagged people, and placed ones beyond t)
#    changes nobody's placement. With F' ⊆ F, the allocations meeting t with F' are a subset of
#    those meeting it with F, and the allocation found for F is among them, so it stays the best;
#    this needs the best allocation to be unique, which the tie-break numbers make so except when
#    two allocations have the same sum of 32-bit numbers (odds of the order of 2^-32 per pair of
#    allocations compared).

SCORES = st.sampled_from([0.0, 20.0, 40.0, 50.0, 60.0, 80.0, 100.0])


@st.composite
def instances(draw: st.DrawFn) -> tuple[int, list[int], CandidatePairs, list[bool]]:
    """10–40 participants, 3–15 placements with 0–3 seats, few distinct scores: many ties."""
    n = draw(st.integers(10, 40))
    m = draw(st.integers(3, 15))
    rng = draw(st.randoms(use_true_random=False))
    density = draw(st.floats(0.1, 0.6))
    cells = [(i, j) for i in range(n) for j in range(m) if rng.random() < density]
    scores = [draw(SCORES) if rng.random() < 0.8 else rng.randint(0, 1000) / 10 for _ in cells]
    pairs = CandidatePairs.of([c[0] for c in cells], [c[1] for c in cells], scores)
    capacities = [rng.randint(0, 3) for _ in range(m)]
    flagged = [rng.random() < draw(st.floats(0.05, 0.5)) for _ in range(n)]
    return n, capacities, pairs, flagged


def honoured_floor(result: OptimalAllocation) -> int:
    if result.floor_met:
        return result.floor
    return int(result.reasons[0].params["reached"])


@settings(max_examples=40, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_optimal_with_floor_zero_ignores_the_flags(
    instance: tuple[int, list[int], CandidatePairs, list[bool]], rng: random.Random
) -> None:
    n, capacities, pairs, flagged = instance
    shuffled = rng.sample(flagged, n)
    results = [
        optimal_allocation(n, capacities, pairs, fewer_opportunities=flags).assignment.tolist()
        for flags in (None, flagged, [not f for f in flagged], shuffled)
    ]
    assert results[0] == results[1] == results[2] == results[3]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 6))
def test_round_with_floor_zero_ignores_the_flags_for_both_methods(rng: random.Random, floor: int) -> None:
    people, places = random_round(rng)
    matches = score_all(people, places)
    ids, seats = [p.id for p in people], [q.seats for q in places]
    flagged = flags_for(rng, len(people))
    for method in (STABLE, OPTIMAL):
        plain = allocate_scored(matches, ids, seats, [Monitoring() for _ in people], method)
        again = allocate_scored(matches, ids, seats, flagged, method)
        assert again.assignment == plain.assignment
    # The floor is the optimal method's: stable ignores it, whatever the flags.
    assert (
        allocate_scored(matches, ids, seats, flagged, STABLE, floor=floor).assignment
        == allocate_scored(matches, ids, seats, [Monitoring() for _ in people], STABLE).assignment
    )


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_input_order_changes_nobody_s_placement(rng: random.Random) -> None:
    people, places = random_round(rng)
    monitoring = flags_for(rng, len(people))
    order = rng.sample(range(len(people)), len(people))
    place_order = rng.sample(range(len(places)), len(places))
    for method in (STABLE, OPTIMAL):
        first = run_round(people, places, monitoring, method)
        second = run_round(
            [people[i] for i in order],
            [places[j] for j in place_order],
            [monitoring[i] for i in order],
            method,
        )
        placed = {o.participant: places[o.placement].id for o in first.outcomes if o.placed}
        again = {o.participant: places[place_order[o.placement]].id for o in second.outcomes if o.placed}
        assert placed == again


@settings(max_examples=30, deadline=None)
@given(instances(), st.integers(1, 10))
def test_floor_is_met_as_far_as_possible_and_the_score_is_optimal_under_it(
    instance: tuple[int, list[int], CandidatePairs, list[bool]], floor: int
) -> None:
    n, capacities, pairs, flagged = instance
    result = optimal_allocation(n, capacities, pairs, fewer_opportunities=flagged, floor=floor)
    reachable = most_flagged(n, capacities, pairs, flagged)
    honoured = min(floor, reachable)
    assert result.floor_met == (floor <= reachable)
    assert honoured_floor(result) == honoured
    assert result.fewer_opportunities_placed >= honoured
    assert result.fewer_opportunities_placed == int(
        sum(flagged[i] for i, j in enumerate(result.assignment.tolist()) if j >= 0)
    )
    best = lexicographic_optimum(n, capacities, pairs, flagged, honoured)
    assert (result.placed, round(result.total_score, 6)) == best


@settings(max_examples=40, deadline=None)
@given(instances(), st.integers(1, 10), st.randoms(use_true_random=False))
def test_flags_the_floor_does_not_need_change_nobody_s_placement(
    instance: tuple[int, list[int], CandidatePairs, list[bool]], floor: int, rng: random.Random
) -> None:
    n, capacities, pairs, flagged = instance
    plain = optimal_allocation(n, capacities, pairs).assignment
    result = optimal_allocation(n, capacities, pairs, fewer_opportunities=flagged, floor=floor)
    placed = result.assignment >= 0
    if sum(f for f, p in zip(flagged, placed.tolist(), strict=True) if p) >= floor and (
        sum(f for f, p in zip(flagged, (plain >= 0).tolist(), strict=True) if p) >= floor
    ):
        assert result.assignment.tolist() == plain.tolist()  # property 3
    keep = honoured_floor(result)
    placed_flagged = [i for i in range(n) if flagged[i] and placed[i]]
    spare = rng.sample(placed_flagged, rng.randint(0, len(placed_flagged) - keep))
    unneeded = {i for i in range(n) if flagged[i] and not placed[i] and rng.random() < 0.7} | set(spare)
    fewer = [f and i not in unneeded for i, f in enumerate(flagged)]
    again = optimal_allocation(n, capacities, pairs, fewer_opportunities=fewer, floor=floor)
    assert again.assignment.tolist() == result.assignment.tolist()  # property 4
    assert honoured_floor(again) == keep


def most_flagged(n: int, capacities: list[int], pairs: CandidatePairs, flagged: list[bool]) -> int:
    """The most flagged participants any allocation places (an integer program)."""
    weights = np.asarray(flagged, dtype=float)[pairs.participant]
    if not weights.any():
        return 0
    found = _milp(-weights, n, capacities, pairs, None)
    return round(float(weights[found].sum()))


def lexicographic_optimum(
    n: int, capacities: list[int], pairs: CandidatePairs, flagged: list[bool], floor: int
) -> tuple[int, float]:
    """(placed, total score) of the best allocation placing at least ``floor`` flagged participants."""
    if len(pairs.score) == 0:
        return (0, 0.0)
    steps = np.rint(pairs.score * SCORE_STEPS_PER_POINT)
    big = 1000 * n + 1
    found = _milp(-(big + steps), n, capacities, pairs, (np.asarray(flagged)[pairs.participant], floor))
    return int(found.sum()), round(float(pairs.score[found].sum()), 6)


def _milp(
    objective: npt.NDArray[np.float64],
    n: int,
    capacities: list[int],
    pairs: CandidatePairs,
    floor: tuple[npt.NDArray[np.bool_], int] | None,
) -> npt.NDArray[np.bool_]:
    rows = [pairs.participant == i for i in range(n)] + [pairs.placement == j for j in range(len(capacities))]
    upper: list[float] = [1] * n + [float(c) for c in capacities]
    lower: list[float] = [0] * len(rows)
    if floor is not None:
        rows.append(floor[0])
        lower.append(floor[1])
        upper.append(np.inf)
    constraint = LinearConstraint(np.array(rows, dtype=float), lower, upper)
    result = milp(
        objective,
        constraints=[constraint],
        integrality=np.ones(len(objective)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    assert result.success
    chosen: npt.NDArray[np.bool_] = result.x > 0.5
    return chosen

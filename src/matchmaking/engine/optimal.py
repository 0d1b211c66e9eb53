"""Optimal allocation: place as many participants as possible, then maximise the total score.

A min-cost flow network, solved by OR-Tools::

    source ──1──> participant ──1, cost −(BIG + score)──> placement ──seats──> sink
    source ──────────────────── bypass, cost 0 ─────────────────────────────> sink

Every unit of flow is one participant, placed or sent down the bypass. ``BIG`` is larger than any
possible total score, so one more placed participant always beats any gain in score: the solver
finds the largest number of placements first, and the best total score among those.

The optional *floor* (at least N placed participants flagged "fewer opportunities") is a lower
bound on the arc from the source to a hub that feeds the flagged participants. Lower bounds become
supplies: the hub gets N units it must push through flagged participants, the source N fewer. When
no allocation can meet the floor, the solver says so; we then find the largest floor that can be
met, solve with that, and report both numbers. Because a set of participants that can be placed
together can always be extended to a largest possible placement (bipartite matching forms a
matroid), honouring a feasible floor never lowers the number of people placed.

Arcs are added in bulk from numpy arrays: adding them one call at a time is the slow part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from matchmaking.engine.preferences import IntArray
from matchmaking.engine.reasons import Reason

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SCORE_STEPS_PER_POINT = 10  # scores are optimised to 0.1 point


@dataclass(frozen=True)
class CandidatePairs:
    """The pairs an optimal allocation may use, as parallel arrays so large rounds stay cheap.

    Attributes
    ----------
    participant, placement : numpy.ndarray of int64
        Indices.
    score : numpy.ndarray of float64
        The pair's score, 0–100.

    Examples
    --------
    >>> CandidatePairs.of([0, 0, 1], [0, 1, 0], [90.0, 50.0, 80.0]).score.tolist()
    [90.0, 50.0, 80.0]
    """

    participant: IntArray
    placement: IntArray
    score: FloatArray

    @classmethod
    def of(
        cls,
        participant: Sequence[int] | npt.NDArray[np.integer],
        placement: Sequence[int] | npt.NDArray[np.integer],
        score: Sequence[float] | npt.NDArray[np.floating],
    ) -> CandidatePairs:
        pairs = cls(
            np.asarray(participant, dtype=np.int64),
            np.asarray(placement, dtype=np.int64),
            np.asarray(score, dtype=np.float64),
        )
        if not len(pairs.participant) == len(pairs.placement) == len(pairs.score):
            raise ValueError("participant, placement and score must have the same length")
        return pairs


@dataclass(frozen=True)
class OptimalAllocation:
    """The result of an optimal allocation, with the floor's report.

    Attributes
    ----------
    assignment : numpy.ndarray of int64
        Each participant's placement index, or -1.
    placed : int
    total_score : float
        Sum of the scores of the pairs used.
    floor : int
        The floor asked for.
    floor_met : bool
    fewer_opportunities_placed : int
    reasons : tuple of Reason
        Says whether the floor was met, and if not the best reachable number.
    """

    assignment: IntArray
    placed: int
    total_score: float
    floor: int
    floor_met: bool
    fewer_opportunities_placed: int
    reasons: tuple[Reason, ...]


def optimal_allocation(
    n_participants: int,
    capacities: Sequence[int] | npt.NDArray[np.integer],
    pairs: CandidatePairs,
    *,
    fewer_opportunities: Sequence[bool] | BoolArray | None = None,
    floor: int = 0,
) -> OptimalAllocation:
    """Most participants placed, then the highest total score, with at least ``floor`` flagged placed.

    Placing people comes first because an unplaced person loses more than a placed one gains from
    a better fit. ``fewer_opportunities`` flags participants for the positive-action floor only; it
    never changes a score. A floor that cannot be met is lowered to the best reachable value and
    reported.

    Parameters
    ----------
    n_participants : int
    capacities : sequence of int
        Seats per placement.
    pairs : CandidatePairs
        The acceptable pairs and their scores; other pairs are never used.
    fewer_opportunities : sequence of bool, optional
        Per participant, for the floor only.
    floor : int, optional
        At least this many flagged participants placed, when any allocation can do it.

    Returns
    -------
    OptimalAllocation

    Examples
    --------
    One seat, two candidates: the better score wins unless the floor asks for the flagged one.

    >>> pairs = CandidatePairs.of([0, 1], [0, 0], [90.0, 60.0])
    >>> optimal_allocation(2, [1], pairs).assignment.tolist()
    [0, -1]
    >>> found = optimal_allocation(2, [1], pairs, fewer_opportunities=[False, True], floor=1)
    >>> found.assignment.tolist(), found.floor_met
    ([-1, 0], True)
    """
    seats = np.asarray(capacities, dtype=np.int64)
    flagged = _flags(fewer_opportunities, n_participants)
    _check_pairs(pairs, n_participants, len(seats))
    network = _Network(n_participants, seats, pairs, flagged)
    reasons: list[Reason] = []
    met = True
    target = min(max(floor, 0), int(flagged.sum()))
    if floor > target:
        met = False
    assignment = network.solve(target)
    if assignment is None:
        met = False
        target = network.most_flagged_placeable()
        assignment = network.solve(target)
        if assignment is None:  # pragma: no cover - the reduced floor is always reachable
            raise RuntimeError("the allocation could not be solved")
    if floor > 0:
        reasons.append(_floor_reason(floor, target, met))
    placed = assignment >= 0
    return OptimalAllocation(
        assignment=assignment,
        placed=int(placed.sum()),
        total_score=network.total_score(),
        floor=floor,
        floor_met=met,
        fewer_opportunities_placed=int((placed & flagged).sum()),
        reasons=tuple(reasons),
    )


def _flags(fewer_opportunities: Sequence[bool] | BoolArray | None, n: int) -> BoolArray:
    if fewer_opportunities is None:
        return np.zeros(n, dtype=np.bool_)
    flags = np.asarray(fewer_opportunities, dtype=np.bool_)
    if len(flags) != n:
        raise ValueError(f"{len(flags)} 'fewer opportunities' flags for {n} participants")
    return flags


def _check_pairs(pairs: CandidatePairs, n: int, m: int) -> None:
    if len(pairs.participant) == 0:
        return
    if pairs.participant.min() < 0 or pairs.participant.max() >= n:
        raise ValueError("a candidate pair names a participant index out of range")
    if pairs.placement.min() < 0 or pairs.placement.max() >= m:
        raise ValueError("a candidate pair names a placement index out of range")
    if not np.all(np.isfinite(pairs.score)) or pairs.score.min() < 0 or pairs.score.max() > 100:
        raise ValueError("candidate scores must be numbers between 0 and 100")


def _floor_reason(floor: int, reached: int, met: bool) -> Reason:
    if met:
        return Reason.of(
            "floor-met",
            "At least {floor} participants with fewer opportunities are placed, as the floor asks",
            floor=floor,
        )
    return Reason.of(
        "floor-not-met",
        "The floor of {floor} participants with fewer opportunities cannot be met: at most "
        "{reached} of them can be placed in any allocation; this allocation places {reached}",
        floor=floor,
        reached=reached,
    )


class _Network:
    """Node numbering: 0 source, 1 sink, 2 hub, then participants, then placements."""

    def __init__(self, n: int, seats: IntArray, pairs: CandidatePairs, flagged: BoolArray) -> None:
        self.n = n
        self.seats = seats
        self.pairs = pairs
        self.flagged = flagged
        self.steps = np.rint(pairs.score * SCORE_STEPS_PER_POINT).astype(np.int64)
        most = 100 * SCORE_STEPS_PER_POINT
        self.big = most * max(1, min(n, int(seats.sum()))) + 1
        self.used = np.zeros(len(self.steps), dtype=np.bool_)

    def solve(self, floor: int) -> IntArray | None:
        """Solve with a floor; ``None`` if no allocation meets it."""
        flow, pair_arcs = self._build(floor)
        status = flow.solve()
        if status == flow.INFEASIBLE:
            return None
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow stopped with status {status}")
        used = flow.flows(pair_arcs) > 0
        self.used = used
        assignment = np.full(self.n, -1, dtype=np.int64)
        assignment[self.pairs.participant[used]] = self.pairs.placement[used]
        return assignment

    def _build(self, floor: int) -> tuple[min_cost_flow.SimpleMinCostFlow, IntArray]:
        n, m = self.n, len(self.seats)
        people = 3 + np.arange(n, dtype=np.int64)
        places = 3 + n + np.arange(m, dtype=np.int64)
        n_flagged = int(self.flagged.sum())
        feed = np.where(self.flagged, 2, 0)
        tails = np.concatenate(([0, 0], feed, self.pairs.participant + 3, places))
        heads = np.concatenate(([1, 2], people, self.pairs.placement + 3 + n, np.ones(m, np.int64)))
        caps = np.concatenate(([n, n_flagged - floor], np.ones(n + len(self.steps), np.int64), self.seats))
        costs = np.concatenate((np.zeros(2 + n, np.int64), -(self.big + self.steps), np.zeros(m, np.int64)))
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        flow.set_nodes_supplies(np.array([0, 1, 2]), np.array([n - floor, -n, floor]))
        first_pair = 2 + n
        return flow, np.asarray(arcs[first_pair : first_pair + len(self.steps)], dtype=np.int64)

    def most_flagged_placeable(self) -> int:
        """The largest number of flagged participants that can be placed at once (a max flow)."""
        only = self.flagged[self.pairs.participant]
        flow = min_cost_flow.SimpleMinCostFlow()
        n, m = self.n, len(self.seats)
        tails = np.concatenate(
            (np.zeros(n, np.int64), self.pairs.participant[only] + 2, 2 + n + np.arange(m))
        )
        heads = np.concatenate((2 + np.arange(n), self.pairs.placement[only] + 2 + n, np.ones(m, np.int64)))
        caps = np.concatenate((np.ones(n + int(only.sum()), np.int64), self.seats))
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, np.zeros(len(tails), np.int64))
        flow.set_node_supply(0, n)
        flow.set_node_supply(1, -n)
        flow.solve_max_flow_with_min_cost()
        return int(flow.maximum_flow())

    def total_score(self) -> float:
        """The summed score of the pairs used by the last solution."""
        return float(self.pairs.score[self.used].sum())

"""Optimal allocation: place as many participants as possible, then maximise the total score.

A min-cost flow network, solved by OR-Tools::

    source ──1──> participant ──1, cost −(BIG + S·score − tie)──> placement ──seats──> sink
    source ──────────────────────── bypass, cost 0 ─────────────────────────────> sink

Every unit of flow is one participant, placed or sent down the bypass. ``BIG`` is larger than any
possible total of the rest, so one more placed participant always beats any gain in score: the
solver finds the largest number of placements first, and the best total score among those. ``S``
is larger than any possible sum of ``tie`` (the top bits of each pair's tie-break number, see
``tiebreak``), so among allocations equal in both, the smallest sum of tie-break numbers wins: ties
are broken in a neutral order fixed by the pseudonymous ids, never by the solver's path through
the network.

The optional *floor* (at least N placed participants flagged "fewer opportunities") is a lower
bound on the arc from the source to a hub that feeds the flagged participants. Lower bounds become
supplies: the hub gets N units it must push through flagged participants, the source N fewer. The
flags reach nothing else. The allocation is first solved without the floor, on a network that does
not depend on the flags at all; only when that allocation places fewer than N flagged participants
is it solved again with the floor. When no allocation can meet the floor, the solver says so; we
then find the largest floor that can be met, solve with that, and report both numbers. Because a
set of participants that can be placed together can always be extended to a largest possible
placement (bipartite matching forms a matroid), honouring a feasible floor never lowers the number
of people placed.

Arcs are added in bulk from numpy arrays: adding them one call at a time is the slow part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from matchmaking.engine.preferences import IntArray
from matchmaking.engine.reasons import Reason, reason_template
from matchmaking.engine.tiebreak import UIntArray, index_numbers, pair_numbers

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SCORE_STEPS_PER_POINT = 10  # scores are optimised to 0.1 point
MAX_TIE_BITS = 32  # tie-break numbers keep at most their top 32 bits in the costs
COST_LIMIT = 2**61  # OR-Tools needs the largest cost times the number of nodes to stay below 2**62

FLOOR_MET = reason_template(
    "floor-met", "At least {floor} participants with fewer opportunities are placed, as the floor asks"
)
FLOOR_NOT_MET = reason_template(
    "floor-not-met",
    "The floor of {floor} participants with fewer opportunities cannot be met: at most "
    "{reached} of them can be placed in any allocation; this allocation places {reached}",
)


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
    tie_break: Sequence[int] | UIntArray | None = None,
) -> OptimalAllocation:
    """Most participants placed, then the highest total score, with at least ``floor`` flagged placed.

    Placing people comes first because an unplaced person loses more than a placed one gains from
    a better fit. ``fewer_opportunities`` flags participants for the positive-action floor only; it
    never changes a score or a tie: with ``floor=0`` the result is the same whatever the flags, and
    with a floor it is the floor-0 result whenever that already places ``floor`` flagged
    participants. A floor that cannot be met is lowered to the best reachable value and reported.
    Allocations equal in number placed and total score are told apart by the smallest sum of the
    pairs' ``tie_break`` numbers.

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
    tie_break : sequence of int (unsigned 64-bit), optional
        Per pair, its tie-break number (``tiebreak.pair_numbers``; ``run_round`` draws them from the
        ids). By default drawn from the participant and placement indices.

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
    ties = _tie_numbers(tie_break, pairs, n_participants, len(seats))
    network = _Network(n_participants, seats, pairs, flagged, ties)
    reasons: list[Reason] = []
    target = min(max(floor, 0), int(flagged.sum()))
    met = floor <= target
    used = network.solve(0)
    if used is None:  # pragma: no cover - without a floor the bypass always makes it feasible
        raise RuntimeError("the allocation could not be solved")
    if network.flagged_placed(used) < target:
        found = network.solve(target)
        if found is None:
            met = False
            target = network.most_flagged_placeable()
            found = network.solve(target) if network.flagged_placed(used) < target else used
            if found is None:  # pragma: no cover - the reduced floor is always reachable
                raise RuntimeError("the allocation could not be solved")
        used = found
    if floor > 0:
        reasons.append(_floor_reason(floor, target, met))
    assignment = network.assignment(used)
    placed = assignment >= 0
    return OptimalAllocation(
        assignment=assignment,
        placed=int(placed.sum()),
        total_score=float(pairs.score[used].sum()),
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


def _tie_numbers(
    tie_break: Sequence[int] | UIntArray | None, pairs: CandidatePairs, n: int, m: int
) -> UIntArray:
    if tie_break is None:
        return pair_numbers(index_numbers(n), index_numbers(m), pairs.participant, pairs.placement)
    ties = np.asarray(tie_break, dtype=np.uint64)
    if len(ties) != len(pairs.participant):
        raise ValueError(f"{len(ties)} tie-break numbers for {len(pairs.participant)} candidate pairs")
    return ties


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
        return FLOOR_MET.of(floor=floor)
    return FLOOR_NOT_MET.of(
        floor=floor,
        reached=reached,
    )


class _Network:
    """Node numbering: 0 source, 1 sink, 2 hub, then participants, then placements.

    Costs are integers: ``BIG`` per placed participant, ``unit`` per score step (0.1 point) and,
    subtracted, the top ``tie_bits`` bits of the pair's tie-break number. ``unit`` exceeds any sum
    of tie parts and ``BIG`` any sum of the rest, so the order is: placed, then score, then ties.
    Very large instances keep fewer tie bits so the costs stay in OR-Tools' range.
    """

    def __init__(
        self, n: int, seats: IntArray, pairs: CandidatePairs, flagged: BoolArray, ties: UIntArray
    ) -> None:
        self.n = n
        self.seats = seats
        self.pairs = pairs
        self.flagged = flagged
        most_placed = max(1, min(n, int(seats.sum())))
        nodes = 3 + n + len(seats)
        most_steps = 100 * SCORE_STEPS_PER_POINT
        self.tie_bits = 0
        for bits in range(MAX_TIE_BITS, -1, -1):
            unit, big = _scale(bits, most_placed, most_steps)
            if (big + most_steps * unit) * (nodes + 1) < COST_LIMIT:
                self.tie_bits = bits
                break
        unit, self.big = _scale(self.tie_bits, most_placed, most_steps)
        tie = (ties >> np.uint64(64 - self.tie_bits)).astype(np.int64) if self.tie_bits else 0
        steps = np.rint(pairs.score * SCORE_STEPS_PER_POINT).astype(np.int64)
        self.gain = self.big + steps * unit - tie

    def solve(self, floor: int) -> BoolArray | None:
        """Solve with a floor: the pairs used, or ``None`` if no allocation meets the floor."""
        flow, pair_arcs = self._build(floor)
        status = flow.solve()
        if status == flow.INFEASIBLE:
            return None
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow stopped with status {status}")
        used: BoolArray = flow.flows(pair_arcs) > 0
        return used

    def assignment(self, used: BoolArray) -> IntArray:
        assignment = np.full(self.n, -1, dtype=np.int64)
        assignment[self.pairs.participant[used]] = self.pairs.placement[used]
        return assignment

    def flagged_placed(self, used: BoolArray) -> int:
        return int(self.flagged[self.pairs.participant[used]].sum())

    def _build(self, floor: int) -> tuple[min_cost_flow.SimpleMinCostFlow, IntArray]:
        """Without a floor, every participant hangs off the source: the network ignores the flags."""
        n, m = self.n, len(self.seats)
        people = 3 + np.arange(n, dtype=np.int64)
        places = 3 + n + np.arange(m, dtype=np.int64)
        if floor > 0:
            feed = np.where(self.flagged, 2, 0)
            hub = int(self.flagged.sum()) - floor
        else:
            feed, hub = np.zeros(n, np.int64), 0
        tails = np.concatenate(([0, 0], feed, self.pairs.participant + 3, places))
        heads = np.concatenate(([1, 2], people, self.pairs.placement + 3 + n, np.ones(m, np.int64)))
        caps = np.concatenate(([n, hub], np.ones(n + len(self.gain), np.int64), self.seats))
        costs = np.concatenate((np.zeros(2 + n, np.int64), -self.gain, np.zeros(m, np.int64)))
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        flow.set_nodes_supplies(np.array([0, 1, 2]), np.array([n - floor, -n, floor]))
        first_pair = 2 + n
        return flow, np.asarray(arcs[first_pair : first_pair + len(self.gain)], dtype=np.int64)

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


def _scale(tie_bits: int, most_placed: int, most_steps: int) -> tuple[int, int]:
    """``unit`` above any sum of tie parts, ``BIG`` above any sum of score and tie parts."""
    tie_most = (1 << tie_bits) - 1
    unit = most_placed * tie_most + 1
    big = most_placed * most_steps * unit + 1
    return unit, big

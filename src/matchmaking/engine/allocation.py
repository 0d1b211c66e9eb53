"""Allocate participants to placements with seats: stable (deferred acceptance) or optimal.

Stable allocation is the participant-optimal stable matching of the hospitals/residents problem:
no participant and placement would both rather be together than with what they got, and among all
such allocations every participant gets the best placement they can get in any of them.

We run deferred acceptance in *parallel rounds* (McVitie & Wilson): in each round every free
participant proposes to the next placement on their list, and every placement keeps the best of
its current holders and new proposers up to its seats. The result does not depend on the order of
proposals, so the rounds give exactly the participant-optimal matching that the one-at-a-time
algorithm gives, while each round is a handful of numpy operations over the proposals of that round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaking.engine.fairness import FairnessAudit, fairness_audit
from matchmaking.engine.optimal import OptimalAllocation, optimal_allocation
from matchmaking.engine.preferences import (
    IndexArray,
    IntArray,
    PreferenceInput,
    PreferenceLists,
    as_preference_lists,
)

__all__ = [
    "FairnessAudit",
    "MutualPreferences",
    "OptimalAllocation",
    "fairness_audit",
    "mutual_preferences",
    "optimal_allocation",
    "solve_stable",
    "stable_allocation",
]


@dataclass(frozen=True)
class MutualPreferences:
    """The participants' lists reduced to mutually acceptable pairs, with each placement's view.

    ``choices`` keeps each participant's order; ``placement_rank[e]`` is how the placement of
    entry ``e`` ranks that participant (0 = its first choice); ``applicants`` are the placements'
    own lists, used to turn a rank back into a participant.
    """

    choices: PreferenceLists
    placement_rank: IndexArray
    applicants: PreferenceLists
    capacities: IntArray


def stable_allocation(
    participant_prefs: PreferenceInput,
    placement_prefs: PreferenceInput,
    capacities: Sequence[int] | npt.NDArray[np.integer],
) -> IntArray:
    """The participant-optimal stable allocation (deferred acceptance with seats).

    Stable so that no participant and placement would both rather be together than with what
    they got; participant-optimal so that among all such allocations each participant gets the
    best placement they can get in any of them.

    Parameters
    ----------
    participant_prefs, placement_prefs : lists of index lists, 2-D arrays (-1 padded) or PreferenceLists
        Each side's acceptable counterparts, most preferred first. A pair counts only if each
        lists the other.
    capacities : sequence of int
        ``capacities[j]`` is the number of seats of placement ``j``.

    Returns
    -------
    numpy.ndarray of int64
        Each participant's placement index, or -1.

    Examples
    --------
    Both participants want placement 0, which has one seat and prefers participant 1:

    >>> stable_allocation([[0, 1], [0]], [[1, 0], [0]], [1, 1]).tolist()
    [1, 0]
    """
    prepared = mutual_preferences(participant_prefs, placement_prefs, capacities)
    return solve_stable(prepared)


def mutual_preferences(
    participant_prefs: PreferenceInput,
    placement_prefs: PreferenceInput,
    capacities: Sequence[int] | npt.NDArray[np.integer],
) -> MutualPreferences:
    """Convert and check the input once and keep only mutually acceptable pairs."""
    seats = np.asarray(capacities, dtype=np.int64)
    if seats.ndim != 1:
        raise ValueError("capacities must be one number per placement")
    if len(seats) and int(seats.min()) < 0:
        raise ValueError(f"placement {int(np.argmin(seats))} has a negative number of seats")
    m = len(seats)
    participants = as_preference_lists(participant_prefs, m, "participant")
    n = participants.rows
    placements = as_preference_lists(placement_prefs, n, "placement")
    if placements.rows != m:
        raise ValueError(f"{placements.rows} placement lists but {m} capacities")
    ranks = _placement_ranks(participants, placements)
    keep = ranks >= 0
    rows = participants.row_of_entry()[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    choices = PreferenceLists(indptr, participants.indices[keep])
    return MutualPreferences(choices, ranks[keep], placements, seats)


def _placement_ranks(participants: PreferenceLists, placements: PreferenceLists) -> IndexArray:
    """For every participant entry (i, j): where placement j ranks i, or -1 if j does not list i."""
    n = participants.rows
    m = placements.rows
    if len(participants.indices) == 0 or len(placements.indices) == 0:
        return np.full(len(participants.indices), -1, dtype=np.int32)
    if n * m <= DIRECT_TABLE_LIMIT and not FORCE_SEARCH:
        return _ranks_by_table(participants, placements)
    return _ranks_by_search(participants, placements)


DIRECT_TABLE_LIMIT = 2**26  # cells of an uninitialised n × m table (256 MB of address space)
FORCE_SEARCH = False  # tests set this to exercise the search path on small instances


def _ranks_by_table(participants: PreferenceLists, placements: PreferenceLists) -> IndexArray:
    """Look ranks up in an *uninitialised* n × m table, trusting a cell only if it checks out.

    Only the cells we write are ever touched, so the table costs memory only where there are
    entries. A cell is believed when the rank it holds points back, in the placement's own list, to
    the participant asking (the classic "sparse set" trick), so garbage is never mistaken for a rank.
    """
    n = participants.rows
    table = np.empty(n * placements.rows, dtype=np.int32)
    pl_row = placements.row_of_entry()
    keys = pl_row.astype(np.int64) * n + placements.indices
    position = placements.position_of_entry().astype(np.int32)
    table[keys] = position
    mismatch = np.flatnonzero(table[keys] != position)
    if len(mismatch):
        first = int(mismatch[0])
        raise ValueError(
            f"placement {int(pl_row[first])} lists participant {int(placements.indices[first])} "
            "more than once"
        )
    p_row = participants.row_of_entry()
    wanted = participants.indices
    rank = table[wanted.astype(np.int64) * n + p_row]
    plausible = (rank >= 0) & (rank < placements.lengths[wanted])
    safe = np.where(plausible, rank, 0)
    last = len(placements.indices) - 1
    back = placements.indices[np.minimum(placements.indptr[wanted] + safe, last)]
    return np.where(plausible & (back == p_row), rank, -1).astype(np.int32)


def _ranks_by_search(participants: PreferenceLists, placements: PreferenceLists) -> IndexArray:
    """Sort both sides by (placement, participant) and search the sorted participant keys.

    Searching sorted keys walks memory in order; searching unsorted ones misses the cache on every
    step and is twenty times slower at a million participants. Each side is sorted with what it
    needs packed into the low digits of one integer (the placement's rank, the participant entry's
    position), because sorting plain integers is several times faster than an argsort. Work is
    done in place where possible: at a million participants every temporary costs 160 MB.
    """
    n = participants.rows
    m = placements.rows
    entries = len(participants.indices)
    base = max(int(placements.lengths.max()), 1)
    if m * n * base >= 2**62 or m * entries >= 2**62:
        raise ValueError("instance too large for 64-bit keys")
    packed = placements.row_of_entry().astype(np.int64)
    packed *= n
    packed += placements.indices
    packed *= base
    packed += placements.position_of_entry()
    packed.sort()
    rank_sorted = (packed % base).astype(np.int32)
    packed //= base
    _check_duplicates(packed, n)
    wanted = participants.indices.astype(np.int64)
    wanted *= entries
    wanted += np.arange(entries, dtype=np.int64)
    wanted.sort()
    entry = wanted % entries
    wanted //= entries
    wanted *= n
    wanted += participants.row_of_entry()[entry]
    found = np.searchsorted(packed, wanted)
    np.minimum(found, len(packed) - 1, out=found)
    hit = packed[found] == wanted
    del wanted
    ranks = np.full(entries, -1, dtype=np.int32)
    ranks[entry[hit]] = rank_sorted[found[hit]]
    return ranks


def _check_duplicates(sorted_keys: IntArray, n: int) -> None:
    dup = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
    if len(dup):
        key = int(sorted_keys[dup[0]])
        raise ValueError(f"placement {key // n} lists participant {key % n} more than once")


def solve_stable(prepared: MutualPreferences) -> IntArray:
    """Run deferred acceptance in parallel rounds on prepared preferences."""
    state = _RoundState.start(prepared)
    proposers: IntArray | IndexArray = np.flatnonzero(prepared.choices.lengths > 0)
    while len(proposers):
        proposers = state.round(proposers)
    return state.assignment()


@dataclass
class _RoundState:
    """Seats as flat slots: placement ``j`` owns ``seats_of[j]`` slots starting at ``first_slot[j]``.

    A slot holds the rank (at that placement) of the participant sitting in it, or ``EMPTY``.
    ``current[i]`` is the entry participant ``i`` is proposing to or held at.
    """

    prepared: MutualPreferences
    seats_of: IntArray
    first_slot: IntArray
    slot_rank: IntArray
    current: IntArray
    touched: npt.NDArray[np.bool_]
    rank_base: int

    EMPTY = np.iinfo(np.int64).max

    @classmethod
    def start(cls, prepared: MutualPreferences) -> _RoundState:
        m = prepared.applicants.rows
        demand = np.bincount(prepared.choices.indices, minlength=m)
        seats_of = np.minimum(prepared.capacities, demand).astype(np.int64)
        first_slot = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(seats_of, out=first_slot[1:])
        slot_rank = np.full(int(first_slot[-1]), cls.EMPTY, dtype=np.int64)
        base = int(prepared.applicants.lengths.max()) + 1 if m else 1
        return cls(
            prepared=prepared,
            seats_of=seats_of,
            first_slot=first_slot,
            slot_rank=slot_rank,
            current=prepared.choices.indptr[:-1].copy(),
            touched=np.zeros(m, dtype=np.bool_),
            rank_base=base,
        )

    def round(self, proposers: IntArray | IndexArray) -> IndexArray:
        """One round of proposals; returns who proposes next round."""
        choices = self.prepared.choices
        entries = self.current[proposers]
        wanted = choices.indices[entries].astype(np.int64)
        ranks = self.prepared.placement_rank[entries]
        affected, slots = self._slots_of(wanted)
        held = self.slot_rank[slots]
        occupied = held != self.EMPTY
        held_at = np.repeat(affected, self.seats_of[affected])[occupied]
        keys = np.concatenate((held_at * self.rank_base + held[occupied], wanted * self.rank_base + ranks))
        keys.sort()
        where = keys // self.rank_base
        rank = keys % self.rank_base
        seat = _position_in_group(where)
        kept = seat < self.seats_of[where]
        self.slot_rank[slots] = self.EMPTY
        self.slot_rank[self.first_slot[where[kept]] + seat[kept]] = rank[kept]
        rejected = self._participant(where[~kept], rank[~kept])
        self.current[rejected] += 1
        return rejected[self.current[rejected] < choices.indptr[rejected + 1]]

    def _slots_of(self, wanted: IntArray) -> tuple[IntArray, IntArray]:
        """The placements proposed to this round and the indices of all their slots."""
        self.touched[wanted] = True
        affected = np.flatnonzero(self.touched)
        self.touched[affected] = False
        counts = self.seats_of[affected]
        return affected, _concatenated_ranges(self.first_slot[affected], counts)

    def _participant(self, placement: IntArray, rank: IntArray) -> IndexArray:
        applicants = self.prepared.applicants
        people: IndexArray = applicants.indices[applicants.indptr[placement] + rank]
        return people

    def assignment(self) -> IntArray:
        """Each participant's placement, or -1."""
        n = self.prepared.choices.rows
        result = np.full(n, -1, dtype=np.int64)
        m = len(self.seats_of)
        owner = np.repeat(np.arange(m, dtype=np.int64), self.seats_of)
        occupied = self.slot_rank != self.EMPTY
        people = self._participant(owner[occupied], self.slot_rank[occupied])
        result[people] = owner[occupied]
        return result


def _concatenated_ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """``[s0, s0+1, ..., s0+c0-1, s1, ...]`` without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


def _position_in_group(sorted_groups: IntArray) -> IntArray:
    """For a sorted array, each element's position among equal neighbours (0, 1, 2, 0, 1, ...)."""
    size = len(sorted_groups)
    index = np.arange(size, dtype=np.int64)
    if size == 0:
        return index
    is_start = np.empty(size, dtype=np.bool_)
    is_start[0] = True
    np.not_equal(sorted_groups[1:], sorted_groups[:-1], out=is_start[1:])
    group_start = np.maximum.accumulate(np.where(is_start, index, 0))
    return index - group_start

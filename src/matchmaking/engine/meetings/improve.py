"""Local improvement of a schedule's breaks: move one meeting, or swap two meetings of one participant.

Used after the solver when it could not prove its schedule optimal (large events above all). A move
takes a meeting to another slot it may take where all its parties are free; a swap exchanges the
slots of two meetings of the same participant (its own day is unchanged, its partners' days change).
Either is kept when every slot still has a fitting table for each of its meetings (the per-slot Hall
counts of ``tables``) and it makes the schedule better, in this order: fewer breaks above what
``fairness`` allows (each participant's count over the least count plus d, summed), then fewer
breaks in total. A fair schedule therefore stays fair, and an unfair one is repaired towards
fairness first. Passes repeat until none improves or the time is up.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from matchmaking.engine.meetings.model import Meeting, ScheduleProblem
from matchmaking.engine.meetings.tables import table_classes


def _breaks(slots: Sequence[int] | set[int], session: Sequence[int]) -> int:
    ordered = sorted(slots)
    return sum(1 for a, b in itertools.pairwise(ordered) if b > a + 1 and session[a] == session[b])


class _Schedule:
    def __init__(
        self,
        problem: ScheduleProblem,
        meetings: Sequence[Meeting],
        slots: Mapping[int, int],
        fairness: int | None,
    ) -> None:
        self.session = problem.session_of()
        self.fairness = fairness
        self.slots = dict(slots)
        self.by_key = {m.key: m for m in meetings}
        self.candidates = {m.key: set(problem.candidate_slots(m)) for m in meetings if m.fixed_slot is None}
        classes = table_classes(problem.tables, meetings)
        self.capacity = [len(cls.tables) for cls in classes]
        self.member = {
            m.key: [
                i
                for i, cls in enumerate(classes)
                if (m.fixed_table is None and cls.needs(m)) or m.fixed_table in cls.tables
            ]
            for m in meetings
        }
        self.load: dict[tuple[int, int], int] = defaultdict(int)
        self.fixed_tables: Counter[tuple[int, int]] = Counter()
        self.taken: dict[int, set[int]] = defaultdict(set)
        for m in meetings:
            t = self.slots[m.key]
            for i in self.member[m.key]:
                self.load[t, i] += 1
            if m.fixed_table is not None:
                self.fixed_tables[t, m.fixed_table] += 1
            for p in m.parties:
                self.taken[p].add(t)
        self.breaks = {p: _breaks(s, self.session) for p, s in self.taken.items()}
        self.spread = Counter(self.breaks.values())

    def _excess(self, spread: Counter[int]) -> int:
        """Breaks above what fairness allows: each participant's count over the least one plus d."""
        if self.fairness is None:
            return 0
        values = [n for n, c in spread.items() if c > 0]
        if not values:
            return 0
        limit = min(values) + self.fairness
        return sum(c * (n - limit) for n, c in spread.items() if n > limit)

    def attempt(self, changes: Mapping[int, int]) -> bool:
        """Apply ``changes`` (meeting key -> new slot) when valid and better; say whether it was."""
        taken: dict[int, set[int]] = {}
        load: Counter[tuple[int, int]] = Counter()
        tables: Counter[tuple[int, int]] = Counter()
        for key, t in changes.items():
            m = self.by_key[key]
            old = self.slots[key]
            if t not in self.candidates.get(key, ()):
                return False
            for p in m.parties:
                taken.setdefault(p, set(self.taken[p])).discard(old)
            for i in self.member[key]:
                load[old, i] -= 1
                load[t, i] += 1
            if m.fixed_table is not None:
                tables[old, m.fixed_table] -= 1
                tables[t, m.fixed_table] += 1
        for key, t in changes.items():
            for p in self.by_key[key].parties:
                if t in taken[p]:
                    return False
                taken[p].add(t)
        if any(self.load[slot, i] + n > self.capacity[i] for (slot, i), n in load.items() if n > 0):
            return False
        if any(self.fixed_tables[where] + n > 1 for where, n in tables.items() if n > 0):
            return False
        new = {p: _breaks(s, self.session) for p, s in taken.items()}
        trial = self.spread.copy()
        for p, n in new.items():
            trial[self.breaks[p]] -= 1
            trial[n] += 1
        before = (self._excess(self.spread), sum(self.breaks[p] for p in new))
        if (self._excess(trial), sum(new.values())) >= before:
            return False
        for where, n in load.items():
            self.load[where] += n
        for where, n in tables.items():
            self.fixed_tables[where] += n
        for p, s in taken.items():
            self.taken[p] = s
            self.breaks[p] = new[p]
        self.spread = trial
        self.slots.update(changes)
        return True


def improve_breaks(
    problem: ScheduleProblem,
    meetings: Sequence[Meeting],
    slots: Mapping[int, int],
    *,
    deadline: float,
    fairness: int | None,
) -> dict[int, int]:
    """A schedule of ``meetings`` no worse than ``slots`` (meeting key -> slot).

    No worse means: no more breaks above what ``fairness`` allows, and when as many, no more breaks.
    """
    state = _Schedule(problem, meetings, slots, fairness)
    movable = [m.key for m in meetings if m.fixed_slot is None]
    own: dict[int, list[int]] = defaultdict(list)
    for key in movable:
        for p in state.by_key[key].parties:
            own[p].append(key)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for key in movable:
            if time.perf_counter() >= deadline:
                return state.slots
            for t in sorted(state.candidates[key]):
                if t != state.slots[key] and state.attempt({key: t}):
                    improved = True
                    break
        for keys in own.values():
            if time.perf_counter() >= deadline:
                return state.slots
            for a, b in itertools.combinations(keys, 2):
                ta, tb = state.slots[a], state.slots[b]
                if ta != tb and state.attempt({a: tb, b: ta}):
                    improved = True
    return state.slots

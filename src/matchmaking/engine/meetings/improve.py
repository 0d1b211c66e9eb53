"""Local improvement of a schedule's breaks: move one meeting at a time to a better slot.

Used after the solver when it could not prove its schedule optimal (large events above all). A move
takes a meeting to another slot it may take where all its parties are free and a fitting table is
left (the per-slot Hall counts of ``tables``); it is kept when it lowers the parties' total breaks
and keeps the break counts within ``fairness`` (or, for a schedule that was not fair, does not widen
their spread). Passes repeat until none improves or the time is up.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from matchmaking.engine.meetings.model import Meeting, ScheduleProblem
from matchmaking.engine.meetings.tables import table_classes


def _breaks(slots: Sequence[int], session: Sequence[int]) -> int:
    ordered = sorted(slots)
    return sum(1 for a, b in itertools.pairwise(ordered) if b > a + 1 and session[a] == session[b])


def improve_breaks(
    problem: ScheduleProblem,
    meetings: Sequence[Meeting],
    slots: Mapping[int, int],
    *,
    deadline: float,
    fairness: int | None,
) -> dict[int, int]:
    """A schedule of ``meetings`` with no more breaks than ``slots`` (meeting key -> slot)."""
    session = problem.session_of()
    out = dict(slots)
    classes = table_classes(problem.tables, meetings)
    member: dict[int, list[int]] = {}
    for m in meetings:
        member[m.key] = [
            i
            for i, cls in enumerate(classes)
            if (m.fixed_table is None and cls.needs(m)) or m.fixed_table in cls.tables
        ]
    load: dict[tuple[int, int], int] = defaultdict(int)
    fixed_tables: set[tuple[int, int]] = set()
    taken: dict[int, set[int]] = defaultdict(set)
    for m in meetings:
        t = out[m.key]
        for i in member[m.key]:
            load[t, i] += 1
        if m.fixed_table is not None:
            fixed_tables.add((t, m.fixed_table))
        for p in m.parties:
            taken[p].add(t)
    breaks = {p: _breaks(list(s), session) for p, s in taken.items()}
    spread = Counter(breaks.values())
    movable = [m for m in meetings if m.fixed_slot is None]
    candidates = {m.key: problem.candidate_slots(m) for m in movable}
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for m in movable:
            if time.perf_counter() >= deadline:
                break
            here = out[m.key]
            best: tuple[int, int] | None = None
            for t in candidates[m.key]:
                if t == here or any(t in taken[p] for p in m.parties):
                    continue
                if any(load[t, i] + 1 > len(classes[i].tables) for i in member[m.key]):
                    continue
                if m.fixed_table is not None and (t, m.fixed_table) in fixed_tables:
                    continue
                delta = 0
                for p in m.parties:
                    delta += _breaks([*(taken[p] - {here}), t], session) - breaks[p]
                if delta < 0 and (best is None or delta < best[0]):
                    best = (delta, t)
            if best is None:
                continue
            t = best[1]
            new = {p: _breaks([*(taken[p] - {here}), t], session) for p in m.parties}
            trial = spread.copy()
            for p, n in new.items():
                trial[breaks[p]] -= 1
                trial[n] += 1
            values = [n for n, c in trial.items() if c > 0]
            old_values = [n for n, c in spread.items() if c > 0]
            limit = fairness if fairness is not None else None
            old_gap = max(old_values) - min(old_values)
            gap = max(values) - min(values)
            if limit is not None and gap > max(limit, old_gap):
                continue
            for i in member[m.key]:
                load[here, i] -= 1
                load[t, i] += 1
            if m.fixed_table is not None:
                fixed_tables.discard((here, m.fixed_table))
                fixed_tables.add((t, m.fixed_table))
            for p in m.parties:
                taken[p].discard(here)
                taken[p].add(t)
                breaks[p] = new[p]
            spread = trial
            out[m.key] = t
            improved = True
    return out

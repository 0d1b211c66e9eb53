"""The greedy baseline: one meeting at a time, each in the slot that adds the fewest breaks.

Fixed meetings go first, then mandatory ones (those with the fewest possible slots and the busiest
participants first), then optional ones by weight. A meeting takes the candidate slot where its
parties are free, a fitting table is free and its parties' breaks grow least (ties: nearest to their
other meetings, then the earliest slot); it takes the smallest fitting free table there. Fairness is
not sought. The solver uses this schedule as its starting hint, and the benchmark compares to it.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

from matchmaking.engine.meetings.model import (
    Meeting,
    Placement,
    ScheduleProblem,
    ScheduleResult,
    check_problem,
    participant_breaks,
)


def _breaks(slots: list[int], session: tuple[int, ...]) -> int:
    return sum(1 for a, b in itertools.pairwise(slots) if b > a + 1 and session[a] == session[b])


def _order(problem: ScheduleProblem) -> list[Meeting]:
    load: dict[int, int] = defaultdict(int)
    for m in problem.meetings:
        for p in m.parties:
            load[p] += 1

    def rank(m: Meeting) -> tuple[int, int, int, int, int]:
        fixed = 0 if m.fixed_slot is not None else 1
        mandatory = 0 if m.mandatory else 1
        return (
            fixed,
            mandatory,
            -m.weight,
            len(problem.candidate_slots(m)),
            -max(load[p] for p in m.parties),
        )

    return sorted(problem.meetings, key=rank)


def greedy_schedule(problem: ScheduleProblem) -> ScheduleResult:
    """Place meetings one at a time (see the module's docstring); never proves anything.

    Parameters
    ----------
    problem : ScheduleProblem
        The event.

    Returns
    -------
    ScheduleResult
        Status ``feasible`` when every mandatory meeting was placed, else ``unknown``; bound 0.

    Examples
    --------
    >>> from matchmaking.engine.meetings import Meeting, ScheduleProblem, Table
    >>> result = greedy_schedule(ScheduleProblem(2, (Table(),), (Meeting(1, (7, 8)), Meeting(2, (7, 9)))))
    >>> result.status, [(p.meeting, p.slot) for p in result.placements]
    ('feasible', [(1, 0), (2, 1)])
    """
    start = time.perf_counter()
    check_problem(problem)
    session = problem.session_of()
    taken: dict[int, list[int]] = defaultdict(list)
    free_tables = [set(range(len(problem.tables))) for _ in range(problem.n_slots)]
    placements: list[Placement] = []
    unplaced: list[int] = []
    for m in _order(problem):
        best: tuple[tuple[int, int, int], int, int] | None = None
        if any(len(taken[p]) >= problem.max_meetings.get(p, problem.n_slots) for p in m.parties):
            unplaced.append(m.key)
            continue
        for t in problem.candidate_slots(m):
            if any(t in taken[p] for p in m.parties):
                continue
            table = _table(problem, m, free_tables[t])
            if table is None:
                continue
            grow = 0
            near = 0
            for p in m.parties:
                own = taken[p]
                grow += _breaks(sorted([*own, t]), session) - _breaks(sorted(own), session)
                near += min((abs(t - s) for s in own), default=0)
            score = (grow, near, t)
            if best is None or score < best[0]:
                best = (score, t, table)
        if best is None:
            unplaced.append(m.key)
            continue
        _, t, table = best
        free_tables[t].discard(table)
        for p in m.parties:
            taken[p].append(t)
        placements.append(Placement(m.key, t, table))
    placements.sort(key=lambda pl: pl.meeting)
    by_key = {m.key: m for m in problem.meetings}
    missing_mandatory = any(by_key[k].mandatory for k in unplaced)
    breaks = participant_breaks(problem, placements)
    moved = sum(
        1
        for pl in placements
        if pl.meeting in problem.previous and problem.previous[pl.meeting] != (pl.slot, pl.table)
    ) + sum(1 for k in unplaced if k in problem.previous)
    return ScheduleResult(
        status="unknown" if missing_mandatory else "feasible",
        placements=tuple(placements),
        unplaced=tuple(sorted(unplaced)),
        total_breaks=sum(breaks.values()),
        bound=0,
        seconds=time.perf_counter() - start,
        moved=moved,
        placed_weight=sum(by_key[pl.meeting].weight for pl in placements if not by_key[pl.meeting].mandatory),
    )


def _table(problem: ScheduleProblem, m: Meeting, free: set[int]) -> int | None:
    if m.fixed_table is not None:
        return m.fixed_table if m.fixed_table in free and problem.tables[m.fixed_table].fits(m) else None
    fitting = [j for j in free if problem.tables[j].fits(m)]
    if not fitting:
        return None
    return min(fitting, key=lambda j: (problem.tables[j].capacity, problem.tables[j].accessible, j))

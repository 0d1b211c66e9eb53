"""Tables: the per-slot counts the slot model needs (Hall's condition) and the assignment afterwards.

The slot model never chooses tables. For each slot it only bounds how many meetings of each kind may
run there so that a table can always be found for each: a table fits a meeting when it has enough
seats and, if the meeting needs one, step-free access. The tables fitting a set of meetings are then
``{capacity ≥ c0} ∪ {accessible, capacity ≥ c1}``, where c0 is the largest seat count among the set's
meetings that do not need access and c1 among those that do; so Hall's condition (every set of
meetings has at least as many fitting tables as members) needs checking only for one such pair
(c0, c1) at a time. When the tables are identical this is the single bound "at most ``len(tables)``
meetings per slot", and tables are numbered in order afterwards. A meeting with a fixed table takes
that table away from every class it belongs to.

After the slot model, tables are given per slot by a min-cost assignment that keeps a meeting at its
previous table when it stays in its previous slot and otherwise uses the smallest fitting table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from matchmaking.engine.meetings.model import Meeting, Table

_INF = 1 << 30


@dataclass(frozen=True)
class TableClass:
    """One Hall bound: the meetings with (needs access, seats ≥ c1) or (no access needed, seats ≥ c0)."""

    c0: int
    c1: int
    tables: frozenset[int]

    def needs(self, meeting: Meeting) -> bool:
        """Whether ``meeting`` belongs to the class (its fitting tables all lie in ``tables``)."""
        return meeting.seats >= (self.c1 if meeting.needs_accessible else self.c0)


def table_classes(tables: Sequence[Table], meetings: Sequence[Meeting]) -> list[TableClass]:
    """The Hall bounds that matter for ``meetings`` (those that could ever be tight)."""
    free = [m for m in meetings if m.fixed_table is None]
    plain = [*sorted({m.seats for m in free if not m.needs_accessible}), _INF]
    access = [*sorted({m.seats for m in free if m.needs_accessible}), _INF]
    out: list[TableClass] = []
    seen: set[tuple[frozenset[int], frozenset[int]]] = set()
    for c0 in plain:
        for c1 in access:
            if c0 == _INF and c1 == _INF:
                continue
            fit = frozenset(
                j for j, t in enumerate(tables) if t.capacity >= c0 or (t.accessible and t.capacity >= c1)
            )
            members = [m for m in free if m.seats >= (c1 if m.needs_accessible else c0)]
            if not members:
                continue
            key = (fit, frozenset(m.key for m in members))
            if key in seen:
                continue
            seen.add(key)
            out.append(TableClass(c0, c1, fit))
    return out


def assign_tables(
    tables: Sequence[Table],
    meetings: Sequence[Meeting],
    keep: Mapping[int, int],
) -> dict[int, int] | None:
    """Tables for meetings that share one slot, or None when no assignment exists.

    ``keep`` maps a meeting key to the table it would rather keep (its previous table). Fixed tables
    are honoured; otherwise smaller tables and lower numbers are used first, so identical tables are
    numbered 0, 1, 2, … in meeting order.
    """
    if not meetings:
        return {}
    if len(meetings) > len(tables):
        return None
    big = 1e9
    n, k = len(meetings), len(tables)
    cost = np.full((n, k), big)
    for i, m in enumerate(meetings):
        for j, t in enumerate(tables):
            if not t.fits(m) or (m.fixed_table is not None and m.fixed_table != j):
                continue
            stay = 0.0 if keep.get(m.key) == j else 1e6
            cost[i, j] = (
                stay + t.capacity * 1e3 + (500.0 if t.accessible and not m.needs_accessible else 0.0) + j
            )
    rows, cols = linear_sum_assignment(cost)
    if len(rows) < n or any(cost[r, c] >= big for r, c in zip(rows, cols, strict=True)):
        return None
    return {meetings[int(r)].key: int(c) for r, c in zip(rows, cols, strict=True)}

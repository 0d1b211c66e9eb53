"""Why an event cannot be scheduled, found before solving: codes and parameters, never sentences.

Only mandatory meetings can make a schedule impossible (optional ones are simply left out), so the
checks look at them and at fixed meetings: a meeting with no slot or no table it may take, a
participant with more mandatory meetings than slots it can meet in (or than its maximum), more
mandatory meetings than table-slots (overall, among the slots a group of meetings may take, or
among tables of the kind they need), and fixed meetings that clash on a participant or a table.
"""

from __future__ import annotations

from collections import defaultdict

from matchmaking.engine.meetings.model import Conflict, Meeting, ScheduleProblem
from matchmaking.engine.meetings.tables import table_classes


def diagnose(problem: ScheduleProblem) -> tuple[Conflict, ...]:
    """The conflicts that make ``problem`` infeasible for certain (empty when none is found)."""
    conflicts: list[Conflict] = []
    mandatory = [m for m in problem.meetings if m.mandatory or m.fixed_slot is not None]
    candidates = {m.key: problem.candidate_slots(m) for m in mandatory}
    for m in mandatory:
        if not candidates[m.key]:
            conflicts.append(Conflict("no-slot", {"meeting": m.key}))
        if not any(t.fits(m) for t in problem.tables):
            code = "no-accessible-table" if m.needs_accessible else "no-table-fits"
            conflicts.append(Conflict(code, {"meeting": m.key, "seats": m.seats}))
        elif m.fixed_table is not None and not problem.tables[m.fixed_table].fits(m):
            conflicts.append(Conflict("no-table-fits", {"meeting": m.key, "table": m.fixed_table}))
    by_participant: dict[int, list[Meeting]] = defaultdict(list)
    for m in mandatory:
        for p in m.parties:
            by_participant[p].append(m)
    for p, own in sorted(by_participant.items()):
        placeable = [m for m in own if candidates[m.key]]  # the others are reported as no-slot
        free = set().union(*(candidates[m.key] for m in placeable))
        if placeable and len(placeable) > len(free):
            conflicts.append(
                Conflict(
                    "participant-overbooked",
                    {"participant": p, "meetings": len(own), "free_slots": len(free)},
                )
            )
        if p in problem.max_meetings and len(own) > problem.max_meetings[p]:
            conflicts.append(
                Conflict(
                    "max-meetings",
                    {"participant": p, "meetings": len(own), "maximum": problem.max_meetings[p]},
                )
            )
    conflicts.extend(_table_conflicts(problem, mandatory, candidates))
    conflicts.extend(_fixed_clashes(mandatory))
    return tuple(conflicts)


def _table_conflicts(
    problem: ScheduleProblem, mandatory: list[Meeting], candidates: dict[int, tuple[int, ...]]
) -> list[Conflict]:
    out: list[Conflict] = []
    n_tables = len(problem.tables)
    if len(mandatory) > problem.n_slots * n_tables:
        out.append(
            Conflict(
                "too-few-tables", {"meetings": len(mandatory), "table_slots": problem.n_slots * n_tables}
            )
        )
        return out
    groups = {frozenset(candidates[m.key]) for m in mandatory if candidates[m.key]}
    for group in sorted(groups, key=lambda g: (len(g), sorted(g))):
        inside = [m for m in mandatory if candidates[m.key] and set(candidates[m.key]) <= group]
        if len(inside) > len(group) * n_tables:
            out.append(
                Conflict(
                    "too-few-tables",
                    {"meetings": len(inside), "table_slots": len(group) * n_tables, "first_slot": min(group)},
                )
            )
            return out
    for cls in table_classes(problem.tables, mandatory):
        members = [m for m in mandatory if m.fixed_table is None and cls.needs(m)]
        if len(members) > problem.n_slots * len(cls.tables) and cls.tables:
            code = "no-accessible-table" if all(m.needs_accessible for m in members) else "too-few-tables"
            out.append(
                Conflict(
                    code,
                    {
                        "meetings": len(members),
                        "table_slots": problem.n_slots * len(cls.tables),
                        "seats": cls.c0,
                    },
                )
            )
    for t in range(problem.n_slots):
        fixed_here = [m for m in mandatory if m.fixed_slot == t]
        if len(fixed_here) > n_tables:
            out.append(
                Conflict("too-few-tables", {"slot": t, "meetings": len(fixed_here), "table_slots": n_tables})
            )
    return out


def _fixed_clashes(mandatory: list[Meeting]) -> list[Conflict]:
    out: list[Conflict] = []
    seen_party: dict[tuple[int, int], int] = {}
    seen_table: dict[tuple[int, int], int] = {}
    for m in mandatory:
        if m.fixed_slot is None:
            continue
        for p in m.parties:
            other = seen_party.setdefault((p, m.fixed_slot), m.key)
            if other != m.key:
                out.append(
                    Conflict(
                        "fixed-clash",
                        {"meeting": m.key, "other": other, "slot": m.fixed_slot, "participant": p},
                    )
                )
        if m.fixed_table is not None:
            other = seen_table.setdefault((m.fixed_table, m.fixed_slot), m.key)
            if other != m.key:
                out.append(
                    Conflict(
                        "fixed-clash",
                        {"meeting": m.key, "other": other, "slot": m.fixed_slot, "table": m.fixed_table},
                    )
                )
    return out

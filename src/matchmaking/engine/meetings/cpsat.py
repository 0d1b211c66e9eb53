"""The CP-SAT model of a schedule: slot variables, table counts, breaks, fairness; one solve.

Variables are ``x[m, t]`` (meeting m in slot t) for the slots m may take. Tables are not variables:
per slot, Hall-type counts (see ``tables``) guarantee that a fitting table exists for each meeting,
and tables are assigned after solving. This removes the tables' symmetry, which is what makes a
model with table variables slow.

Breaks follow "starts of busy runs": ``busy[p, t]`` is the sum of p's meetings in slot t,
``start[p, t] = busy[p, t] ∧ ¬busy[p, t−1]`` (exactly, so fairness cannot be met by counting breaks
that are not there), and p's breaks in a session are its starts there minus one when it meets at
all, held in one bounded integer per participant (which lets presolve turn a budget on the total
into limits per participant). See docs/decisions/meeting-scheduler.md for the measurements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matchmaking.engine.meetings.model import Meeting, ScheduleProblem
from matchmaking.engine.meetings.tables import table_classes

Slots = dict[int, int]  # meeting key -> slot

#: Extra CP-SAT parameters applied to every stage (name -> value); the benchmark measures the choice.
SOLVER_PARAMETERS: dict[str, int | float | bool] = {}


@dataclass
class Stage:
    slots: Slots | None
    optimal: bool
    infeasible: bool
    value: float = 0.0
    bound: float = 0.0


@dataclass
class Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    meetings: Sequence[Meeting]
    placed: dict[int, cp_model.LinearExprT] = field(default_factory=dict)
    parties: dict[int, tuple[int, ...]] = field(default_factory=dict)
    optional: set[int] = field(default_factory=set)


def build(problem: ScheduleProblem, meetings: Sequence[Meeting], *, all_placed: bool) -> Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    result = Model(model, x, meetings, parties={m.key: m.parties for m in meetings})
    by_slot: dict[int, list[tuple[Meeting, cp_model.IntVar]]] = defaultdict(list)
    by_party_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for m in meetings:
        own = []
        for t in problem.candidate_slots(m):
            var = model.new_bool_var(f"x{m.key}_{t}")
            x[m.key, t] = var
            own.append(var)
            by_slot[t].append((m, var))
            for p in m.parties:
                by_party_slot[p, t].append(var)
        if all_placed or m.mandatory:
            model.add_exactly_one(own)
            result.placed[m.key] = 1
        else:
            model.add_at_most_one(own)
            result.placed[m.key] = cp_model.LinearExpr.sum(own)
            result.optional.add(m.key)
    for group in by_party_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    classes = table_classes(problem.tables, meetings)
    for here in by_slot.values():
        for cls in classes:
            members = [
                v for m, v in here if (m.fixed_table is None and cls.needs(m)) or m.fixed_table in cls.tables
            ]
            if len(members) > len(cls.tables):
                model.add(sum(members) <= len(cls.tables))
        fixed: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for m, v in here:
            if m.fixed_table is not None:
                fixed[m.fixed_table].append(v)
        for group in fixed.values():
            if len(group) > 1:
                model.add_at_most_one(group)
    if problem.max_meetings:
        counts: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
        for m in meetings:
            for p in m.parties:
                counts[p].append(result.placed[m.key])
        for p, limit in problem.max_meetings.items():
            if p in counts and len(counts[p]) > limit:
                model.add(sum(counts[p]) <= limit)
    return result


def hint(built: Model, slots: Mapping[int, int]) -> None:
    for (key, t), var in built.x.items():
        if key in slots:
            built.model.add_hint(var, slots[key] == t)
        elif key in built.optional:
            built.model.add_hint(var, False)


def solve(
    built: Model, seconds: float, workers: int, seed: int, *, portfolio: bool = False
) -> tuple[Stage, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # Interleaving runs the solver's whole portfolio (several searches and neighbourhoods) on the
    # given threads: better for improving a schedule; plain search is better for "at most K breaks".
    solver.parameters.interleave_search = portfolio
    for name, value in SOLVER_PARAMETERS.items():
        setattr(solver.parameters, name, value)
    status = solver.solve(built.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slots = {key: t for (key, t), var in built.x.items() if solver.boolean_value(var)}
        has_objective = built.model.has_objective()
        return (
            Stage(
                slots,
                status == cp_model.OPTIMAL,
                False,
                solver.objective_value if has_objective else 0.0,
                solver.best_objective_bound if has_objective else 0.0,
            ),
            solver,
        )
    return Stage(None, False, status == cp_model.INFEASIBLE), solver


def break_terms(problem: ScheduleProblem, built: Model) -> dict[int, cp_model.IntVar]:
    """Each participant's number of breaks (participants with at least two meetings).

    Besides the exact count from run starts, a participant in a one-session event gets a redundant
    "no break" literal with one *window* literal per possible start: with no break, its meetings fill
    exactly the window's slots. This makes schedules with few breaks much easier to find.
    """
    model = built.model
    session = problem.session_of()
    one_session = len(set(session)) == 1
    per_party: dict[int, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    count: dict[int, int] = defaultdict(int)
    for m in built.meetings:
        for p in m.parties:
            count[p] += 1
    for (key, t), var in built.x.items():
        for p in built.parties[key]:
            per_party[p][t].append(var)
    terms: dict[int, cp_model.IntVar] = {}
    for p, per_slot in per_party.items():
        if count[p] < 2:
            continue
        busy: dict[int, cp_model.IntVar] = {}
        for t, group in per_slot.items():
            if len(group) == 1:
                busy[t] = group[0]
            else:
                flag = model.new_bool_var(f"busy{p}_{t}")
                model.add(flag == cp_model.LinearExpr.sum(group))
                busy[t] = flag
        starts: list[cp_model.IntVar] = []
        sessions: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for t in sorted(busy):
            sessions[session[t]].append(busy[t])
            before = busy.get(t - 1) if t > 0 and session[t - 1] == session[t] else None
            if before is None:
                starts.append(busy[t])
                continue
            start = model.new_bool_var(f"start{p}_{t}")
            model.add_implication(start, busy[t])
            model.add_implication(start, before.Not())
            model.add_bool_or([start, busy[t].Not(), before])
            starts.append(start)
        opened: list[cp_model.IntVar] = []
        fixed_open = 0
        for k, members in sessions.items():
            if len(sessions) == 1:
                fixed_open = 1
                continue
            any_k = model.new_bool_var(f"any{p}_{k}")
            model.add_max_equality(any_k, members)
            opened.append(any_k)
        breaks = model.new_int_var(0, max(0, min(count[p] - 1, (max(busy) - min(busy)) // 2)), f"breaks{p}")
        model.add(breaks == cp_model.LinearExpr.sum(starts) - cp_model.LinearExpr.sum(opened) - fixed_open)
        terms[p] = breaks
        if one_session:
            windows(model, p, count[p], busy, breaks, problem.n_slots)
    return terms


def windows(
    model: cp_model.CpModel,
    p: int,
    n: int,
    busy: Mapping[int, cp_model.IntVar],
    breaks: cp_model.IntVar,
    n_slots: int,
) -> None:
    valid = [s for s in range(n_slots - n + 1) if all(t in busy for t in range(s, s + n))]
    zero = model.new_bool_var(f"zero{p}")
    windows = {s: model.new_bool_var(f"window{p}_{s}") for s in valid}
    model.add(cp_model.LinearExpr.sum(list(windows.values())) == zero)
    for t, flag in busy.items():
        cover = [windows[s] for s in valid if s <= t < s + n]
        if cover:
            model.add(flag >= cp_model.LinearExpr.sum(cover))
    model.add(breaks >= 1 - zero)


@dataclass
class Breaks:
    built: Model
    total: cp_model.LinearExpr


def breaks_model(
    problem: ScheduleProblem, meetings: Sequence[Meeting], fairness: int | None, cap: int | None
) -> Breaks:
    built = build(problem, meetings, all_placed=True)
    model = built.model
    terms = break_terms(problem, built)
    total = cp_model.LinearExpr.sum(list(terms.values()))
    if fairness is not None and terms:
        meeting_count: dict[int, int] = defaultdict(int)
        for m in meetings:
            for p in m.parties:
                meeting_count[p] += 1
        if any(n < 2 for n in meeting_count.values()):
            # Someone has no break for certain, so nobody may have more than ``fairness``.
            for term in terms.values():
                model.add(term <= fairness)
        else:
            most = model.new_int_var(0, problem.n_slots, "most")
            least = model.new_int_var(0, problem.n_slots, "least")
            for term in terms.values():
                model.add(term <= most)
                model.add(term >= least)
            model.add(most - least <= fairness)
    if cap is None:
        model.minimize(total)
    else:
        model.add(total <= cap)
    return Breaks(built, total)

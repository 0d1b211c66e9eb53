"""The scheduler: a CP-SAT model over slots only, solved in lexicographic stages.

1. *Placement* (only when some meetings are optional): every mandatory meeting placed; then, with a
   weight larger than everything after it, the participants' shortfalls below ``min_meetings``
   as small as possible; then the largest total weight of optional meetings.
2. *Breaks*: the chosen meetings fixed, the fewest total breaks, with the break counts of any two
   participants (with at least one meeting) within ``fairness`` of each other.
3. *Moves* (only when a previous schedule is given): the total breaks found kept, as few meetings as
   possible in another slot than before; tables then follow the previous ones where they can.

Variables are ``x[m, t]`` (meeting m in slot t) for the slots m may take. Tables are not variables:
per slot, Hall-type counts (see ``tables``) guarantee that a fitting table exists for each meeting,
and tables are assigned after solving. This removes the tables' symmetry, which is what makes a
model with table variables slow.

Breaks follow "starts of busy runs": ``busy[p, t]`` is the sum of p's meetings in slot t,
``start[p, t] = busy[p, t] ∧ ¬busy[p, t−1]`` (exactly, so fairness cannot be met by counting breaks
that are not there), and p's breaks in a session are its starts there minus one when it meets at all.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matchmaking.engine.meetings.diagnosis import diagnose
from matchmaking.engine.meetings.greedy import greedy_schedule
from matchmaking.engine.meetings.improve import improve_breaks
from matchmaking.engine.meetings.model import (
    Conflict,
    Meeting,
    Placement,
    ScheduleProblem,
    ScheduleResult,
    check_problem,
    participant_breaks,
)
from matchmaking.engine.meetings.tables import assign_tables, table_classes

Slots = dict[int, int]  # meeting key -> slot

#: Extra CP-SAT parameters applied to every stage (name -> value); the benchmark measures the choice.
SOLVER_PARAMETERS: dict[str, int | float | bool] = {}


@dataclass
class _Stage:
    slots: Slots | None
    optimal: bool
    infeasible: bool
    value: float = 0.0
    bound: float = 0.0


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    meetings: Sequence[Meeting]
    placed: dict[int, cp_model.LinearExprT] = field(default_factory=dict)
    parties: dict[int, tuple[int, ...]] = field(default_factory=dict)
    optional: set[int] = field(default_factory=set)


def _build(problem: ScheduleProblem, meetings: Sequence[Meeting], *, all_placed: bool) -> _Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    result = _Model(model, x, meetings, parties={m.key: m.parties for m in meetings})
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


def _hint(built: _Model, slots: Mapping[int, int]) -> None:
    for (key, t), var in built.x.items():
        if key in slots:
            built.model.add_hint(var, slots[key] == t)
        elif key in built.optional:
            built.model.add_hint(var, False)


def _solve(
    built: _Model, seconds: float, workers: int, seed: int, *, portfolio: bool = False
) -> tuple[_Stage, cp_model.CpSolver]:
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
            _Stage(
                slots,
                status == cp_model.OPTIMAL,
                False,
                solver.objective_value if has_objective else 0.0,
                solver.best_objective_bound if has_objective else 0.0,
            ),
            solver,
        )
    return _Stage(None, False, status == cp_model.INFEASIBLE), solver


def _placement_stage(
    problem: ScheduleProblem, hint: Mapping[int, int], seconds: float, workers: int, seed: int
) -> _Stage:
    built = _build(problem, problem.meetings, all_placed=False)
    model = built.model
    optional = [m for m in problem.meetings if not m.mandatory]
    value = cp_model.LinearExpr.weighted_sum(
        [built.placed[m.key] for m in optional], [m.weight for m in optional]
    )
    big = sum(m.weight for m in optional) + 1
    shortfall: list[cp_model.IntVar] = []
    if problem.min_meetings:
        counts: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
        for m in problem.meetings:
            for p in m.parties:
                counts[p].append(built.placed[m.key])
        for p, minimum in problem.min_meetings.items():
            if minimum <= 0:
                continue
            short = model.new_int_var(0, minimum, f"short{p}")
            model.add(short + cp_model.LinearExpr.sum(counts.get(p, [])) >= minimum)
            shortfall.append(short)
    # Among equal placements, keep as many meetings as possible where the previous schedule had them.
    kept = [built.x[key, slot] for key, (slot, _) in problem.previous.items() if (key, slot) in built.x]
    primary = value - big * cp_model.LinearExpr.sum(shortfall)
    model.maximize(primary * (len(kept) + 1) + cp_model.LinearExpr.sum(kept))
    _hint(built, hint)
    stage, _ = _solve(built, seconds, workers, seed)
    return stage


def _break_terms(problem: ScheduleProblem, built: _Model) -> dict[int, cp_model.IntVar]:
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
            _windows(model, p, count[p], busy, breaks, problem.n_slots)
    return terms


def _windows(
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
class _Breaks:
    built: _Model
    total: cp_model.LinearExpr


def _breaks_model(
    problem: ScheduleProblem, meetings: Sequence[Meeting], fairness: int | None, cap: int | None
) -> _Breaks:
    built = _build(problem, meetings, all_placed=True)
    model = built.model
    terms = _break_terms(problem, built)
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
    return _Breaks(built, total)


#: Events with at most this many meetings get the budget ladder after the first minimisation.
LADDER_MAX_MEETINGS = 2000


def _breaks_stage(
    problem: ScheduleProblem,
    meetings: Sequence[Meeting],
    hint: Mapping[int, int],
    deadline: float,
    workers: int,
    seed: int,
    fairness: int | None,
) -> _Stage:
    """Fewest breaks: a short minimisation, then "at most K breaks" for K up from its lower bound.

    The minimisation finds a schedule and a lower bound; deciding "at most K breaks in total" for
    small K is much easier for the solver than improving a schedule step by step, because with a
    small budget nearly every participant has no break and its meetings must fill a window. The
    first K that admits a schedule, when every smaller K was proved impossible, is optimal.
    """
    if len(meetings) > LADDER_MAX_MEETINGS:
        # A large event: minimise from the hint. When no fair schedule turns up in half the time,
        # improve the hint without fairness (the result then says fairness was relaxed).
        first = _breaks_model(problem, meetings, fairness, None)
        _hint(first.built, hint)
        share = (deadline - time.perf_counter()) * (0.5 if fairness is not None else 1.0)
        found = _solve(first.built, share, workers, seed)[0]
        if found.slots is not None or fairness is None:
            return found
        loose = _breaks_model(problem, meetings, None, None)
        _hint(loose.built, hint)
        found = _solve(loose.built, deadline - time.perf_counter(), workers, seed)[0]
        return _Stage(found.slots, False, False, found.value, found.bound)
    proved = 0
    # 1. Prove small budgets impossible while that is quick; stop at the first found or unclear.
    while time.perf_counter() < deadline - 0.1:
        slice_ = max(1.0, (deadline - time.perf_counter()) / 6)
        step = _solve(_breaks_model(problem, meetings, fairness, proved).built, slice_, workers, seed)[0]
        if step.slots is not None:
            return _Stage(step.slots, True, False, _count(problem, meetings, step.slots), proved)
        if not step.infeasible:
            break
        proved += 1
        if proved > 2 * len(meetings):
            return _Stage(None, False, True)
    # 2. A schedule by minimisation. No hint: the greedy one breaks fairness and misleads the search.
    first = _breaks_model(problem, meetings, fairness, None)
    found = _solve(
        first.built, max(0.5, 0.5 * (deadline - time.perf_counter())), workers, seed, portfolio=True
    )[0]
    if found.slots is None:
        if found.infeasible:
            return found
        found = _solve(first.built, max(0.5, deadline - time.perf_counter()), workers, seed, portfolio=True)[
            0
        ]
        return _Stage(found.slots, found.optimal, found.infeasible, found.value, max(proved, found.bound))
    proved = max(proved, math.ceil(found.bound - 1e-6))
    best = _Stage(found.slots, found.optimal, False, _count(problem, meetings, found.slots), proved)
    # 3. Budgets from the proved bound up, each hinted with the best schedule so far.
    budget = proved
    while not best.optimal and budget < best.value and time.perf_counter() < deadline - 0.1:
        slice_ = max(1.0, (deadline - time.perf_counter()) / 3)
        ladder = _breaks_model(problem, meetings, fairness, budget)
        _hint(ladder.built, best.slots or {})
        step = _solve(ladder.built, slice_, workers, seed)[0]
        if step.slots is not None:
            best = _Stage(step.slots, budget <= proved, False, _count(problem, meetings, step.slots), proved)
        elif step.infeasible and budget == proved:
            proved += 1
            best = _Stage(best.slots, proved >= best.value, False, best.value, proved)
        budget += 1
    return best


def _moves_stage(
    problem: ScheduleProblem,
    meetings: Sequence[Meeting],
    fairness: int | None,
    breaks: int,
    previous: Mapping[int, int],
    hint: Mapping[int, int],
    deadline: float,
    workers: int,
    seed: int,
) -> _Stage:
    """As many meetings as possible in their previous slot, with at most ``breaks`` breaks in total."""
    stage = _breaks_model(problem, meetings, fairness, breaks)
    kept = [stage.built.x[key, t] for key, t in previous.items() if (key, t) in stage.built.x]
    stage.built.model.maximize(cp_model.LinearExpr.sum(kept))
    _hint(stage.built, hint)
    return _solve(stage.built, deadline - time.perf_counter(), workers, seed)[0]


def schedule_meetings(
    problem: ScheduleProblem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> ScheduleResult:
    """Schedule ``problem`` (see the module's docstring for the order of the objectives).

    Returns status ``infeasible`` with ``conflicts`` when a check before solving (see ``diagnose``)
    or the solver shows that the mandatory meetings cannot all be placed; ``unknown`` when no schedule
    was found in ``time_limit`` seconds; otherwise ``optimal`` (every stage proved) or ``feasible``,
    with the total breaks recounted from the placements and a lower bound on them for the placed set.
    """
    start = time.perf_counter()
    # Building the models of a large event takes time too: keep a margin for it and for the tables.
    deadline = start + time_limit - min(0.1 * time_limit, 0.002 * len(problem.meetings))
    report = progress or (lambda fraction: None)
    report(0.0)
    check_problem(problem)
    conflicts = diagnose(problem)
    if conflicts:
        return _empty(problem, "infeasible", start, conflicts)
    by_key = {m.key: m for m in problem.meetings}
    greedy = greedy_schedule(problem)
    previous_slots = {key: slot for key, (slot, _) in problem.previous.items() if key in by_key}
    hint: dict[int, int] = {pl.meeting: pl.slot for pl in greedy.placements}
    for key, slot in previous_slots.items():
        if slot in problem.candidate_slots(by_key[key]):
            hint[key] = slot
    notes: list[Conflict] = []
    optimal = True
    chosen: Sequence[Meeting] = problem.meetings
    large = len(problem.meetings) > LADDER_MAX_MEETINGS
    if any(not m.mandatory for m in problem.meetings):
        share = (0.35 if large else 0.5) * (deadline - time.perf_counter())
        placing = _placement_stage(problem, hint, share, workers, seed)
        if placing.slots is None:
            if placing.infeasible:
                return _empty(problem, "infeasible", start, (Conflict("no-schedule", {}),))
            if greedy.status != "feasible":
                return _empty(problem, "unknown", start, ())
            placing = _Stage({pl.meeting: pl.slot for pl in greedy.placements}, False, False)
        assert placing.slots is not None
        optimal = placing.optimal
        hint = dict(placing.slots)
        chosen = [m for m in problem.meetings if m.key in placing.slots]
        report(0.4)
    left = deadline - time.perf_counter()
    polish = 0.2 * left if large else min(0.5, 0.05 * left)  # for the local improvement
    stage_deadline = deadline - left * (0.25 if previous_slots else 0.0) - polish
    fairness = problem.fairness
    stage = _breaks_stage(problem, chosen, hint, stage_deadline, workers, seed, fairness)
    if stage.infeasible and fairness is not None:
        notes.append(Conflict("fairness-relaxed", {"fairness": fairness}))
        fairness = None
        stage = _breaks_stage(problem, chosen, hint, stage_deadline, workers, seed, None)
    if stage.slots is None:
        if stage.infeasible:
            return _empty(problem, "infeasible", start, (Conflict("no-schedule", {}),))
        chosen_keys = {m.key for m in chosen}
        fallback = {key: t for key, t in hint.items() if key in chosen_keys}
        if len(fallback) < len(chosen):
            return _empty(problem, "unknown", start, ())
        stage = _Stage(fallback, False, False, 0.0, 0.0)
    assert stage.slots is not None
    optimal = optimal and stage.optimal
    slots = stage.slots
    if not stage.optimal:
        slots = improve_breaks(
            problem, chosen, slots, deadline=stage_deadline + polish, fairness=problem.fairness
        )
    bound = math.ceil(stage.bound - 1e-6)
    report(0.8)
    if previous_slots:
        found = _count(problem, chosen, slots)
        moving = _moves_stage(
            problem, chosen, fairness, found, previous_slots, slots, deadline, workers, seed
        )
        if moving.slots is not None:
            slots = moving.slots
            optimal = optimal and moving.optimal
        else:
            optimal = False
    result = _finish(problem, chosen, slots, start, optimal, bound, tuple(notes), fairness)
    report(1.0)
    return result


def _count(problem: ScheduleProblem, meetings: Sequence[Meeting], slots: Mapping[int, int]) -> int:
    placements = [Placement(m.key, slots[m.key], 0) for m in meetings]
    return sum(participant_breaks(problem, placements).values())


def _finish(
    problem: ScheduleProblem,
    chosen: Sequence[Meeting],
    slots: Mapping[int, int],
    start: float,
    optimal: bool,
    bound: int,
    notes: tuple[Conflict, ...],
    fairness: int | None,
) -> ScheduleResult:
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for m in chosen:
        by_slot[slots[m.key]].append(m)
    keep = {key: table for key, (slot, table) in problem.previous.items() if slots.get(key) == slot}
    placements: list[Placement] = []
    for t, here in sorted(by_slot.items()):
        tables = assign_tables(problem.tables, here, keep)
        if tables is None:  # the Hall counts make this impossible; kept as a guard
            return _empty(problem, "unknown", start, ())
        placements.extend(Placement(m.key, t, tables[m.key]) for m in here)
    placements.sort(key=lambda pl: pl.meeting)
    breaks = participant_breaks(problem, placements)
    total_breaks = sum(breaks.values())
    if fairness is not None and breaks and max(breaks.values()) - min(breaks.values()) > fairness:
        notes = (*notes, Conflict("fairness-relaxed", {"fairness": fairness}))
    placed = {pl.meeting for pl in placements}
    moved = sum(
        1
        for pl in placements
        if pl.meeting in problem.previous and problem.previous[pl.meeting] != (pl.slot, pl.table)
    ) + sum(1 for key in problem.previous if key not in placed)
    return ScheduleResult(
        status="optimal" if optimal else "feasible",
        placements=tuple(placements),
        unplaced=tuple(sorted(m.key for m in problem.meetings if m.key not in placed)),
        total_breaks=total_breaks,
        bound=min(max(bound, 0), total_breaks),
        seconds=time.perf_counter() - start,
        moved=moved,
        conflicts=notes,
        placed_weight=sum(m.weight for m in chosen if not m.mandatory),
    )


def _empty(
    problem: ScheduleProblem, status: str, start: float, conflicts: tuple[Conflict, ...]
) -> ScheduleResult:
    return ScheduleResult(
        status=status,
        placements=(),
        unplaced=tuple(m.key for m in problem.meetings),
        total_breaks=0,
        bound=0,
        seconds=time.perf_counter() - start,
        conflicts=conflicts,
    )

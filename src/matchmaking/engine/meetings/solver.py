"""The scheduler: lexicographic stages over the CP-SAT model of ``cpsat``.

1. *Placement* (only when some meetings are optional): every mandatory meeting placed; then, with a
   weight larger than everything after it, the participants' shortfalls below ``min_meetings``
   as small as possible; then the largest total weight of optional meetings; among equals, as many
   meetings as possible in their previous slot.
2. *Breaks*: the chosen meetings fixed, the fewest total breaks, with the break counts of any two
   participants (with at least one meeting) within ``fairness`` of each other. Searched as: "at most
   K breaks" for K = 0, 1, … while each is proved impossible quickly (the first schedule found is
   optimal), by a SAT solver (``sat``); then a minimisation with CP-SAT's portfolio; then "at most
   K" from its bound up. A schedule not proved optimal is improved locally (``improve``), which
   repairs fairness first. An event with more than ``LADDER_MAX_MEETINGS`` meetings skips the
   solvers here and gives all the time to the local improvement.
3. *Moves* (only when a previous schedule is given): the total breaks found kept, as few meetings as
   possible in another slot than before; tables then follow the previous ones where they can.

Why this search and not another: docs/decisions/meeting-scheduler.md.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from ortools.sat.python import cp_model

from matchmaking.engine.meetings import cpsat, sat
from matchmaking.engine.meetings.cpsat import Stage
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
from matchmaking.engine.meetings.tables import assign_tables


def _placement_stage(
    problem: ScheduleProblem, hint: Mapping[int, int], seconds: float, workers: int, seed: int
) -> Stage:
    built = cpsat.build(problem, problem.meetings, all_placed=False)
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
    cpsat.hint(built, hint)
    stage, _ = cpsat.solve(built, seconds, workers, seed)
    return stage


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
) -> Stage:
    """Fewest breaks: a short minimisation, then "at most K breaks" for K up from its lower bound.

    The minimisation finds a schedule and a lower bound; deciding "at most K breaks in total" for
    small K is much easier for the solver than improving a schedule step by step, because with a
    small budget nearly every participant has no break and its meetings must fill a window. The
    first K that admits a schedule, when every smaller K was proved impossible, is optimal.
    """
    if len(meetings) > LADDER_MAX_MEETINGS:
        # A large event: the placement's schedule as it is; the local improvement (``improve``),
        # which repairs fairness first, gets the time. Measured: CP-SAT's minimisation of breaks
        # at this size spent its time building and searching without improving the schedule.
        chosen = {m.key for m in meetings}
        start = {key: t for key, t in hint.items() if key in chosen}
        if len(start) < len(chosen):
            return Stage(None, False, False)
        return Stage(start, False, False, _count(problem, meetings, start), 0)
    proved = 0
    # 1. Prove small budgets impossible while that is quick; stop at the first found or unclear.
    #    The SAT formula (``sat``) decides them much faster than CP-SAT; budgets past its reach go
    #    to CP-SAT.
    most = sat.largest_budget(meetings) if sat.suits(problem, meetings) else -1
    if most >= 0:
        with sat.Decider(problem, meetings, fairness, most) as decider:
            while proved <= most and time.perf_counter() < deadline - 0.1:
                try:
                    slots = decider.decide(proved, max(1.0, 0.7 * (deadline - time.perf_counter())))
                except sat.UndecidedError:
                    break
                if slots is not None:
                    return Stage(slots, True, False, _count(problem, meetings, slots), proved)
                proved += 1
    while proved > most and time.perf_counter() < deadline - 0.1:
        slice_ = max(1.0, (deadline - time.perf_counter()) / 3)
        step = cpsat.solve(
            cpsat.breaks_model(problem, meetings, fairness, proved).built, slice_, workers, seed
        )[0]
        if step.slots is not None:
            return Stage(step.slots, True, False, _count(problem, meetings, step.slots), proved)
        if not step.infeasible:
            break
        proved += 1
        if proved > 2 * len(meetings):
            return Stage(None, False, True)
    # 2. A schedule by minimisation. No hint: the greedy one breaks fairness and misleads the search.
    first = cpsat.breaks_model(problem, meetings, fairness, None)
    found = cpsat.solve(
        first.built, max(0.5, 0.5 * (deadline - time.perf_counter())), workers, seed, portfolio=True
    )[0]
    if found.slots is None:
        if found.infeasible:
            return found
        found = cpsat.solve(
            first.built, max(0.5, deadline - time.perf_counter()), workers, seed, portfolio=True
        )[0]
        return Stage(found.slots, found.optimal, found.infeasible, found.value, max(proved, found.bound))
    proved = max(proved, math.ceil(found.bound - 1e-6))
    best = Stage(found.slots, found.optimal, False, _count(problem, meetings, found.slots), proved)
    # 3. Budgets from the proved bound up, each hinted with the best schedule so far.
    budget = proved
    while not best.optimal and budget < best.value and time.perf_counter() < deadline - 0.1:
        slice_ = max(1.0, (deadline - time.perf_counter()) / 3)
        ladder = cpsat.breaks_model(problem, meetings, fairness, budget)
        cpsat.hint(ladder.built, best.slots or {})
        step = cpsat.solve(ladder.built, slice_, workers, seed)[0]
        if step.slots is not None:
            best = Stage(step.slots, budget <= proved, False, _count(problem, meetings, step.slots), proved)
        elif step.infeasible and budget == proved:
            proved += 1
            best = Stage(best.slots, proved >= best.value, False, best.value, proved)
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
) -> Stage:
    """As many meetings as possible in their previous slot, with at most ``breaks`` breaks in total."""
    stage = cpsat.breaks_model(problem, meetings, fairness, breaks)
    kept = [stage.built.x[key, t] for key, t in previous.items() if (key, t) in stage.built.x]
    stage.built.model.maximize(cp_model.LinearExpr.sum(kept))
    cpsat.hint(stage.built, hint)
    return cpsat.solve(stage.built, deadline - time.perf_counter(), workers, seed)[0]


def schedule_meetings(
    problem: ScheduleProblem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> ScheduleResult:
    """Schedule ``problem`` (see the module's docstring for the order of the objectives).

    Parameters
    ----------
    problem : ScheduleProblem
        The event.
    time_limit : float
        Seconds for the whole call, all stages together.
    workers : int
        Solver threads.
    seed : int
        The solver's random seed.
    progress : callable, optional
        Called with the share done, from 0.0 to 1.0.

    Returns
    -------
    ScheduleResult
        ``infeasible`` with ``conflicts`` when a check before solving (``diagnose``) or the solver
        shows that the mandatory meetings cannot all be placed; ``unknown`` when no schedule was
        found in time; otherwise ``optimal`` (every stage proved) or ``feasible``, with the total
        breaks recounted from the placements and a lower bound on them for the placed meetings.

    Raises
    ------
    ProblemError
        When the data cannot describe a schedule; names the field.

    Examples
    --------
    >>> from matchmaking.engine.meetings import Meeting, ScheduleProblem, Table
    >>> meetings = (Meeting(1, (7, 8)), Meeting(2, (7, 9)), Meeting(3, (8, 9), mandatory=False))
    >>> # three meetings of a triangle in three slots at one table: someone waits once
    >>> result = schedule_meetings(ScheduleProblem(3, (Table(),), meetings), time_limit=5)
    >>> result.status, result.total_breaks, len(result.placements)
    ('optimal', 1, 3)
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
            placing = Stage({pl.meeting: pl.slot for pl in greedy.placements}, False, False)
        assert placing.slots is not None
        optimal = placing.optimal
        hint = dict(placing.slots)
        chosen = [m for m in problem.meetings if m.key in placing.slots]
        report(0.4)
    left = deadline - time.perf_counter()
    moves = left * (0.25 if previous_slots else 0.0)  # for keeping previous slots
    # The local improvement: all the time left on a large event, a little otherwise.
    polish = left - moves if len(chosen) > LADDER_MAX_MEETINGS else min(0.5, 0.05 * left)
    stage_deadline = deadline - moves - polish
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
        stage = Stage(fallback, False, False, 0.0, 0.0)
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

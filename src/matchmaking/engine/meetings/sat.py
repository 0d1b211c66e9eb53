"""The decision "at most K breaks in total, fairly" as a SAT formula, solved by a CDCL SAT solver.

Measured against CP-SAT on the same decision (docs/decisions/meeting-scheduler.md): on the
benchmark's one-break instances CP-SAT found no schedule with one break in 60 s whatever the
model, while a plain SAT solver on this formula finds one in a few seconds of CPU time. The
formula, with ``x[m, t]`` "meeting m in slot t" and ``u[p, t]`` "participant p busy in slot t":

- each meeting in exactly one of its slots; a participant in at most one meeting per slot;
  ``u[p, t]`` is the "or" of p's meetings in slot t, and exactly as many ``u`` as p has meetings;
- per slot, the Hall-type table counts of ``tables`` (one count when tables are alike);
- ``s[p, t] = u[p, t] ∧ ¬u[p, t − 1]`` (p starts a run of meetings in t), ``a[p, k]`` (p meets in
  session k); p's breaks are its starts minus the sessions it meets in;
- the budget: all starts plus all sessions *not* met in at most ``K`` plus every participant's
  number of sessions (the same sum moved around), as one cardinality constraint;
- fairness: with ``K`` below the number of participants someone has no break, so fairness d is
  "nobody has more than d breaks" (a cardinality constraint per participant);
- implied clauses that make it fast: a literal ``h[p]`` "p may have a break", at most ``K`` of them,
  and without it at most one start per session and no two busy slots of a session ``n_p`` or more
  apart (p's meetings fill one window).

``Decider.decide`` returns the slots, or None when proved impossible, or raises ``UndecidedError`` at the
time limit. The formula is built once per set of meetings; budgets are assumptions on incremental
totalizers, so the solver keeps what it learnt from one budget to the next.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from matchmaking.engine.meetings.model import Meeting, ScheduleProblem
from matchmaking.engine.meetings.tables import table_classes

#: The SAT solver (python-sat's name). Measured: glucose4 was fastest on the one-break instances.
SOLVER_NAME = "glucose4"


class UndecidedError(Exception):
    """The solver neither found a schedule nor proved there is none in the time given."""


class _Formula:
    def __init__(self) -> None:
        self.pool = IDPool()
        self.clauses: list[list[int]] = []

    def var(self, *name: object) -> int:
        return int(self.pool.id(name))

    def at_most(self, lits: Sequence[int], bound: int, *, unless: int | None = None) -> None:
        if len(lits) <= bound:
            return
        if bound == 0:
            self.clauses.extend([-lit] + ([unless] if unless else []) for lit in lits)
            return
        # Sequential counters decide the benchmark's budgets fastest (see the decision record); their
        # size is lits × bound, so past a size the (smaller) totalizer of Kitching and Martins is used.
        small = len(lits) * bound <= 20_000
        encoding = EncType.seqcounter if small else EncType.kmtotalizer
        found = CardEnc.atmost(lits=list(lits), bound=bound, vpool=self.pool, encoding=encoding)
        for clause in found.clauses:
            self.clauses.append(list(clause) + ([unless] if unless else []))

    def exactly(self, lits: Sequence[int], bound: int) -> None:
        if bound > len(lits):
            self.clauses.append([])
            return
        found = CardEnc.equals(lits=list(lits), bound=bound, vpool=self.pool, encoding=EncType.seqcounter)
        self.clauses.extend(list(clause) for clause in found.clauses)


#: The largest budget a ``Decider`` is built for (its counters grow with it).
MOST_BUDGET = 30


#: Largest single counter over every participant's starts (literals × bound) before it is split.
MOST_COUNTER = 400_000

#: Most (meeting, slot) pairs for which the formula is built; larger events use CP-SAT only.
MOST_CELLS = 60_000


def suits(problem: ScheduleProblem, meetings: Sequence[Meeting]) -> bool:
    """Whether the formula is small enough to build quickly for these meetings."""
    return sum(len(problem.candidate_slots(m)) for m in meetings) <= MOST_CELLS


def largest_budget(meetings: Sequence[Meeting]) -> int:
    """The largest budget for which the formula is exact: fairness as "nobody above d" needs
    someone with no break, which is certain while the budget is below the number of participants."""
    participants = {p for m in meetings for p in m.parties}
    return min(MOST_BUDGET, len(participants) - 1)


class Decider:
    """The formula for one set of meetings, kept with its solver so that budgets 0, 1, 2, … are
    decided one after the other on what the solver learnt before (budgets are assumptions).

    Use as a context manager; ``most`` is the largest budget it can decide.
    """

    def __init__(
        self, problem: ScheduleProblem, meetings: Sequence[Meeting], fairness: int | None, most: int
    ) -> None:
        formula = _Formula()
        self.most = most
        self.x, breakers, days = _encode(formula, problem, meetings, fairness)
        self.breakers = _Counter(formula, breakers, most)
        all_starts = [lit for lits, _ in days for lit in lits]
        self.shift = sum(sessions for _, sessions in days)
        if len(all_starts) * (most + self.shift) <= MOST_COUNTER:
            # One counter over every start (and every session not met in), shifted by the sessions.
            self.starts = _Counter(formula, all_starts, most + self.shift)
        else:
            # Large events: each participant's breaks counted on its own, in unary ("at least j + 1
            # breaks"), and one counter over those: far smaller than one counter over every start.
            extra: list[int] = []
            for lits, sessions in days:
                own = _Counter(formula, lits, sessions + most)
                extra.extend(own.rhs[sessions : sessions + most + 1])
            self.starts = _Counter(formula, extra, most)
            self.shift = 0
        self.solver = Solver(name=SOLVER_NAME, bootstrap_with=formula.clauses)

    def __enter__(self) -> Decider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.solver.delete()

    def decide(self, budget: int, seconds: float) -> dict[int, int] | None:
        """Slots with at most ``budget`` breaks in total, or None when there are none.

        Raises ``UndecidedError`` when neither is known after ``seconds``.
        """
        if budget > self.most:
            raise ValueError(f"budget {budget} is above {self.most}")
        assumptions = self.breakers.at_most(budget) + self.starts.at_most(budget + self.shift)
        timer = threading.Timer(max(0.05, seconds), self.solver.interrupt)
        timer.start()
        try:
            found = self.solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
        finally:
            timer.cancel()
            self.solver.clear_interrupt()
        if found is None:
            raise UndecidedError
        if not found:
            return None
        true = {lit for lit in self.solver.get_model() or () if lit > 0}
        return {key: t for (key, t), var in self.x.items() if var in true}


class _Counter:
    """An incremental totalizer: ``at_most(k)`` gives the assumption for "at most k of ``lits``"."""

    def __init__(self, formula: _Formula, lits: Sequence[int], most: int) -> None:
        self.size = len(lits)
        self.rhs: list[int] = []
        if self.size > 0:
            counter = ITotalizer(lits=list(lits), ubound=min(most + 1, self.size), top_id=formula.pool.top)
            formula.pool.top = counter.top_id
            formula.clauses.extend(list(clause) for clause in counter.cnf.clauses)
            self.rhs = list(counter.rhs)

    def at_most(self, k: int) -> list[int]:
        return [-self.rhs[k]] if k < min(self.size, len(self.rhs)) else []


def _encode(
    formula: _Formula, problem: ScheduleProblem, meetings: Sequence[Meeting], fairness: int | None
) -> tuple[dict[tuple[int, int], int], list[int], list[tuple[list[int], int]]]:
    session = problem.session_of()
    candidates = {m.key: problem.candidate_slots(m) for m in meetings}
    x = {(m.key, t): formula.var("x", m.key, t) for m in meetings for t in candidates[m.key]}
    for m in meetings:
        formula.exactly([x[m.key, t] for t in candidates[m.key]], 1)
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings:
        for t in candidates[m.key]:
            by_slot[t].append(m)
    classes = table_classes(problem.tables, meetings)
    for t, here in by_slot.items():
        for cls in classes:
            members = [
                x[m.key, t]
                for m in here
                if (m.fixed_table is None and cls.needs(m)) or m.fixed_table in cls.tables
            ]
            formula.at_most(members, len(cls.tables))
        fixed: dict[int, list[int]] = defaultdict(list)
        for m in here:
            if m.fixed_table is not None:
                fixed[m.fixed_table].append(x[m.key, t])
        for group in fixed.values():
            formula.at_most(group, 1)
    own: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings:
        for p in m.parties:
            own[p].append(m)
    days: list[tuple[list[int], int]] = []  # per participant: starts and sessions not met; sessions
    breakers: list[int] = []
    for p, mine in own.items():
        n = len(mine)
        busy: dict[int, int] = {}
        for t in sorted({t for m in mine for t in candidates[m.key]}):
            taking = [x[m.key, t] for m in mine if (m.key, t) in x]
            u = formula.var("u", p, t)
            busy[t] = u
            formula.clauses.extend([-lit, u] for lit in taking)
            formula.clauses.append([-u, *taking])
            formula.at_most(taking, 1)
        formula.exactly(list(busy.values()), n)
        if n < 2:
            continue
        starts: dict[int, list[int]] = defaultdict(list)
        for t, u in busy.items():
            before = busy.get(t - 1) if t > 0 and session[t - 1] == session[t] else None
            if before is None:
                starts[session[t]].append(u)
                continue
            s = formula.var("s", p, t)
            formula.clauses.extend([[-s, u], [-s, -before], [s, -u, before]])
            starts[session[t]].append(s)
        idle: list[int] = []  # "p does not meet in session k"
        for k in starts:
            away = formula.var("idle", p, k)
            inside = [u for t, u in busy.items() if session[t] == k]
            formula.clauses.extend([-u, -away] for u in inside)
            formula.clauses.append([away, *inside])
            idle.append(away)
        mine_starts = [s for group in starts.values() for s in group]
        days.append((mine_starts + idle, len(starts)))
        if fairness is not None:
            formula.at_most(mine_starts + idle, fairness + len(starts))
        may_break = formula.var("h", p)
        breakers.append(may_break)
        for group in starts.values():
            formula.at_most(group, 1, unless=may_break)
        slots = sorted(busy)
        for i, a in enumerate(slots):
            for b in slots[i + 1 :]:
                if b - a >= n and session[a] == session[b]:
                    formula.clauses.append([may_break, -busy[a], -busy[b]])
    return x, breakers, days

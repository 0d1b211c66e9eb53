"""The data of a meeting schedule: tables, meetings, the problem, placements, the result, conflicts.

All indexes (slots, tables) are 0-based. A *participant* is any integer id named in a meeting's
``parties``; for an event it is a registration (an organisation's delegation), so a meeting occupies
every one of its delegates at once.

A *break* is a maximal run of idle slots between two meetings of the same participant within one
session; idle time across a session boundary (``session_starts``) is not a break.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Table:
    """A meeting point, the same in every slot.

    Attributes
    ----------
    capacity : int
        Seats (people) at the table.
    accessible : bool
        A step-free, accessible meeting point.
    """

    capacity: int = 2
    accessible: bool = False

    def fits(self, meeting: Meeting) -> bool:
        """Whether ``meeting`` can sit at this table (seats and step-free access)."""
        return self.capacity >= meeting.seats and (self.accessible or not meeting.needs_accessible)


@dataclass(frozen=True)
class Meeting:
    """One requested meeting between ``parties`` (all of them attend).

    Attributes
    ----------
    key : int
        The caller's id for the meeting.
    parties : tuple of int
        The participants that must all attend.
    mandatory : bool
        Mandatory meetings must all be placed; optional ones are placed by ``weight``.
    weight : int
        Value of an optional meeting.
    allowed_slots : frozenset of int or None
        The slots it may take (e.g. one session); None: any.
    seats : int
        People at the table.
    needs_accessible : bool
        Needs an accessible table.
    fixed_slot, fixed_table : int or None
        Where the organiser fixed it.
    """

    key: int
    parties: tuple[int, ...]
    mandatory: bool = True
    weight: int = 1
    allowed_slots: frozenset[int] | None = None
    seats: int = 2
    needs_accessible: bool = False
    fixed_slot: int | None = None
    fixed_table: int | None = None


@dataclass(frozen=True)
class ScheduleProblem:
    """Everything the scheduler needs; see the module's docstring for the words used.

    Attributes
    ----------
    n_slots : int
        Slots of the event, numbered from 0.
    tables : tuple of Table
        The same tables in every slot.
    meetings : tuple of Meeting
        The meetings to place.
    unavailable : mapping of participant to frozenset of slots
        Slots a participant cannot meet in.
    session_starts : tuple of int
        Slots that start a new session; idle time across a session boundary is not a break.
    min_meetings, max_meetings : mapping of participant to int
        Minimum (sought before others' optional meetings) and maximum meetings.
    fairness : int or None
        The break counts of any two participants differ by at most this.
    previous : mapping of meeting key to (slot, table)
        The schedule being changed; re-scheduling moves as few meetings as possible.
    """

    n_slots: int
    tables: tuple[Table, ...]
    meetings: tuple[Meeting, ...]
    unavailable: Mapping[int, frozenset[int]] = field(default_factory=dict)
    session_starts: tuple[int, ...] = ()
    min_meetings: Mapping[int, int] = field(default_factory=dict)
    max_meetings: Mapping[int, int] = field(default_factory=dict)
    fairness: int | None = 2
    previous: Mapping[int, tuple[int, int]] = field(default_factory=dict)

    def participants(self) -> tuple[int, ...]:
        """Every participant named by a meeting, sorted."""
        return tuple(sorted({p for m in self.meetings for p in m.parties}))

    def session_of(self) -> tuple[int, ...]:
        """The session number of each slot (0 for the first session)."""
        starts = {s for s in self.session_starts if 0 < s < self.n_slots}
        session, out = 0, []
        for t in range(self.n_slots):
            if t in starts:
                session += 1
            out.append(session)
        return tuple(out)

    def candidate_slots(self, meeting: Meeting) -> tuple[int, ...]:
        """The slots ``meeting`` may take: allowed, fixed, and free for every party."""
        if meeting.fixed_slot is not None:
            slots: Iterable[int] = (meeting.fixed_slot,)
        elif meeting.allowed_slots is not None:
            slots = meeting.allowed_slots
        else:
            slots = range(self.n_slots)
        blocked: set[int] = set()
        for p in meeting.parties:
            blocked |= self.unavailable.get(p, frozenset())
        return tuple(sorted(t for t in set(slots) if 0 <= t < self.n_slots and t not in blocked))


@dataclass(frozen=True)
class Placement:
    """Where one meeting takes place.

    Attributes
    ----------
    meeting : int
        The meeting's key.
    slot, table : int
        0-based slot and table.
    """

    meeting: int
    slot: int
    table: int


@dataclass(frozen=True)
class Conflict:
    """Why a schedule cannot be made (or which wish had to give way), as a code and parameters.

    Codes: ``participant-overbooked`` (more mandatory meetings than free slots; params participant,
    meetings, free_slots), ``max-meetings`` (more mandatory meetings than the participant's maximum;
    participant, meetings, maximum), ``too-few-tables`` (more mandatory meetings than table-slots,
    overall, for the slots they may take, or in one slot for fixed meetings; meetings, table_slots and
    first_slot, slot or seats), ``fixed-clash`` (two fixed meetings in one slot share a participant or
    a table; meeting, other, slot, participant or table), ``no-accessible-table`` / ``no-table-fits``
    (no table can seat a meeting; meeting and seats or table), ``no-slot`` (a meeting has no slot it
    may take; meeting), ``no-schedule`` (the constraints together admit no schedule; no params).
    With a schedule: ``fairness-relaxed`` (the break counts could not be kept within ``fairness``;
    the schedule keeps every placed meeting; fairness). A minimum out of reach is not a conflict:
    minimums are met as far as they can be.

    Attributes
    ----------
    code : str
        One of the codes above.
    params : mapping of str to int or str
        E.g. ``{"participant": 7, "meetings": 9, "free_slots": 6}``.
    """

    code: str
    params: Mapping[str, int | str]


@dataclass(frozen=True)
class ScheduleResult:
    """A schedule, how good it is and how sure the solver is.

    Attributes
    ----------
    status : str
        ``optimal``, ``feasible``, ``infeasible`` or ``unknown``.
    placements : tuple of Placement
        One per placed meeting, in key order.
    unplaced : tuple of int
        Keys of the meetings left out.
    total_breaks : int
        Breaks of all participants, recounted from the placements.
    bound : int
        A lower bound on the total breaks for the placed meetings.
    seconds : float
        Wall-clock time taken.
    moved : int
        Meetings in another slot or at another table than in ``previous`` (or left out).
    conflicts : tuple of Conflict
        When infeasible, why; otherwise wishes that gave way (``fairness-relaxed``).
    placed_weight : int
        Total weight of the optional meetings placed.
    """

    status: str
    placements: tuple[Placement, ...]
    unplaced: tuple[int, ...]
    total_breaks: int
    bound: int
    seconds: float
    moved: int = 0
    conflicts: tuple[Conflict, ...] = ()
    placed_weight: int = 0


class ProblemError(ValueError):
    """The problem itself is malformed: ``field`` names what is wrong (e.g. ``meetings[3].parties``)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def check_problem(problem: ScheduleProblem) -> None:
    """Raise :class:`ProblemError` naming the field when the data cannot describe a schedule."""
    if problem.n_slots < 1:
        raise ProblemError("n_slots", "must be at least 1")
    for j, table in enumerate(problem.tables):
        if table.capacity < 1:
            raise ProblemError(f"tables[{j}].capacity", "must be at least 1")
    keys: set[int] = set()
    for i, m in enumerate(problem.meetings):
        where = f"meetings[{i}]"
        if m.key in keys:
            raise ProblemError(f"{where}.key", f"{m.key} is used twice")
        keys.add(m.key)
        if not m.parties:
            raise ProblemError(f"{where}.parties", "names nobody")
        if len(set(m.parties)) != len(m.parties):
            raise ProblemError(f"{where}.parties", "names a participant twice")
        if m.weight < 0:
            raise ProblemError(f"{where}.weight", "must not be negative")
        if m.seats < 1:
            raise ProblemError(f"{where}.seats", "must be at least 1")
        if m.fixed_slot is not None and not 0 <= m.fixed_slot < problem.n_slots:
            raise ProblemError(f"{where}.fixed_slot", f"{m.fixed_slot} is not a slot")
        if m.fixed_table is not None and not 0 <= m.fixed_table < len(problem.tables):
            raise ProblemError(f"{where}.fixed_table", f"{m.fixed_table} is not a table")
        for t in m.allowed_slots or ():
            if not 0 <= t < problem.n_slots:
                raise ProblemError(f"{where}.allowed_slots", f"{t} is not a slot")
    for p, slots in problem.unavailable.items():
        for t in slots:
            if not 0 <= t < problem.n_slots:
                raise ProblemError(f"unavailable[{p}]", f"{t} is not a slot")
    for name, limits in (("min_meetings", problem.min_meetings), ("max_meetings", problem.max_meetings)):
        for p, n in limits.items():
            if n < 0:
                raise ProblemError(f"{name}[{p}]", "must not be negative")
    if problem.fairness is not None and problem.fairness < 0:
        raise ProblemError("fairness", "must not be negative")
    for key, (slot, seat) in problem.previous.items():
        if not 0 <= slot < problem.n_slots or not 0 <= seat < len(problem.tables):
            raise ProblemError(f"previous[{key}]", f"({slot}, {seat}) is not a slot and table")


def participant_breaks(problem: ScheduleProblem, placements: Iterable[Placement]) -> dict[int, int]:
    """The number of breaks of every participant with at least one placed meeting."""
    by_key = {m.key: m for m in problem.meetings}
    session = problem.session_of()
    slots: dict[int, list[int]] = {}
    for placement in placements:
        for p in by_key[placement.meeting].parties:
            slots.setdefault(p, []).append(placement.slot)
    breaks: dict[int, int] = {}
    for p, taken in slots.items():
        taken.sort()
        breaks[p] = sum(1 for a, b in itertools.pairwise(taken) if b > a + 1 and session[a] == session[b])
    return breaks


def violations(problem: ScheduleProblem, placements: Iterable[Placement]) -> list[str]:
    """Plain-English list of the hard constraints a set of placements breaks (empty when valid).

    Checks slots (allowed, fixed, availability), one meeting per participant and per table in a
    slot, tables that fit, fixed tables, at most ``max_meetings``, and every mandatory meeting placed.
    """
    by_key = {m.key: m for m in problem.meetings}
    problems: list[str] = []
    busy: set[tuple[int, int]] = set()
    used: set[tuple[int, int]] = set()
    count: dict[int, int] = {}
    placed: set[int] = set()
    for pl in placements:
        m = by_key.get(pl.meeting)
        if m is None:
            problems.append(f"meeting {pl.meeting} is unknown")
            continue
        if pl.meeting in placed:
            problems.append(f"meeting {pl.meeting} is placed twice")
        placed.add(pl.meeting)
        if pl.slot not in problem.candidate_slots(m):
            problems.append(f"meeting {m.key} is in slot {pl.slot}, which it may not take")
        if not 0 <= pl.table < len(problem.tables) or not problem.tables[pl.table].fits(m):
            problems.append(f"meeting {m.key} is at table {pl.table}, which does not fit it")
        if m.fixed_table is not None and pl.table != m.fixed_table:
            problems.append(f"meeting {m.key} is not at its fixed table")
        if (pl.slot, pl.table) in used:
            problems.append(f"table {pl.table} is used twice in slot {pl.slot}")
        used.add((pl.slot, pl.table))
        for p in m.parties:
            if (p, pl.slot) in busy:
                problems.append(f"participant {p} has two meetings in slot {pl.slot}")
            busy.add((p, pl.slot))
            count[p] = count.get(p, 0) + 1
    for p, n in count.items():
        if p in problem.max_meetings and n > problem.max_meetings[p]:
            problems.append(f"participant {p} has {n} meetings, more than {problem.max_meetings[p]}")
    for m in problem.meetings:
        if m.mandatory and m.key not in placed:
            problems.append(f"mandatory meeting {m.key} is not placed")
    return problems

"""The meeting scheduler: reading benchmark files, diagnosis, tables, optional meetings, re-scheduling."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from matchmaking.engine.meetings import (
    DznError,
    Meeting,
    ScheduleProblem,
    Table,
    diagnose,
    greedy_schedule,
    participant_breaks,
    read_dzn,
    schedule_meetings,
    violations,
)
from matchmaking.engine.meetings.model import Placement, ProblemError, check_problem

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "b2b-meetings"

SMALL = """% a small instance
nBusiness = 4;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2, 1,
|1, 3, 2,
|4, 2, 3,
|];
forbidden = [{0}, {}, {0, 1}, {3..4}];
fixed = [0, 0, 2];
"""


def codes(problem: ScheduleProblem) -> set[str]:
    return {c.code for c in diagnose(problem)}


def test_read_dzn_sessions_forbidden_and_fixed() -> None:
    problem = read_dzn(SMALL)
    assert problem.n_slots == 4
    assert len(problem.tables) == 2
    assert problem.fairness == 2
    first, second, third = problem.meetings
    assert (first.key, first.parties, first.allowed_slots) == (1, (1, 2), frozenset({0, 1}))
    assert second.allowed_slots == frozenset({2, 3})
    assert third.allowed_slots is None
    assert third.fixed_slot == 1
    assert problem.unavailable == {3: frozenset({0}), 4: frozenset({2, 3})}
    assert problem.candidate_slots(first) == (0, 1)
    assert problem.candidate_slots(third) == (1,)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (SMALL.replace("nTables = 2;", "nTables = 2"), 5, "expected ';'"),
        (SMALL.replace("|1, 3, 2,", "|1, 9, 2,"), 8, "participant 9"),
        (SMALL.replace("|4, 2, 3,", "|4, 2, 5,"), 9, "session 5"),
        (SMALL.replace("{3..4}", "{7}"), 11, "slot 7"),
        (SMALL.replace("nMeetings = 3;", "nMeetings = 4;"), 7, "nMeetings = 4"),
        (SMALL.replace("fixed = [0, 0, 2];", "fixed = [0, 0];"), 12, "list of 3"),
        (SMALL.replace("nTables = 2;", "nTables = 0;"), 4, "at least 1"),
        (SMALL + "nBusiness = 5;", 13, "given twice"),
        (SMALL.replace("|];", "];"), 10, "expected"),
    ],
)
def test_read_dzn_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(DznError) as caught:
        read_dzn(text)
    assert caught.value.line == line, str(caught.value)
    assert words in caught.value.message


def test_read_dzn_missing_name() -> None:
    with pytest.raises(DznError, match="nTotalSlots is missing"):
        read_dzn("nBusiness = 2; nTables = 1; requested = [| 1, 2, 3 |];")


def test_check_problem_names_the_field() -> None:
    problem = ScheduleProblem(2, (Table(),), (Meeting(1, (1, 2)), Meeting(1, (2, 3))))
    with pytest.raises(ProblemError) as caught:
        check_problem(problem)
    assert caught.value.field == "meetings[1].key"


def test_overbooked_participant_is_diagnosed_before_solving() -> None:
    meetings = tuple(Meeting(k, (1, 10 + k)) for k in range(4))
    problem = ScheduleProblem(4, (Table(),) * 4, meetings, unavailable={1: frozenset({0, 3})})
    result = schedule_meetings(problem, time_limit=5)
    assert result.status == "infeasible"
    assert not result.placements
    (conflict,) = [c for c in result.conflicts if c.code == "participant-overbooked"]
    assert dict(conflict.params) == {"participant": 1, "meetings": 4, "free_slots": 2}


def test_other_conflicts() -> None:
    three = tuple(Meeting(k, (2 * k, 2 * k + 1)) for k in range(3))
    assert "too-few-tables" in codes(ScheduleProblem(1, (Table(), Table()), three))
    clash = (Meeting(1, (1, 2), fixed_slot=0), Meeting(2, (1, 3), fixed_slot=0))
    assert "fixed-clash" in codes(ScheduleProblem(2, (Table(), Table()), clash))
    access = (Meeting(1, (1, 2), needs_accessible=True),)
    assert codes(ScheduleProblem(2, (Table(),), access)) == {"no-accessible-table"}
    big = (Meeting(1, (1, 2), seats=5),)
    assert codes(ScheduleProblem(2, (Table(capacity=4),), big)) == {"no-table-fits"}
    nowhere = (Meeting(1, (1, 2), allowed_slots=frozenset({1})),)
    assert codes(ScheduleProblem(2, (Table(),), nowhere, unavailable={2: frozenset({1})})) == {"no-slot"}
    two_accessible = (
        Meeting(1, (1, 2), needs_accessible=True),
        Meeting(2, (3, 4), needs_accessible=True),
        Meeting(3, (5, 6), needs_accessible=True),
    )
    problem = ScheduleProblem(2, (Table(accessible=True), Table()), two_accessible)
    assert "no-accessible-table" in codes(problem)


def test_tables_that_differ_are_matched_per_slot() -> None:
    tables = (Table(capacity=2), Table(capacity=6), Table(capacity=4, accessible=True))
    meetings = (
        Meeting(1, (1, 2), seats=5),
        Meeting(2, (3, 4), needs_accessible=True, seats=3),
        Meeting(3, (5, 6), seats=4),
        Meeting(4, (7, 8)),
        Meeting(5, (9, 10), seats=3),
    )
    problem = ScheduleProblem(2, tables, meetings)
    result = schedule_meetings(problem, time_limit=5)
    assert result.status == "optimal"
    assert violations(problem, result.placements) == []
    where = {p.meeting: p.table for p in result.placements}
    assert where[1] == 1
    assert where[2] == 2


def test_optional_meetings_by_weight_and_minimum_first() -> None:
    meetings = (
        Meeting(1, (1, 2), mandatory=False, weight=1),
        Meeting(2, (3, 4), mandatory=False, weight=3),
    )
    problem = ScheduleProblem(1, (Table(),), meetings)
    result = schedule_meetings(problem, time_limit=5)
    assert [p.meeting for p in result.placements] == [2]
    assert result.unplaced == (1,)
    assert result.placed_weight == 3
    fair_share = schedule_meetings(replace(problem, min_meetings={1: 1}), time_limit=5)
    assert [p.meeting for p in fair_share.placements] == [1]


def test_maximum_meetings() -> None:
    meetings = tuple(Meeting(k, (1, 10 + k), mandatory=False) for k in range(4))
    problem = ScheduleProblem(4, (Table(),), meetings, max_meetings={1: 2})
    result = schedule_meetings(problem, time_limit=5)
    assert len(result.placements) == 2
    assert violations(problem, result.placements) == []


def test_fixed_meeting_keeps_its_slot_and_table() -> None:
    meetings = (Meeting(1, (1, 2), fixed_slot=2, fixed_table=1), Meeting(2, (1, 3)), Meeting(3, (2, 3)))
    problem = ScheduleProblem(3, (Table(), Table()), meetings)
    result = schedule_meetings(problem, time_limit=5)
    assert Placement(1, 2, 1) in result.placements
    # A triangle in three slots with one meeting in the last slot: one of its people waits once.
    assert result.status == "optimal"
    assert result.total_breaks == 1


def test_idle_time_across_sessions_is_not_a_break() -> None:
    meetings = (
        Meeting(1, (1, 2), allowed_slots=frozenset({0})),
        Meeting(2, (1, 3), allowed_slots=frozenset({3})),
    )
    problem = ScheduleProblem(4, (Table(),), meetings)
    assert schedule_meetings(problem, time_limit=5).total_breaks == 1
    lunch = replace(problem, session_starts=(2,))
    result = schedule_meetings(lunch, time_limit=5)
    assert result.total_breaks == 0
    assert result.status == "optimal"
    assert participant_breaks(lunch, result.placements) == {1: 0, 2: 0, 3: 0}


def test_rescheduling_moves_few_meetings() -> None:
    meetings = tuple(Meeting(k, (k % 3, 3 + k % 4)) for k in range(8))
    problem = ScheduleProblem(6, (Table(), Table()), meetings)
    first = schedule_meetings(problem, time_limit=5)
    previous = {p.meeting: (p.slot, p.table) for p in first.placements}
    again = schedule_meetings(replace(problem, previous=previous), time_limit=5)
    assert again.moved == 0
    assert again.total_breaks == first.total_breaks
    slot_of_meeting_0 = previous[0][0]
    changed = replace(problem, previous=previous, unavailable={0: frozenset({slot_of_meeting_0})})
    after = schedule_meetings(changed, time_limit=5)
    assert violations(changed, after.placements) == []
    fresh = schedule_meetings(replace(changed, previous={}), time_limit=5)
    fresh_moves = sum(1 for p in fresh.placements if previous[p.meeting] != (p.slot, p.table))
    assert after.total_breaks == fresh.total_breaks
    assert 1 <= after.moved <= fresh_moves


def test_greedy_baseline_is_valid() -> None:
    problem = read_dzn(SMALL)
    result = greedy_schedule(problem)
    assert result.status == "feasible"
    assert violations(problem, result.placements) == []


@pytest.mark.skipif(not (SHARED / "tic-12.original.dzn").exists(), reason="shared benchmark data not present")
def test_smallest_shared_instance_is_solved_optimally() -> None:
    problem = read_dzn((SHARED / "tic-12.original.dzn").read_text(encoding="utf-8"))
    result = schedule_meetings(problem, time_limit=10)
    assert violations(problem, result.placements) == []
    assert len(result.placements) == len(problem.meetings) == 125
    assert (result.status, result.total_breaks, result.bound) == ("optimal", 0, 0)


def test_progress_is_reported_and_an_empty_event_is_fine() -> None:
    seen: list[float] = []
    result = schedule_meetings(ScheduleProblem(3, (Table(),), ()), time_limit=5, progress=seen.append)
    assert result.status == "optimal"
    assert result.placements == ()
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert seen == sorted(seen)

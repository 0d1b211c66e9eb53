"""The meeting scheduler of brokerage events: slots and tables for requested meetings, fewest breaks.

See ``solver`` for the model, ``greedy`` for the baseline, ``dzn`` for the benchmark's file format
and ``diagnosis`` for the checks that explain an impossible event.
"""

from matchmaking.engine.meetings.diagnosis import diagnose
from matchmaking.engine.meetings.dzn import DznError, read_dzn
from matchmaking.engine.meetings.greedy import greedy_schedule
from matchmaking.engine.meetings.model import (
    Conflict,
    Meeting,
    Placement,
    ProblemError,
    ScheduleProblem,
    ScheduleResult,
    Table,
    check_problem,
    participant_breaks,
    violations,
)
from matchmaking.engine.meetings.solver import schedule_meetings

__all__ = [
    "Conflict",
    "DznError",
    "Meeting",
    "Placement",
    "ProblemError",
    "ScheduleProblem",
    "ScheduleResult",
    "Table",
    "check_problem",
    "diagnose",
    "greedy_schedule",
    "participant_breaks",
    "read_dzn",
    "schedule_meetings",
    "violations",
]

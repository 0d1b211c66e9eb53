"""Subcommands of ``matchmaking events`` that run the meeting scheduler on files: no database.

``solve-dzn`` reads an instance of the B2B meeting-scheduling benchmark (MiniZinc data) and prints
the schedule as JSON: ``{"status", "total_breaks", "bound", "seconds", "meetings": [{"meeting",
"slot", "table"}, ...]}``, where meetings are the 1-based rows of ``requested`` and slots and tables
are 1-based. A malformed file ends the command with exit status 2 and a message naming the line.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from matchmaking.engine.meetings import DznError, ScheduleResult, read_dzn, schedule_meetings

BAD_INPUT = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``events`` group to the ``matchmaking`` parser."""
    events = sub.add_parser(
        "events",
        help="brokerage events: schedule meetings",
        description="Brokerage-event tools that work on files.",
    )
    commands = events.add_subparsers(dest="events_command", metavar="COMMAND", required=True)
    solve = commands.add_parser(
        "solve-dzn",
        help="schedule the meetings of a benchmark instance (.dzn)",
        description="Schedule every requested meeting of a B2B benchmark instance with the fewest "
        "breaks, keeping the participants' break counts within --fairness of each other.",
    )
    solve.add_argument("file", type=Path, metavar="FILE.dzn")
    solve.add_argument(
        "--fairness", type=int, default=2, metavar="D", help="largest difference in breaks (2)"
    )
    solve.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds (60)")
    solve.add_argument("--workers", type=int, default=2, metavar="N", help="solver threads (2)")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("--format", choices=("json", "text"), default="json")
    solve.set_defaults(handler=solve_dzn_command)


def solve_dzn_command(args: argparse.Namespace) -> int:
    if args.fairness < 0:
        print(f"--fairness, value {args.fairness}: give 0 or more", file=sys.stderr)
        return BAD_INPUT
    if args.time_limit <= 0:
        print(f"--time-limit, value {args.time_limit}: give a positive number of seconds", file=sys.stderr)
        return BAD_INPUT
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.file}: cannot be read ({exc})", file=sys.stderr)
        return BAD_INPUT
    try:
        problem = read_dzn(text)
    except DznError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return BAD_INPUT
    problem = replace(problem, fairness=args.fairness)
    result = schedule_meetings(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    if args.format == "json":
        print(json.dumps(as_json(result)))
    else:
        print(
            f"{result.status}: {result.total_breaks} breaks (bound {result.bound}), "
            f"{len(result.placements)} meetings, {result.seconds:.2f} s"
        )
        for placement in sorted(result.placements, key=lambda p: (p.slot, p.table)):
            print(f"slot {placement.slot + 1}  table {placement.table + 1}  meeting {placement.meeting}")
    for conflict in result.conflicts:
        params = ", ".join(f"{key}={value}" for key, value in conflict.params.items())
        print(f"{conflict.code}: {params}", file=sys.stderr)
    return 0


def as_json(result: ScheduleResult) -> dict[str, Any]:
    """The command's JSON: meetings, slots and tables 1-based, in meeting order."""
    return {
        "status": result.status,
        "total_breaks": result.total_breaks,
        "bound": result.bound,
        "seconds": round(result.seconds, 3),
        "meetings": [
            {"meeting": p.meeting, "slot": p.slot + 1, "table": p.table + 1}
            for p in sorted(result.placements, key=lambda p: p.meeting)
        ],
    }

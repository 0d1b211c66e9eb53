"""The meeting scheduler on the B2B benchmark instances, and on a generated event of 1,000 delegates.

For each ``.dzn`` instance of the shared benchmark (ten "original" instances of Bofill et al., JAIR
2022): the solver's time, total breaks, the best known result and the gap to it, and the same for the
greedy baseline (which may leave meetings unplaced: then it has no total). Then a generated event:
1,000 registrations, 5,000 accepted requests (optional, weights 1 or 3), 20 slots in two sessions,
200 tables; it reports the meetings placed as a share of an upper bound on what can be placed.

Run: .venv/bin/python benchmarks/meeting_schedule.py [--time-limit 60] [--only tic-12] [--data DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
from dataclasses import replace
from pathlib import Path

from common import show, timed
from matchmaking.engine.meetings import (
    Meeting,
    Placement,
    ScheduleProblem,
    Table,
    greedy_schedule,
    participant_breaks,
    read_dzn,
    schedule_meetings,
    violations,
)

BEST_KNOWN = {  # the paper's Table 3 (MaxSAT, fairness d = 2), all proved optimal
    "tic-12": 0,
    "tic-13": 0,
    "tic-13crafb": 0,
    "tic-14crafa": 0,
    "forum-13": 0,
    "forum-13crafc": 1,
    "forumt-14": 5,
    "forumt-14crafd": 4,
    "ticf-13crafa": 0,
    "ticf-13crafc": 1,
}

HEADERS = (
    "instance",
    "participants",
    "meetings",
    "solver s",
    "breaks",
    "best known",
    "gap",
    "greedy breaks",
    "greedy gap",
    "status",
)

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "b2b-meetings"


def benchmark_instances(data: Path, time_limit: float, only: str | None) -> None:
    rows: list[tuple[str, ...]] = []
    times: list[float] = []
    reached = 0
    files = sorted(data.glob("*.dzn"))
    for path in files:
        name = path.name.removesuffix(".dzn").removesuffix(".original")
        if only and name != only:
            continue
        problem = read_dzn(path.read_text(encoding="utf-8"))
        greedy, _ = timed(lambda problem=problem: greedy_schedule(problem))
        result, _ = timed(lambda problem=problem: schedule_meetings(problem, time_limit=time_limit))
        best = BEST_KNOWN.get(name)
        valid = not violations(problem, result.placements) and len(result.placements) == len(problem.meetings)
        breaks = participant_breaks(problem, result.placements)
        fair = not breaks or max(breaks.values()) - min(breaks.values()) <= 2
        greedy_complete = len(greedy.placements) == len(problem.meetings)
        if best is not None and valid and result.total_breaks <= best:
            reached += 1
        times.append(result.seconds)
        rows.append(
            (
                name,
                str(len(problem.participants())),
                str(len(problem.meetings)),
                f"{result.seconds:.2f}",
                str(result.total_breaks) if valid else "invalid",
                "?" if best is None else str(best),
                "?" if best is None or not valid else f"{result.total_breaks - best:+d}",
                str(greedy.total_breaks) if greedy_complete else f"{len(greedy.unplaced)} unplaced",
                "?" if best is None or not greedy_complete else f"{greedy.total_breaks - best:+d}",
                f"{result.status}{'' if fair else ', unfair'} (bound {result.bound})",
            )
        )
    show(
        f"Meeting scheduler on the B2B benchmark, {time_limit:g} s per instance, 2 workers",
        rows,
        HEADERS,
    )
    print("| " + " | ".join(HEADERS) + " |")
    print("|" + "---|" * len(HEADERS))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if times:
        print(
            f"best known reached on {reached} of {len(times)}; median solver time "
            f"{statistics.median(times):.2f} s; every meeting placed and every constraint met where "
            "'breaks' is a number"
        )


def generated_event(delegates: int, requests: int, slots: int, tables: int, seed: int) -> ScheduleProblem:
    """Registrations with 1–3 people, random accepted requests (optional; one in four weighs 3)."""
    rng = random.Random(seed)
    size = {p: rng.choice((1, 1, 1, 2, 2, 3)) for p in range(delegates)}
    pairs: set[tuple[int, int]] = set()
    popularity = [rng.paretovariate(2.0) for _ in range(delegates)]
    people = list(range(delegates))
    while len(pairs) < requests:
        a, b = rng.choices(people, weights=popularity, k=2)
        if a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    meetings = tuple(
        Meeting(
            key=k,
            parties=pair,
            mandatory=False,
            weight=3 if rng.random() < 0.25 else 1,
            seats=size[pair[0]] + size[pair[1]],
        )
        for k, pair in enumerate(sorted(pairs), start=1)
    )
    table_list = tuple(
        Table(capacity=rng.choice((4, 4, 6)), accessible=rng.random() < 0.2) for _ in range(tables)
    )
    unavailable = {p: frozenset(rng.sample(range(slots), rng.choice((0, 0, 1, 2)))) for p in range(delegates)}
    return ScheduleProblem(
        n_slots=slots,
        tables=table_list,
        meetings=meetings,
        unavailable={p: s for p, s in unavailable.items() if s},
        session_starts=(slots // 2,),
        fairness=2,
    )


def placement_bound(problem: ScheduleProblem) -> int:
    """Meetings that can be placed at most: table-slots, and each participant's free slots."""
    degree: dict[int, int] = {}
    for m in problem.meetings:
        for p in m.parties:
            degree[p] = degree.get(p, 0) + 1
    per_participant = sum(
        min(n, problem.n_slots - len(problem.unavailable.get(p, frozenset()))) for p, n in degree.items()
    )
    return min(len(problem.meetings), problem.n_slots * len(problem.tables), per_participant // 2)


def benchmark_event(time_limit: float) -> None:
    problem = generated_event(1_000, 5_000, 20, 200, seed=13)
    bound = placement_bound(problem)
    greedy, _ = timed(lambda: greedy_schedule(problem))
    result, _ = timed(lambda: schedule_meetings(replace(problem), time_limit=time_limit))
    valid = not violations(problem, result.placements)

    def spread(placements: tuple[Placement, ...]) -> str:
        breaks = participant_breaks(problem, placements)
        return f"{min(breaks.values())}–{max(breaks.values())}" if breaks else ""

    rows = [
        (
            "greedy",
            f"{greedy.seconds:.2f}",
            str(len(greedy.placements)),
            f"{100 * len(greedy.placements) / bound:.1f} %",
            str(greedy.placed_weight),
            str(greedy.total_breaks),
            spread(greedy.placements),
            "",
        ),
        (
            "solver",
            f"{result.seconds:.2f}",
            str(len(result.placements)),
            f"{100 * len(result.placements) / bound:.1f} %",
            str(result.placed_weight),
            str(result.total_breaks) if valid else "invalid",
            spread(result.placements),
            result.status + "".join(f", {c.code}" for c in result.conflicts),
        ),
    ]
    show(
        f"Generated event: 1,000 registrations, 5,000 requests, 20 slots, 200 tables; bound {bound} meetings",
        rows,
        (
            "method",
            "seconds",
            "placed",
            "% of bound",
            "weight placed",
            "breaks",
            "breaks per person",
            "status",
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--only", help="one instance, e.g. tic-12, or 'event' for the generated event")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if args.only != "event":
        benchmark_instances(args.data, args.time_limit, args.only)
    if args.only in (None, "event"):
        benchmark_event(args.time_limit)


if __name__ == "__main__":
    main()

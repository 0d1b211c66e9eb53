"""Stable allocation against the `matching` package (hospitals/residents), 5,000 × 1,000.

Ten preferences per participant, placements ranking all their applicants, 1–5 seats. The two
results must be identical. End to end = from Python lists (ours) or dictionaries (theirs) to the
answer; solve only = ours on prepared arrays, theirs ``game.solve()`` on a built game. Most of the
package's end-to-end time is building its objects (``create_from_dictionaries``), so the fair
comparison of the algorithms is solve only; both are printed, with the construction's share.

Run: .venv/bin/python benchmarks/stable_vs_matching.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
import threading
import warnings
from typing import Any

import numpy as np
from matching.games import HospitalResident

from common import median_time, show, timed
from matchmaking.engine.allocation import mutual_preferences, solve_stable, stable_allocation


def instance(n: int, m: int, length: int, seed: int) -> tuple[list[list[int]], list[list[int]], list[int]]:
    rng = np.random.default_rng(seed)
    choices = np.argsort(rng.random((n, m)), axis=1)[:, :length]
    rows = np.repeat(np.arange(n), length)
    cols = choices.ravel()
    order = np.lexsort((rng.random(len(cols)), cols))
    counts = np.bincount(cols, minlength=m)
    applicants = np.split(rows[order], np.cumsum(counts)[:-1])
    return choices.tolist(), [a.tolist() for a in applicants], rng.integers(1, 6, m).tolist()


def in_big_thread(function: Any) -> Any:
    """The `matching` package recurses deeply (deep copies): give it a large stack and limit."""
    box: dict[str, Any] = {}
    threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(1_000_000)

    def run() -> None:
        box["value"] = function()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box["value"]


def reference(
    participants: list[list[int]], placements: list[list[int]], seats: list[int]
) -> tuple[list[int], float, float]:
    def build() -> HospitalResident:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return HospitalResident.create_from_dictionaries(
                dict(enumerate(participants)), dict(enumerate(placements)), dict(enumerate(seats))
            )

    game, build_seconds = in_big_thread(lambda: timed(build))
    solution, solve_seconds = in_big_thread(lambda: timed(lambda: game.solve(optimal="resident")))
    result = [-1] * len(participants)
    for hospital, residents in solution.items():
        for resident in residents:
            result[resident.name] = hospital.name
    return result, build_seconds + solve_seconds, solve_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    participants, placements, seats = instance(5_000, 1_000, 10, seed=1)
    ours, ours_total = median_time(
        lambda: stable_allocation(participants, placements, seats), max(args.repeats, 5)
    )
    prepared = mutual_preferences(participants, placements, seats)
    _, ours_solve = median_time(lambda: solve_stable(prepared), max(args.repeats, 5))
    totals, solves = [], []
    theirs: list[int] = []
    for _ in range(args.repeats):
        theirs, total, solve = reference(participants, placements, seats)
        totals.append(total)
        solves.append(solve)
    their_total, their_solve = float(np.median(totals)), float(np.median(solves))
    identical = ours.tolist() == theirs
    show(
        "Stable allocation, 5,000 participants × 1,000 placements (median seconds)",
        [
            ("end to end", f"{ours_total:.4f}", f"{their_total:.2f}", f"{their_total / ours_total:.0f}×"),
            (
                "  of which building the package's objects",
                "",
                f"{their_total - their_solve:.2f}",
                f"{(their_total - their_solve) / their_total:.0%} of its end to end",
            ),
            ("solve only", f"{ours_solve:.4f}", f"{their_solve:.2f}", f"{their_solve / ours_solve:.0f}×"),
            ("identical result", str(identical), "", ""),
            ("placed", str(int((ours >= 0).sum())), str(sum(1 for x in theirs if x >= 0)), ""),
        ],
        ("measure", "engine", "matching package", "ratio"),
    )
    if not identical:
        raise SystemExit("results differ")


if __name__ == "__main__":
    main()

"""Stable allocation at scale: 1,000,000 participants × 100,000 placements, 20 preferences each.

Placements rank all their applicants; 1–5 seats. Timed end to end from Python lists of lists, as a
caller would hand them over. Peak memory is the whole process's, input included. The baseline in
the same run is a plain-Python one-proposal-at-a-time deferred acceptance on a 1/10 instance
(100,000 × 10,000), run after the big one so its memory does not count.

Run: .venv/bin/python benchmarks/stable_large.py
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np

from common import cpu_seconds, peak_rss_gb, show, timed
from matchmaking.engine.allocation import stable_allocation


def instance(n: int, m: int, length: int, seed: int) -> tuple[list[list[int]], list[list[int]], list[int]]:
    """Distinct choices per participant; each placement lists all its applicants in its own random order."""
    rng = np.random.default_rng(seed)
    choices = rng.integers(0, m, (n, length))
    ordered = np.sort(choices, axis=1)
    for row in np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1)):
        choices[row] = rng.choice(m, length, replace=False)
    del ordered
    cols = choices.ravel()
    order = np.argsort(cols * np.int64(n) + rng.integers(0, n, len(cols)), kind="stable")
    applicants = (order // length).astype(np.int64)
    counts = np.bincount(cols, minlength=m)
    participant_lists = choices.tolist()
    del choices, cols, order
    placement_lists = [a.tolist() for a in np.split(applicants, np.cumsum(counts)[:-1])]
    del applicants
    gc.collect()
    return participant_lists, placement_lists, rng.integers(1, 6, m).tolist()


def python_deferred_acceptance(
    participants: list[list[int]], placements: list[list[int]], seats: list[int]
) -> list[int]:
    """The textbook algorithm in plain Python: a queue of free participants, a heap per placement."""
    import heapq

    rank = [{i: r for r, i in enumerate(lst)} for lst in placements]
    held: list[list[tuple[int, int]]] = [[] for _ in placements]
    nxt = [0] * len(participants)
    free = list(range(len(participants)))
    result = [-1] * len(participants)
    while free:
        i = free.pop()
        while nxt[i] < len(participants[i]):
            j = participants[i][nxt[i]]
            nxt[i] += 1
            r = rank[j].get(i)
            if r is None or seats[j] == 0:
                continue
            if len(held[j]) < seats[j]:
                heapq.heappush(held[j], (-r, i))
                result[i] = j
                break
            if -held[j][0][0] > r:
                _, out = heapq.heapreplace(held[j], (-r, i))
                result[i] = j
                result[out] = -1
                free.append(out)
                break
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=100_000)
    args = parser.parse_args()
    n, m = args.participants, args.placements
    participants, placements, seats = instance(n, m, 20, seed=2)
    input_rss = peak_rss_gb()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    result = stable_allocation(participants, placements, seats)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    peak = peak_rss_gb()
    placed = int((result >= 0).sum())
    del participants, placements, result
    gc.collect()
    small = instance(n // 10, m // 10, 20, seed=3)
    ours_small, ours_small_s = timed(lambda: stable_allocation(*small))
    theirs_small, theirs_small_s = timed(lambda: python_deferred_acceptance(*small))
    show(
        f"Stable allocation, {n:,} × {m:,}, 20 preferences each",
        [
            ("end to end from Python lists", f"{seconds:.2f} s", "< 15 s"),
            ("  CPU time of that run (user + system)", f"{cpu:.2f} s", ""),
            ("peak RSS of the process (input included)", f"{peak:.2f} GB", "< 4 GB"),
            ("peak RSS after building the input", f"{input_rss:.2f} GB", ""),
            ("placed", f"{placed:,}", ""),
            (
                "1/10 instance: engine / plain Python",
                f"{ours_small_s:.2f} s / {theirs_small_s:.2f} s",
                f"{theirs_small_s / ours_small_s:.0f}× faster",
            ),
            ("1/10 instance: identical result", str(ours_small.tolist() == theirs_small), ""),
        ],
        ("measure", "value", "target"),
    )


if __name__ == "__main__":
    main()

"""Top-20 ranking of 1,000,000 participants among 100,000 placements on Dask, with 1 and 2 workers.

The placements (ESCO-shaped synthetic skill sets, ``skill_data``) are built here and their ranking
plan broadcast once to every worker; the participants are never shipped: each task builds its own
chunk from a seed inside the worker (``SeededPeople``), so the client holds only the results
(participants × 20 indices and scores). First, on a 20,000 × 2,000 sample, the Dask result is
checked to be identical to the single-process ``ranking.top_k`` with the same chunks.

    .venv/bin/python benchmarks/dask_ranking.py                               # 1,000,000 × 100,000
    .venv/bin/python benchmarks/dask_ranking.py --participants 200000 --workers 1 2
    DASK_SCHEDULER_ADDRESS=tcp://host:8786 .venv/bin/python benchmarks/dask_ranking.py --workers 0

``--workers 0`` uses the scheduler named by ``DASK_SCHEDULER_ADDRESS`` instead of a local cluster
(the cluster's workers must be able to import ``skill_data`` from this directory).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
# Spawned workers import skill_data (SeededPeople's rows) from here.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(HERE), str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")) if p
)

import skill_data  # noqa: E402
from common import show  # noqa: E402
from matchmaking.engine.distributed import close, connect, top_k_dask  # noqa: E402
from matchmaking.engine.ranking import top_k  # noqa: E402

WORLD_SEED = 4


@cache
def _world() -> skill_data.SkillWorld:
    return skill_data.make_world(np.random.default_rng(WORLD_SEED))


@dataclass(frozen=True)
class SeededPeople:
    """``count`` participants; rows ``start:stop`` drawn from the seed and ``start`` alone, so any
    worker builds the same chunk."""

    count: int
    seed: int = 11

    def __len__(self) -> int:
        return self.count

    def rows(self, start: int, stop: int) -> sp.csr_matrix:
        rng = np.random.default_rng([self.seed, start])
        return skill_data.participants(_world(), stop - start, rng)


def _worker_cpu_seconds(client: object) -> float:
    """User + system CPU seconds of all workers together so far."""

    def cpu() -> float:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    return sum(client.run(cpu).values())  # type: ignore[attr-defined]


def _worker_peak_gb(client: object) -> float:
    def hwm() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 / 1024
        return 0.0

    return max(client.run(hwm).values(), default=0.0)  # type: ignore[attr-defined]


def _reporter(workers: int, started: float) -> Callable[[int, int], None]:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter() - started
        if now - last[0] > 30 or done == total:
            last[0] = now
            print(f"  {workers} worker(s): {done:,}/{total:,} after {now:.0f} s", flush=True)

    return progress


def check_identical(chunk_rows: int) -> tuple[bool, float, float]:
    people_source = SeededPeople(20_000, seed=5)
    places = skill_data.placements(_world(), 2_000, np.random.default_rng(6))
    starts = range(0, len(people_source), chunk_rows)
    people = sp.vstack([people_source.rows(s, min(s + chunk_rows, 20_000)) for s in starts]).tocsr()
    started = time.perf_counter()
    here = top_k(people, places, 20, chunk_rows=chunk_rows, workers=1)
    here_seconds = time.perf_counter() - started
    client = connect(workers=1, processes=False)
    try:
        started = time.perf_counter()
        there = top_k_dask(people_source, places, 20, client=client, chunk_rows=chunk_rows)
        there_seconds = time.perf_counter() - started
    finally:
        close(client)
    same = np.array_equal(here.placements, there.placements) and np.array_equal(here.scores, there.scores)
    return same, here_seconds, there_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--chunk-rows", type=int, default=2048)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    same, here_s, there_s = check_identical(args.chunk_rows)
    print(
        f"20,000 × 2,000 sample: identical to the single-process ranking: {same} "
        f"(one process {here_s:.1f} s, Dask with 1 in-process worker {there_s:.1f} s)",
        flush=True,
    )
    if not same:
        raise SystemExit("results differ")
    places = skill_data.placements(_world(), args.placements, np.random.default_rng(6))
    people = SeededPeople(args.participants)
    rows = []
    for workers in args.workers:
        client = connect(None, workers=workers) if workers else connect(os.environ["DASK_SCHEDULER_ADDRESS"])
        try:
            client.run(_world)  # each worker builds the skill world once, before the clock starts
            cpu_before = _worker_cpu_seconds(client)
            started = time.perf_counter()
            progress = _reporter(workers, started)
            found = top_k_dask(
                people, places, args.k, client=client, chunk_rows=args.chunk_rows, progress=progress
            )
            seconds = time.perf_counter() - started
            cpu = _worker_cpu_seconds(client) - cpu_before
            peak = _worker_peak_gb(client)
        finally:
            close(client)
        filled = float((found.placements[:, -1] >= 0).mean())
        rows.append((workers, seconds, cpu, peak, filled))
        print(
            f"{workers} worker(s): {seconds:.0f} s, workers' CPU {cpu:.0f} s, peak {peak:.2f} GB", flush=True
        )
    first = rows[0][1]
    show(
        f"Top-{args.k} ranking on Dask, {args.participants:,} participants × {args.placements:,} placements "
        "(people built in the workers, placements broadcast once)",
        [
            (str(w or "cluster"), f"{s:.0f} s", f"{first / s:.2f}×", f"{c:.0f} s", f"{p:.2f} GB", f"{f:.3f}")
            for w, s, c, p, f in rows
        ],
        (
            "workers (1 thread each)",
            "wall clock",
            "speed-up",
            "workers' CPU",
            "peak RSS per worker",
            "rows with 20",
        ),
    )


if __name__ == "__main__":
    main()

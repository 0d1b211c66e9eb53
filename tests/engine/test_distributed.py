"""Ranking on a Dask cluster gives what the single-process ranking gives, chunk for chunk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import pytest
import scipy.sparse as sp

from matchmaking.engine.allocation_round import Monitoring
from matchmaking.engine.distributed import SCHEDULER_ENV, close, connect, top_k_dask
from matchmaking.engine.people import Participant, Placement, Skill
from matchmaking.engine.ranking import top_k
from matchmaking.engine.shortlist import run_round_shortlisted


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    found = connect(workers=2, processes=False)
    yield found
    close(found)


def _matrices(people: int, places: int, items: int, seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    rng = np.random.default_rng(seed)
    a = sp.random(people, items, density=0.05, format="csr", random_state=rng, dtype=np.float32)
    a.data[:] = 1.0
    w = sp.random(places, items, density=0.04, format="csr", random_state=rng, dtype=np.float32)
    w.data *= 30
    return a, w


def test_the_cluster_ranks_exactly_as_one_process(client) -> None:
    a, w = _matrices(3_000, 400, 300, seed=3)
    here = top_k(a, w, 20, chunk_rows=500)
    seen: list[int] = []
    there = top_k_dask(a, w, 20, client=client, chunk_rows=500, progress=lambda d, _n: seen.append(d))
    assert np.array_equal(here.placements, there.placements)
    assert np.array_equal(here.scores, there.scores)
    assert seen[-1] == 3_000


@dataclass(frozen=True)
class Seeded:
    """People made inside the worker from a seed, as the large benchmark does."""

    people: int
    items: int

    def __len__(self) -> int:
        return self.people

    def rows(self, start: int, stop: int) -> sp.csr_matrix:
        rng = np.random.default_rng(start)
        a = sp.random(
            stop - start, self.items, density=0.05, format="csr", random_state=rng, dtype=np.float32
        )
        a.data[:] = 1.0
        return a


def test_people_built_in_the_workers_rank_as_if_sent(client) -> None:
    source = Seeded(1_000, 300)
    _, w = _matrices(10, 200, 300, seed=4)
    sent = sp.vstack([source.rows(s, min(s + 250, 1_000)) for s in range(0, 1_000, 250)]).tocsr()
    built = top_k_dask(source, w, 10, client=client, chunk_rows=250)
    assert np.array_equal(built.placements, top_k(sent, w, 10, chunk_rows=250).placements)


def test_a_round_on_the_cluster_allocates_as_on_one_machine(client) -> None:
    rng = np.random.default_rng(9)
    people = [
        Participant(
            f"p{n}", skills=tuple(Skill(f"s{x}") for x in sorted(set(rng.integers(0, 30, 5).tolist())))
        )
        for n in range(200)
    ]
    places = [
        Placement(
            f"q{n}",
            seats=2,
            required_skills=tuple(f"s{x}" for x in sorted(set(rng.integers(0, 30, 3).tolist()))),
        )
        for n in range(60)
    ]
    monitoring = [Monitoring() for _ in people]
    here = run_round_shortlisted(people, places, monitoring, "optimal", k=5, min_fit=20.0)
    there = run_round_shortlisted(
        people, places, monitoring, "optimal", k=5, min_fit=20.0, ranker=partial(top_k_dask, client=client)
    )
    assert here == there


def test_the_scheduler_address_comes_from_the_environment(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://scheduler.example:8786")
    monkeypatch.setattr("matchmaking.engine.distributed.Client", lambda address: calls.append(address))
    connect()
    assert calls == ["tcp://scheduler.example:8786"]

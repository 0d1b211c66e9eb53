"""The ranking of a batch past one machine: chunks of people on a Dask cluster, placements sent once.

``top_k_dask`` gives exactly what ``ranking.top_k`` gives (the same chunks, ranked by the same
``RankingPlan.chunk``), but each chunk runs as a task on a ``dask.distributed`` worker. The
placement side (``RankingPlan``: the weight matrix, split into rare and common columns) is built
once and scattered to every worker with ``broadcast=True``; each task carries only its own people.
For batches too large to hold on the client, the people can be a ``PeopleSource``: a small,
picklable object that builds rows ``start:stop`` inside the worker (from files, or from a seed in
the benchmark), so they never cross the network at all.

The global allocation then runs on the gathered top-k lists, as for one machine
(``shortlist.run_round_shortlisted`` with ``ranker=`` this function bound to a client).

The cluster: ``connect(address)`` joins the scheduler at ``address``, else the one named by the
environment variable ``DASK_SCHEDULER_ADDRESS``, else starts a ``LocalCluster`` on this machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from distributed import Client, LocalCluster, as_completed

from matchmaking.engine.ranking import FloatArray, IndexArray, RankingPlan, TopK

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
Progress = Callable[[int, int], None]


class PeopleSource(Protocol):
    """People built where they are ranked: ``len(source)`` rows, ``source.rows(start, stop)``."""

    def __len__(self) -> int: ...

    def rows(self, start: int, stop: int) -> sp.csr_matrix: ...


def connect(address: str | None = None, *, workers: int = 2, processes: bool = True) -> Client:
    """A client of the scheduler at ``address`` or ``$DASK_SCHEDULER_ADDRESS``, else of a new
    ``LocalCluster`` with ``workers`` single-threaded workers (closed with the client)."""
    address = address or os.environ.get(SCHEDULER_ENV) or None
    if address:
        return Client(address)  # type: ignore[no-untyped-call]
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None
    )
    client = Client(cluster)  # type: ignore[no-untyped-call]
    client._matchmaking_cluster = cluster  # type: ignore[attr-defined]  # closed by close()
    return client


def close(client: Client) -> None:
    """Close the client, and the local cluster ``connect`` started for it."""
    cluster = getattr(client, "_matchmaking_cluster", None)
    client.close()  # type: ignore[no-untyped-call]
    if cluster is not None:
        cluster.close()


def _rank_rows(rows: sp.csr_matrix, plan: RankingPlan, k: int) -> tuple[IndexArray, FloatArray]:
    return plan.chunk(sp.csr_matrix(rows, dtype=np.float32), k)


def _rank_built(source: PeopleSource, start: int, stop: int, plan: RankingPlan, k: int) -> tuple[Any, Any]:
    return plan.chunk(sp.csr_matrix(source.rows(start, stop), dtype=np.float32), k)


def top_k_dask(
    participants: sp.csr_matrix | PeopleSource,
    placements: sp.csr_matrix,
    k: int = 20,
    *,
    client: Client,
    chunk_rows: int = 2048,
    common_share: float | None = 0.02,
    progress: Progress | None = None,
) -> TopK:
    """``ranking.top_k`` on a Dask cluster: the same result, chunk by chunk on the workers.

    Parameters
    ----------
    participants : scipy.sparse matrix or PeopleSource
        A matrix is cut into chunks that travel with their tasks; a source builds its rows in the
        worker.
    placements : scipy.sparse matrix
        Sent to every worker once (as its ``RankingPlan``).
    k, chunk_rows, common_share, progress
        As for ``ranking.top_k``.
    client : distributed.Client

    Returns
    -------
    TopK
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    plan = RankingPlan.make(sp.csr_matrix(placements, dtype=np.float32), common_share)
    shared = client.scatter(plan, broadcast=True)  # type: ignore[no-untyped-call]
    n = participants.shape[0] if sp.issparse(participants) else len(participants)  # type: ignore[union-attr]
    out_idx = np.full((n, k), -1, dtype=np.int32)
    out_score = np.zeros((n, k), dtype=np.float32)
    futures = {}
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        if sp.issparse(participants):
            rows = participants[start:stop]  # type: ignore[index]
            future = client.submit(_rank_rows, rows, shared, k, pure=False)
        else:
            future = client.submit(_rank_built, participants, start, stop, shared, k, pure=False)
        futures[future] = start
    done = 0
    for future, (idx, score) in as_completed(futures, with_results=True):  # type: ignore[no-untyped-call]
        start = futures.pop(future)
        out_idx[start : start + len(idx)] = idx
        out_score[start : start + len(idx)] = score
        done += len(idx)
        if progress is not None:
            progress(done, n)
    return TopK(out_idx, out_score)

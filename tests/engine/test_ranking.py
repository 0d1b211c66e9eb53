"""Top-k ranking at scale: equal to a dense brute force, chunk-independent, with progress reports."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.engine.people import Participant, Placement, Skill, match
from matchmaking.engine.ranking import (
    TopK,
    participant_matrix,
    placement_weight_matrix,
    recall_at_k,
    top_k,
    vocabulary_of,
)


def random_problem(
    seed: int, n: int = 300, m: int = 200, columns: int = 120
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Zipf-like columns, so a few are common and trigger the pruning path."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, columns + 1) ** 1.2
    p /= p.sum()
    people = sp.lil_matrix((n, columns), dtype=np.float32)
    for i in range(n):
        people[i, np.unique(rng.choice(columns, size=int(rng.integers(0, 12)), p=p))] = 1.0
    places = sp.lil_matrix((m, columns), dtype=np.float32)
    for j in range(m):
        picked = np.unique(rng.choice(columns, size=int(rng.integers(1, 8)), p=p))
        places[j, picked] = 100.0 / len(picked)
    return people.tocsr(), places.tocsr()


def assert_is_top_k(result: TopK, dense: np.ndarray, k: int) -> None:
    """Each row holds the k best positive scores (any order among ties), best first, with true scores."""
    for row in range(dense.shape[0]):
        truth = np.sort(dense[row][dense[row] > 0])[::-1][:k]
        got = result.placements[row][result.placements[row] >= 0]
        assert len(got) == len(truth)
        np.testing.assert_allclose(result.scores[row][: len(got)], truth, rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(dense[row][got], result.scores[row][: len(got)], rtol=1e-5, atol=1e-4)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([None, 0.0, 0.02, 0.2]), st.integers(1, 25))
def test_equals_dense_brute_force(seed: int, common_share: float | None, k: int) -> None:
    people, places = random_problem(seed)
    dense = (people @ places.T).toarray()
    result = top_k(people, places, k, chunk_rows=64, common_share=common_share)
    assert_is_top_k(result, dense, k)


def test_chunk_size_and_workers_do_not_change_the_result() -> None:
    people, places = random_problem(7)
    one = top_k(people, places, 10, chunk_rows=1000, workers=1)
    many = top_k(people, places, 10, chunk_rows=17, workers=2)
    np.testing.assert_allclose(one.scores, many.scores, atol=1e-4)


def test_progress_is_reported_per_chunk() -> None:
    people, places = random_problem(3, n=100)
    calls: list[tuple[int, int]] = []
    top_k(people, places, 5, chunk_rows=30, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(30, 100), (60, 100), (90, 100), (100, 100)]


def test_recall_counts_ties_as_correct() -> None:
    exact = TopK(np.array([[0, 1]], dtype=np.int32), np.array([[5.0, 3.0]], dtype=np.float32))
    tie = TopK(np.array([[0, 2]], dtype=np.int32), np.array([[5.0, 3.0]], dtype=np.float32))
    worse = TopK(np.array([[0, 2]], dtype=np.int32), np.array([[5.0, 2.0]], dtype=np.float32))
    assert recall_at_k(tie, exact) == 1.0
    assert recall_at_k(worse, exact) == 0.5


def test_matrices_reproduce_the_pair_score() -> None:
    people = [
        Participant("a", skills=(Skill("s1"), Skill("s2")), occupation_interests=("o1",)),
        Participant("b", skills=(Skill("s3"),)),
    ]
    places = [
        Placement("x", occupation="o1", required_skills=("s1", "s3"), desired_skills=("s2",)),
        Placement("y", occupation="o2", required_skills=("s3",)),
    ]
    held = [[s.uri for s in p.skills] + list(p.occupation_interests) for p in people]
    vocabulary = vocabulary_of(held, [p.required_skills + p.desired_skills + (p.occupation,) for p in places])
    a = participant_matrix(held, vocabulary)
    w = placement_weight_matrix(
        [p.required_skills for p in places],
        [p.desired_skills for p in places],
        [p.occupation for p in places],
        vocabulary,
    )
    dense = (a @ w.T).toarray()
    for i, person in enumerate(people):
        for j, place in enumerate(places):
            assert dense[i, j] == pytest.approx(match(person, place).score, abs=0.05)


def test_k_must_be_positive() -> None:
    people, places = random_problem(1, n=5, m=5)
    with pytest.raises(ValueError, match="k must be at least 1"):
        top_k(people, places, 0)

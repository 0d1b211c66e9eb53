"""Disclosure control: small counts hidden, and no hidden count can be worked out from the totals.

The attack: an intruder knows every figure shown, that "<k" is 1 to k−1 and "x" is 0 or more, and
that each row and column adds up to its total. For every hidden entry, linear programming finds its
smallest and largest possible value; the protection holds when they differ.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from matchmaking.monitoring import disclosure
from matchmaking.monitoring.disclosure import protect

K = 5


def _attack(protected: disclosure.Protected) -> dict[tuple[int, int], tuple[float, float]]:
    """The range of every hidden entry given what is shown and the additive structure."""
    grid, marks = protected.grid, protected.marks
    hidden = [(i, j) for i, row in enumerate(marks) for j, mark in enumerate(row) if mark]
    if not hidden:
        return {}
    index = {pos: n for n, pos in enumerate(hidden)}
    n_rows, width = len(grid), len(grid[0])
    lines = disclosure._lines(*protected.shape_args)  # the same lines the tables publish
    a_eq, b_eq = [], []
    for line in lines:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for pos in line[:-1]:
            if pos in index:
                row[index[pos]] += 1
            else:
                rhs -= grid[pos[0]][pos[1]]
        total = line[-1]
        if total in index:
            row[index[total]] -= 1
        else:
            rhs += grid[total[0]][total[1]]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = [(1, K - 1) if marks[i][j] == "primary" else (0, None) for i, j in hidden]
    out = {}
    for pos, n in index.items():
        c = np.zeros(len(hidden))
        c[n] = 1
        low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        upper = -high.fun if high.status == 0 else float("inf")
        out[pos] = (low.fun, upper)
    assert n_rows
    assert width
    return out


def test_a_small_count_is_shown_as_less_than_k(settings):
    settings.SMALL_CELL_THRESHOLD = 5
    assert disclosure.suppress(3) == "<5"
    assert disclosure.suppress(0) == 0
    assert disclosure.suppress(5) == 5
    assert disclosure.share(3, 40) == "<5"
    assert disclosure.share(10, 40) == 25.0
    assert disclosure.share(0, 0) is None


def test_the_threshold_stays_between_3_and_10(settings):
    settings.SMALL_CELL_THRESHOLD = 2
    assert disclosure.threshold() == 3
    settings.SMALL_CELL_THRESHOLD = 25
    assert disclosure.threshold() == 10


def test_recovering_a_suppressed_cell_from_the_totals_fails():
    """Without secondary suppression, 20 − 17 = 3 would give the hidden cell away."""
    cells = [[3, 17], [12, 9]]
    protected = protect(cells, k=K)
    shown = protected.shown()
    assert shown[0][0] == "<5"
    naive = shown[0][2] - sum(v for v in shown[0][1:2] if isinstance(v, int))  # total − the rest
    assert "x" in shown[0][:2] or naive != 3
    for low, high in _attack(protected).values():
        assert high - low > 0.5, "a hidden cell could be worked out"


def test_a_one_column_table_with_its_total_hides_a_second_cell():
    protected = protect([[2], [40], [9]], row_totals=False, k=K)
    shown = [row[0] for row in protected.shown()]
    assert shown == ["<5", 40, "x", 51]
    assert all(high - low > 0.5 for low, high in _attack(protected).values())


def test_a_row_whose_other_cells_are_zero_hides_its_total():
    protected = protect([[3, 0], [10, 20]], k=K)
    shown = protected.shown()
    assert shown[0][0] == "<5"
    assert shown[0][2] in ("<5", "x")
    assert all(high - low > 0.5 for low, high in _attack(protected).values())


def test_small_parts_under_a_small_total_are_not_pinned_to_one():
    """Four "<5" adding up to a "<5" total can only be 1 each: the total is shown as "x" instead."""
    cells = [[1, 10, 0], [0, 2, 10], [1, 0, 0], [1, 0, 0], [1, 0, 5]]
    protected = protect(cells, row_totals=False, k=K)
    assert all(high - low > 0.5 for low, high in _attack(protected).values())
    assert [row[0] for row in protected.shown()][-1] == "x"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    ),
    st.booleans(),
    st.booleans(),
)
def test_no_suppressed_cell_can_be_recovered(cells, row_totals, column_totals):
    protected = protect(cells, row_totals=row_totals, column_totals=column_totals, k=K)
    for (i, j), (low, high) in _attack(protected).items():
        assert high - low > 0.5, f"hidden entry {(i, j)} = {protected.grid[i][j]} is recoverable"
    n_rows, n_cols = len(cells), len(cells[0])
    for i, row in enumerate(protected.grid):
        for j, value in enumerate(row):
            if 0 < value < K:
                # A cell is "<k"; a small total may be shown as "x" when that is what protects its parts.
                is_total = i >= n_rows or j >= n_cols
                assert protected.marks[i][j] in (("primary", "secondary") if is_total else ("primary",))


@pytest.mark.parametrize("k", [3, 5, 10])
def test_every_threshold_from_3_to_10_protects(k):
    protected = protect([[k - 1, 40, 7], [k, 2, 50]], k=k)
    shown = protected.shown()
    assert shown[0][0] == f"<{k}"

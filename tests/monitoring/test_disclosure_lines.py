"""The audit of tables whose lines share no entry (one column or one row with its total, rows with
totals but no totals row) works each line out on its own, without a solver: it finds exactly what the
linear programs find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.monitoring import disclosure

K = 5


@st.composite
def table(draw):
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 3))
    cells = [[draw(st.integers(0, 12)) for _ in range(n_cols)] for _ in range(n_rows)]
    grid = [[*row, sum(row)] for row in cells]  # rows with their totals, no totals row
    marks = []
    for row in grid:
        marks.append(["primary" if 0 < v < K else draw(st.sampled_from(["", "", "secondary"])) for v in row])
    return grid, marks, disclosure._lines(n_rows, n_cols, row_totals=True, column_totals=False)


@settings(max_examples=300, deadline=None)
@given(table())
def test_the_line_by_line_audit_finds_what_linear_programming_finds(case):
    grid, marks, lines = case
    fast = disclosure._recoverable(grid, marks, lines, K)
    # A line given twice shares its entries with itself: the solver runs, on the same equations.
    solver = disclosure._recoverable(grid, marks, [*lines, lines[0]], K)
    assert fast == solver


def test_a_long_single_column_is_protected_quickly_and_safely():
    counts = [[n % 7] for n in range(3000)]
    shown = disclosure.protect(counts, row_totals=False).shown()
    assert shown[-1][0] == sum(n % 7 for n in range(3000))
    assert all(cell[0] in ("<5", "x") or cell[0] == 0 or cell[0] >= 5 for cell in shown)

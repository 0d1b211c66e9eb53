"""Statistical disclosure control of every figure that counts people.

Primary suppression: a count from 1 to k−1 is shown as "<k" (zero is shown: it tells nobody anything
about a person). k is the setting ``SMALL_CELL_THRESHOLD`` (default 5), kept between 3 and 10, the
thresholds statistical offices use.

Secondary suppression, in a table published with totals: each row with its row total, each column with
its column total, and the totals row with the grand total are *lines* whose parts add up to their total.
A line with exactly one hidden entry gives that entry away (the total minus the others); so does a line
whose hidden entries are all "<k" and add up to a sum that leaves each one value (two "<5" adding up to
2 are both 1). In such a line one more entry is hidden, shown as "x": the smallest non-zero entry not
yet hidden, a cell before a total (hiding a known zero protects nothing); a line whose other entries
are all zero hides its total. Hiding one entry can expose another line, so this repeats until no line
is exposed. Several lines together (in a two-way table), or "<k" parts under a "<k" total (four "<5"
adding up to a "<5" are all 1), can still pin an entry down, so every table with totals is also
audited with linear programming, and one more entry beside an exposed one is hidden until none is;
when nothing beside it is left to hide, its "<k" total is shown as "x" instead. The test suite attacks
every protected table the same way (the published figures, "<k" meaning 1 to k−1, "x" meaning 0 or
more) and checks that no hidden entry has a single possible value.

Shares (percentages) whose numerator or denominator counts fewer than k people are shown as "<k" too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from scipy.optimize import linprog

Cell = int | str

SECONDARY = "x"


def threshold() -> int:
    """k: counts from 1 to k−1 are hidden. The setting, kept between 3 and 10."""
    return min(max(int(settings.SMALL_CELL_THRESHOLD), 3), 10)


def small(value: int, k: int | None = None) -> bool:
    k = threshold() if k is None else k
    return 0 < value < k


def suppress(value: int, k: int | None = None) -> Cell:
    """One count on its own (no total beside it): "<k" from 1 to k−1, else the count."""
    k = threshold() if k is None else k
    return f"<{k}" if small(value, k) else value


def share(numerator: int, denominator: int, k: int | None = None, digits: int = 1) -> Cell | float | None:
    """numerator / denominator in percent, or "<k" when either counts fewer than k people, or None when
    the denominator is zero."""
    k = threshold() if k is None else k
    if denominator <= 0:
        return None
    if small(numerator, k) or small(denominator, k):
        return f"<{k}"
    return round(100 * numerator / denominator, digits)


@dataclass(frozen=True)
class Protected:
    """A table of exact counts with its totals and what may be shown of each entry.

    ``grid`` holds the cells with the row totals as a last column and the column totals (and the grand
    total) as a last row, when the table has them; ``marks`` holds "" (shown), "primary" or "secondary".
    """

    grid: list[list[int]]
    marks: list[list[str]]
    k: int
    shape_args: tuple[int, int, bool, bool] = (0, 0, False, False)  # rows, columns, row and column totals

    def shown(self) -> list[list[Cell]]:
        out: list[list[Cell]] = []
        for values, marks in zip(self.grid, self.marks, strict=True):
            out.append(
                [
                    f"<{self.k}" if mark == "primary" else SECONDARY if mark == "secondary" else value
                    for value, mark in zip(values, marks, strict=True)
                ]
            )
        return out

    @property
    def hidden(self) -> int:
        return sum(mark != "" for row in self.marks for mark in row)


def protect(
    cells: list[list[int]], *, row_totals: bool = True, column_totals: bool = True, k: int | None = None
) -> Protected:
    """Primary and secondary suppression of a table of people counts (rows × columns) with the totals
    asked for, which are appended to it (last column, last row)."""
    k = threshold() if k is None else k
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    grid = [list(row) for row in cells]
    if row_totals:
        for row in grid:
            row.append(sum(row[:n_cols]))
    if column_totals:
        width = n_cols + (1 if row_totals else 0)
        grid.append([sum(grid[i][j] for i in range(n_rows)) for j in range(width)])
    marks = [["primary" if small(v, k) else "" for v in row] for row in grid]
    lines = _lines(n_rows, n_cols, row_totals, column_totals)
    _line_rule(grid, marks, lines, k)
    # Several lines together, or "<k" parts under a "<k" total (four "<5" adding up to a "<5" are all
    # 1), can still give an entry away: audit with linear programming and hide more until none is.
    while lines and (pos := _recoverable(grid, marks, lines, k)) is not None:
        if not _hide_beside(pos, grid, marks, lines):
            break
        _line_rule(grid, marks, lines, k)
    return Protected(grid=grid, marks=marks, k=k, shape_args=(n_rows, n_cols, row_totals, column_totals))


def _hide_beside(
    pos: tuple[int, int], grid: list[list[int]], marks: list[list[str]], lines: list[list[tuple[int, int]]]
) -> bool:
    """Hide one more entry so that ``pos`` is no longer pinned: the smallest shown non-zero entry on one
    of its lines; else a "<k" total on them becomes "x" (its parts are then bounded by nothing); else a
    shown zero beside it, or any shown entry."""
    near = [p for line in lines if pos in line for p in line if not marks[p[0]][p[1]]]
    nonzero = [p for p in near if grid[p[0]][p[1]] > 0]
    totals = [line[-1] for line in lines if pos in line and marks[line[-1][0]][line[-1][1]] == "primary"]
    rest = [(i, j) for i, row in enumerate(marks) for j, m in enumerate(row) if not m]
    for choice in (nonzero, totals, near, rest):
        if choice:
            _hide(min(choice, key=lambda p: (grid[p[0]][p[1]], p)), marks)
            return True
    return False


def _hide(pos: tuple[int, int], marks: list[list[str]]) -> None:
    marks[pos[0]][pos[1]] = "secondary"


def _line_rule(
    grid: list[list[int]], marks: list[list[str]], lines: list[list[tuple[int, int]]], k: int
) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _exposed(line, grid, marks, k):
                continue
            candidates = [pos for pos in line if not marks[pos[0]][pos[1]]]
            if not candidates:
                continue
            total = line[-1]
            nonzero = [pos for pos in candidates if grid[pos[0]][pos[1]] > 0 and pos != total]
            if nonzero:
                pick = min(nonzero, key=lambda pos: (grid[pos[0]][pos[1]], pos))
            elif total in candidates:
                pick = total
            else:
                pick = min(candidates, key=lambda pos: (grid[pos[0]][pos[1]], pos))
            marks[pick[0]][pick[1]] = "secondary"
            changed = True


def _recoverable(
    grid: list[list[int]], marks: list[list[str]], lines: list[list[tuple[int, int]]], k: int
) -> tuple[int, int] | None:
    """A hidden entry that linear programming pins to one value from what is shown ("<k" taken as 1
    to k−1, "x" as 0 or more), or None."""
    hidden = [(i, j) for i, row in enumerate(marks) for j, mark in enumerate(row) if mark]
    if not hidden:
        return None
    owner = {pos: line for line in lines for pos in line}
    if len(owner) == sum(len(line) for line in lines):
        return _pinned_on_own_line(hidden, owner, grid, marks, k)
    index = {pos: n for n, pos in enumerate(hidden)}
    a_eq: list[list[float]] = []
    b_eq: list[float] = []
    for line in lines:
        coefficients = [0.0] * len(hidden)
        rhs = 0.0
        for n, pos in enumerate(line):
            sign = -1.0 if n == len(line) - 1 else 1.0
            if pos in index:
                coefficients[index[pos]] += sign
            else:
                rhs -= sign * grid[pos[0]][pos[1]]
        if any(coefficients):
            a_eq.append(coefficients)
            b_eq.append(rhs)
    if not a_eq:
        return None
    bounds = [(1, k - 1) if marks[i][j] == "primary" else (0, None) for i, j in hidden]
    for pos, n in index.items():
        objective = [0.0] * len(hidden)
        objective[n] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog([-c for c in objective], A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            return pos
    return None


def _pinned_on_own_line(
    hidden: list[tuple[int, int]],
    owner: dict[tuple[int, int], list[tuple[int, int]]],
    grid: list[list[int]],
    marks: list[list[str]],
    k: int,
) -> tuple[int, int] | None:
    """What ``_recoverable`` finds when no entry is on two lines (one column or one row with its total,
    rows with totals but no totals row): each line is then one equation on its own, and the least and
    the greatest value of a hidden entry follow from the other entries' bounds, with no solver. A table
    of thousands of rows is audited in linear time instead of two linear programs per hidden entry."""
    infinite = float("inf")

    def bounds(pos: tuple[int, int]) -> tuple[float, float]:
        return (1.0, float(k - 1)) if marks[pos[0]][pos[1]] == "primary" else (0.0, infinite)

    def add(sums: list[float], value: float) -> None:
        """Sums kept as (finite part, number of infinite terms): one term can be taken out again."""
        if value in (infinite, -infinite):
            sums[1] += 1
        else:
            sums[0] += value

    def without(sums: list[float], value: float, sign: float) -> float:
        finite, infinities = sums
        if value in (infinite, -infinite):
            infinities -= 1
        else:
            finite -= value
        return finite + (sign * infinite if infinities else 0.0)

    audited: dict[int, tuple[float, list[float], list[float]]] = {}
    for pos in hidden:
        line = owner.get(pos)
        if line is None:
            continue  # on no line: only its own bounds, which never pin it (k ≥ 3)
        total = line[-1]
        if id(line) not in audited:
            # The parts minus the total add up to zero: Σ sign × hidden entry = rhs.
            rhs = 0.0
            for p in line[:-1]:
                if not marks[p[0]][p[1]]:
                    rhs -= grid[p[0]][p[1]]
            if not marks[total[0]][total[1]]:
                rhs += grid[total[0]][total[1]]
            low_sums, high_sums = [0.0, 0.0], [0.0, 0.0]
            for p in line:
                if marks[p[0]][p[1]]:
                    sg = -1.0 if p == total else 1.0
                    low, high = bounds(p)
                    add(low_sums, sg * (low if sg > 0 else high))
                    add(high_sums, sg * (high if sg > 0 else low))
            audited[id(line)] = (rhs, low_sums, high_sums)
        rhs, low_sums, high_sums = audited[id(line)]
        sign = -1.0 if pos == total else 1.0
        own_low, own_high = bounds(pos)
        others_low = without(low_sums, sign * (own_low if sign > 0 else own_high), -1.0)
        others_high = without(high_sums, sign * (own_high if sign > 0 else own_low), 1.0)
        # sign × value = rhs − others, with others anywhere in [others_low, others_high].
        if sign > 0:
            least, greatest = rhs - others_high, rhs - others_low
        else:
            least, greatest = others_low - rhs, others_high - rhs
        least, greatest = max(least, own_low), min(greatest, own_high)
        if greatest - least < 0.5:
            return pos
    return None


def _exposed(line: list[tuple[int, int]], grid: list[list[int]], marks: list[list[str]], k: int) -> bool:
    """Whether the hidden entries of ``line`` can be worked out from it: one hidden entry alone; or,
    with the total shown, only "<k" entries whose sum (the total minus the rest) leaves each a single
    value (all of them 1, or all of them k−1)."""
    hidden = [pos for pos in line if marks[pos[0]][pos[1]]]
    if len(hidden) == 1:
        return True
    total = line[-1]
    if not hidden or marks[total[0]][total[1]] or any(marks[i][j] != "primary" for i, j in hidden):
        return False
    hidden_sum = sum(grid[i][j] for i, j in hidden)
    return hidden_sum in (len(hidden), len(hidden) * (k - 1))


def _lines(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool) -> list[list[tuple[int, int]]]:
    """Every set of grid positions whose values add up to the last one (the total)."""
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        rows = n_rows + (1 if column_totals else 0)
        lines += [[(i, j) for j in range(n_cols + 1)] for i in range(rows)]
    if column_totals:
        cols = n_cols + (1 if row_totals else 0)
        lines += [[(i, j) for i in range(n_rows + 1)] for j in range(cols)]
    return lines

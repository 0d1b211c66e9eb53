"""Preference lists held as compressed rows (CSR) of integers.

Allocation rounds can hold a million participants with twenty choices each. Python lists of lists
cost about 36 bytes per entry and are slow to walk; two flat integer arrays cost 8 and let numpy do
the work. Everything that takes preferences accepts either form and converts once, here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.int32]  # people and placements by number: half the memory of int64


@dataclass(frozen=True)
class PreferenceLists:
    """Row ``r`` lists ``indices[indptr[r]:indptr[r + 1]]``, most preferred first."""

    indptr: IntArray
    indices: IndexArray

    @property
    def rows(self) -> int:
        """How many people (or placements) have a list."""
        return len(self.indptr) - 1

    @property
    def lengths(self) -> IntArray:
        """The length of every list."""
        return np.diff(self.indptr)

    def row_of_entry(self) -> IndexArray:
        """For every entry, the row it belongs to."""
        return np.repeat(np.arange(self.rows, dtype=np.int32), self.lengths)

    def position_of_entry(self) -> IntArray:
        """For every entry, its position in its own list (0 = first choice)."""
        position = np.arange(len(self.indices), dtype=np.int64)
        position -= np.repeat(self.indptr[:-1], self.lengths)
        return position


PreferenceInput = Sequence[Sequence[int]] | npt.NDArray[np.integer] | PreferenceLists


def as_preference_lists(prefs: PreferenceInput, n_targets: int, who: str) -> PreferenceLists:
    """Convert any accepted input to ``PreferenceLists`` and check every index is in range.

    ``who`` names the side ("participant", "placement") so an error says whose list is wrong.
    """
    if isinstance(prefs, PreferenceLists):
        lists = prefs
    elif isinstance(prefs, np.ndarray):
        lists = _from_matrix(prefs)
    else:
        lists = _from_sequences(prefs)
    _check_range(lists, n_targets, who)
    return lists


def _from_sequences(prefs: Sequence[Sequence[int]]) -> PreferenceLists:
    lengths = np.fromiter(map(len, prefs), dtype=np.int64, count=len(prefs))
    indptr = np.zeros(len(prefs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    total = int(indptr[-1])
    try:
        flat = np.fromiter(chain.from_iterable(prefs), dtype=np.int32, count=total)
    except OverflowError as exc:
        raise ValueError(f"a preference list holds an index too large: {exc}") from exc
    return PreferenceLists(indptr, flat)


def _from_matrix(matrix: npt.NDArray[np.integer]) -> PreferenceLists:
    """A 2-D array: one row per list, padded with -1 at the end where a list is shorter."""
    if matrix.ndim != 2:
        raise ValueError("a preference array must be two-dimensional (one row per list)")
    values = matrix.astype(np.int32, copy=False)
    keep = values >= 0
    lengths = keep.sum(axis=1, dtype=np.int64)
    indptr = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return PreferenceLists(indptr, values[keep])


def _check_range(lists: PreferenceLists, n_targets: int, who: str) -> None:
    if len(lists.indices) == 0:
        return
    bad = np.flatnonzero((lists.indices < 0) | (lists.indices >= n_targets))
    if len(bad):
        entry = int(bad[0])
        row = int(np.searchsorted(lists.indptr, entry, side="right") - 1)
        value = int(lists.indices[entry])
        raise ValueError(f"{who} {row} lists {value}, which is not an index between 0 and {n_targets - 1}")

"""The neutral order that breaks ties between equally scored pairs and allocations.

Every pair (participant, placement) gets a *tie-break number*: a keyed BLAKE2b hash of each id,
mixed per pair. It is a lottery drawn in advance from the two pseudonymous ids alone: it knows
nothing about a person but their id, and neither the input order nor any monitoring data (the
"fewer opportunities" flag, groups) changes it. Among equal scores, the smaller number goes first;
among optimal allocations with the same number placed and the same total score, the one whose
pairs have the smallest sum of numbers is chosen. A pair's number depends on both ids, so nobody
loses every tie they are in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

UIntArray = npt.NDArray[np.uint64]

KEY = b"matchmaking tie-break v1"


def id_numbers(ids: Sequence[str]) -> UIntArray:
    """A 64-bit number per id, the same in every round and on every machine.

    Examples
    --------
    >>> a, b = id_numbers(["p1", "p2"]).tolist()
    >>> a != b and a == id_numbers(["p1"]).tolist()[0]
    True
    """
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(i.encode("utf-8"), digest_size=8, key=KEY).digest(), "big")
            for i in ids
        ),
        dtype=np.uint64,
        count=len(ids),
    )


def index_numbers(count: int) -> UIntArray:
    """Numbers for rows known only by their index (library callers that pass no ids)."""
    return _mix(np.arange(count, dtype=np.uint64) ^ np.uint64(0x5EED5EED5EED5EED))


def pair_numbers(
    participant_numbers: UIntArray,
    placement_numbers: UIntArray,
    participant: npt.NDArray[np.integer],
    placement: npt.NDArray[np.integer],
) -> UIntArray:
    """The tie-break number of each pair ``(participant[e], placement[e])``.

    Examples
    --------
    >>> people, places = id_numbers(["p1", "p2"]), id_numbers(["q1"])
    >>> both = pair_numbers(people, places, np.array([0, 1]), np.array([0, 0]))
    >>> one = pair_numbers(people[1:], places, np.array([0]), np.array([0]))
    >>> bool(both[1] == one[0]), bool(both[0] != both[1])
    (True, True)
    """
    p = participant_numbers[np.asarray(participant, dtype=np.int64)]
    q = placement_numbers[np.asarray(placement, dtype=np.int64)]
    with np.errstate(over="ignore"):
        return _mix(p ^ _mix(q + np.uint64(0x9E3779B97F4A7C15)))


def _mix(x: UIntArray) -> UIntArray:
    """The splitmix64 finaliser: every input bit changes about half of the output bits."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
        return z

"""Fairness audit of an allocation: how often each group was placed, compared with the best group.

Groups (for example "fewer opportunities" or a region) are supplied separately from everything the
scores use, only for monitoring. The "four-fifths" rule of thumb flags a group whose placement rate
is below 0.8 of the best group's rate, so that a person looks into why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaking.engine.reasons import Reason, reason_template

DEFAULT_THRESHOLD = 0.8

FAIRNESS_FLAG = reason_template(
    "fairness-flag",
    "{group}: placed {placed} of {participants} ({rate}), {ratio} of the rate of {best}; below {threshold}, "
    "please review",
)


@dataclass(frozen=True)
class GroupRate:
    """One group's outcome, compared with the best group so that a gap is visible at a glance.

    Attributes
    ----------
    group : str
    participants, placed : int
    rate : float
        ``placed / participants``.
    ratio_to_best : float
        ``rate`` divided by the best group's rate (1.0 when nobody is placed anywhere).
    flagged : bool
        ``ratio_to_best`` is below the audit's threshold: a person should look into why.
    """

    group: str
    participants: int
    placed: int
    rate: float
    ratio_to_best: float
    flagged: bool


@dataclass(frozen=True)
class FairnessAudit:
    """Placement rate per group, and which groups fall below ``threshold`` × the best rate.

    Attributes
    ----------
    groups : tuple of GroupRate
        Sorted by group name.
    best_group : str or None
        The group with the highest rate (the first by name among equals).
    threshold : float
    """

    groups: tuple[GroupRate, ...]
    best_group: str | None
    threshold: float

    @property
    def flagged(self) -> tuple[GroupRate, ...]:
        return tuple(g for g in self.groups if g.flagged)

    def reasons(self) -> list[Reason]:
        """One sentence per flagged group, for the allocation report."""
        return [
            FAIRNESS_FLAG.of(
                group=g.group,
                placed=g.placed,
                participants=g.participants,
                rate=f"{g.rate:.0%}",
                ratio=f"{g.ratio_to_best:.2f}",
                best=self.best_group or "",
                threshold=f"{self.threshold:.2f}",
            )
            for g in self.flagged
        ]


def fairness_audit(
    assignment: Sequence[int] | npt.NDArray[np.integer],
    groups: Sequence[str | None],
    threshold: float = DEFAULT_THRESHOLD,
) -> FairnessAudit:
    """Compare placement rates across groups ("four-fifths rule"), for monitoring only.

    The audit never changes an allocation; it points a person at a gap worth explaining. Groups
    with nobody placed when the best group has a rate of zero are not flagged: there is nothing to
    compare.

    Parameters
    ----------
    assignment : sequence of int
        Each participant's placement index, or -1.
    groups : sequence of str or None
        Each participant's group; ``None`` leaves the participant out of the audit.
    threshold : float, optional
        Flag a group whose rate is below this share of the best group's rate.

    Returns
    -------
    FairnessAudit

    Examples
    --------
    >>> audit = fairness_audit([0, 1, -1, -1], ["a", "a", "b", "b"])
    >>> [(g.group, g.rate, g.flagged) for g in audit.groups]
    [('a', 1.0, False), ('b', 0.0, True)]
    >>> audit.reasons()[0].text
    'b: placed 0 of 2 (0%), 0.00 of the rate of a; below 0.80, please review'
    """
    placed_flags = np.asarray(assignment) >= 0
    if len(placed_flags) != len(groups):
        raise ValueError(f"{len(groups)} group labels for {len(placed_flags)} participants")
    counts: dict[str, list[int]] = {}
    for group, placed in zip(groups, placed_flags.tolist(), strict=True):
        if group is None:
            continue
        tally = counts.setdefault(group, [0, 0])
        tally[0] += 1
        tally[1] += int(placed)
    rates = {g: placed / total for g, (total, placed) in counts.items()}
    best_group = max(sorted(rates), key=lambda g: rates[g]) if rates else None
    best = rates[best_group] if best_group is not None else 0.0
    rows = []
    for group in sorted(counts):
        total, placed = counts[group]
        ratio = rates[group] / best if best > 0 else 1.0
        rows.append(GroupRate(group, total, placed, rates[group], ratio, ratio < threshold))
    return FairnessAudit(tuple(rows), best_group, threshold)

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

from matchmaking.engine.reasons import Reason

DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True)
class GroupRate:
    """One group's outcome: how many people, how many placed, the rate and its ratio to the best."""

    group: str
    participants: int
    placed: int
    rate: float
    ratio_to_best: float
    flagged: bool


@dataclass(frozen=True)
class FairnessAudit:
    """Placement rate per group; ``flagged`` lists the groups below ``threshold`` × the best rate."""

    groups: tuple[GroupRate, ...]
    best_group: str | None
    threshold: float

    @property
    def flagged(self) -> tuple[GroupRate, ...]:
        return tuple(g for g in self.groups if g.flagged)

    def reasons(self) -> list[Reason]:
        """One sentence per flagged group, for the allocation report."""
        return [
            Reason.of(
                "fairness-flag",
                "{group}: placed {placed} of {participants} ({rate}), {ratio} of the rate of "
                "{best}; below {threshold}, please review",
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
    """Audit ``assignment`` (placement index or -1 per participant) by ``groups``.

    A participant with group ``None`` is left out of the audit. Groups with nobody placed at all
    when the best group has a rate of zero are not flagged: there is nothing to compare.
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

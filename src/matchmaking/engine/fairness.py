"""Fairness audit of an allocation: how often each group was placed, and how well those placed fit,
compared with the best group.

Groups (for example "fewer opportunities" or a region) are supplied separately from everything the
scores use, only for monitoring. The "four-fifths" rule of thumb flags a group whose placement rate,
or whose mean fit of those placed, is below 0.8 of the best group's, so that a person looks into why.
A group smaller than ``min_group`` people is suppressed: shown as small, neither compared nor flagged
(its rate says little, and it could point at a person).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaking.engine.reasons import Reason, reason_template

DEFAULT_THRESHOLD = 0.8
# Groups with fewer people than this are suppressed in the rounds' reports.
MIN_GROUP = 5

FAIRNESS_FLAG = reason_template(
    "fairness-flag",
    "{group}: placed {placed} of {participants} ({rate}), {ratio} of the rate of {best}; below {threshold}, "
    "please review",
)
FAIRNESS_FIT_FLAG = reason_template(
    "fairness-fit-flag",
    "{group}: mean fit of those placed {fit}, {ratio} of the mean fit in {best}; below {threshold}, "
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
        ``ratio_to_best`` or ``fit_ratio`` is below the audit's threshold: a person should look into why.
    mean_fit_placed : float or None
        Mean score of the group's placed participants (``None``: no scores given, or nobody placed).
    mean_fit_all : float or None
        Mean score over the whole group, a participant not placed counting 0.
    fit_ratio : float or None
        ``mean_fit_placed`` divided by the best group's (``None`` when there is nothing to compare).
    suppressed : bool
        Fewer than the audit's ``min_group`` people: shown as small, neither compared nor flagged.
    """

    group: str
    participants: int
    placed: int
    rate: float
    ratio_to_best: float
    flagged: bool
    mean_fit_placed: float | None = None
    mean_fit_all: float | None = None
    fit_ratio: float | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class FairnessAudit:
    """Placement rate per group, and which groups fall below ``threshold`` × the best rate.

    Attributes
    ----------
    groups : tuple of GroupRate
        Sorted by group name.
    best_group : str or None
        The group with the highest rate (the first by name among equals), suppressed groups aside.
    threshold : float
    best_fit_group : str or None
        The group whose placed participants fit best on average, suppressed groups aside.
    min_group : int
        Groups with fewer people are suppressed.
    """

    groups: tuple[GroupRate, ...]
    best_group: str | None
    threshold: float
    best_fit_group: str | None = None
    min_group: int = 1

    @property
    def flagged(self) -> tuple[GroupRate, ...]:
        return tuple(g for g in self.groups if g.flagged)

    def reasons(self) -> list[Reason]:
        """One sentence per flagged group, for the allocation report."""
        found = []
        for g in self.flagged:
            if g.ratio_to_best < self.threshold:
                found.append(
                    FAIRNESS_FLAG.of(
                        group=g.group,
                        placed=g.placed,
                        participants=g.participants,
                        rate=f"{g.rate:.0%}",
                        ratio=f"{g.ratio_to_best:.2f}",
                        best=self.best_group or "",
                        threshold=f"{self.threshold:.2f}",
                    )
                )
            if g.fit_ratio is not None and g.fit_ratio < self.threshold:
                found.append(
                    FAIRNESS_FIT_FLAG.of(
                        group=g.group,
                        fit=f"{g.mean_fit_placed or 0.0:.1f}",
                        ratio=f"{g.fit_ratio:.2f}",
                        best=self.best_fit_group or "",
                        threshold=f"{self.threshold:.2f}",
                    )
                )
        return found


def fairness_audit(
    assignment: Sequence[int] | npt.NDArray[np.integer],
    groups: Sequence[str | None],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    scores: Sequence[float | None] | None = None,
    min_group: int = 1,
) -> FairnessAudit:
    """Compare placement rates, and the fit of those placed, across groups ("four-fifths rule").

    For monitoring only: the audit never changes an allocation; it points a person at a gap worth
    explaining. Groups with nobody placed when the best group has a rate of zero are not flagged:
    there is nothing to compare. Groups of fewer than ``min_group`` people are suppressed: they are
    neither compared, nor the best, nor flagged.

    Parameters
    ----------
    assignment : sequence of int
        Each participant's placement index, or -1.
    groups : sequence of str or None
        Each participant's group; ``None`` leaves the participant out of the audit.
    threshold : float, optional
        Flag a group whose rate (or mean fit of the placed) is below this share of the best group's.
    scores : sequence of float or None, optional
        Each participant's score at the placement given (``None`` when not placed); without it the
        audit compares placement rates only.
    min_group : int, optional
        Suppress groups with fewer people.

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
    >>> audit = fairness_audit([0, 1, 2, 3], ["a", "a", "b", "b"], scores=[80, 60, 30, 40])
    >>> [(g.group, g.mean_fit_placed, g.flagged) for g in audit.groups]
    [('a', 70.0, False), ('b', 35.0, True)]
    >>> audit.reasons()[0].text
    'b: mean fit of those placed 35.0, 0.50 of the mean fit in a; below 0.80, please review'
    """
    placed_flags = np.asarray(assignment) >= 0
    if len(placed_flags) != len(groups):
        raise ValueError(f"{len(groups)} group labels for {len(placed_flags)} participants")
    if scores is not None and len(scores) != len(groups):
        raise ValueError(f"{len(scores)} scores for {len(groups)} participants")
    counts: dict[str, list[int]] = {}
    fits: dict[str, list[float]] = {}
    for n, (group, placed) in enumerate(zip(groups, placed_flags.tolist(), strict=True)):
        if group is None:
            continue
        tally = counts.setdefault(group, [0, 0])
        tally[0] += 1
        tally[1] += int(placed)
        if placed and scores is not None:
            fits.setdefault(group, []).append(float(scores[n] or 0.0))
    rates = {g: placed / total for g, (total, placed) in counts.items()}
    compared = sorted(g for g, (total, _) in counts.items() if total >= min_group)
    best_group = max(compared, key=lambda g: rates[g]) if compared else None
    best = rates[best_group] if best_group is not None else 0.0
    mean_fit = {g: sum(f) / len(f) for g, f in fits.items() if f}
    fit_compared = [g for g in compared if g in mean_fit]
    best_fit_group = max(fit_compared, key=lambda g: mean_fit[g]) if fit_compared else None
    best_fit = mean_fit[best_fit_group] if best_fit_group is not None else 0.0
    rows = []
    for group in sorted(counts):
        total, placed = counts[group]
        suppressed = total < min_group
        ratio = rates[group] / best if best > 0 and not suppressed else 1.0
        fit = mean_fit.get(group)
        fit_all = sum(fits.get(group, [])) / total if scores is not None else None
        fit_ratio = fit / best_fit if fit is not None and best_fit > 0 and not suppressed else None
        flagged = not suppressed and (ratio < threshold or (fit_ratio is not None and fit_ratio < threshold))
        rows.append(
            GroupRate(group, total, placed, rates[group], ratio, flagged, fit, fit_all, fit_ratio, suppressed)
        )
    return FairnessAudit(tuple(rows), best_group, threshold, best_fit_group, min_group)

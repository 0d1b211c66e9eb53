"""The score breakdown shared by partner and placement matching: fits and weights become points."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ScorePart:
    """One line of a score's breakdown, so that every score can be explained part by part.

    Attributes
    ----------
    name : str
    fit : float
        How well this part fits, 0–1.
    weight : float
        The weight as given (before normalising).
    points : float
        What the part adds to the 0–100 score.
    """

    name: str
    fit: float
    weight: float
    points: float


def breakdown(fits: dict[str, float], weights: dict[str, float]) -> tuple[ScorePart, ...]:
    """Turn fits (0–1) and weights into points that add up to the 0–100 score.

    Weights are normalised to sum to 100, so any non-negative numbers work and a weight of 0
    switches a part off; the parts' points always add up to the score.

    Parameters
    ----------
    fits : dict of str to float
        Each part's fit, 0–1.
    weights : dict of str to float
        Each part's weight; negative weights count as 0.

    Returns
    -------
    tuple of ScorePart
        In the order of ``fits``.

    Examples
    --------
    >>> [p.points for p in breakdown({"skills": 0.5, "interest": 1.0}, {"skills": 3, "interest": 1})]
    [37.5, 25.0]
    """
    total = sum([max(w, 0.0) for w in weights.values()]) or 1.0
    return tuple([_part(name, fit, weights[name], total) for name, fit in fits.items()])


@lru_cache(maxsize=8192, typed=True)
def _part(name: str, fit: float, weight: float, total: float) -> ScorePart:
    """One line of a breakdown. Most lines repeat (a full fit, no fit, half the target groups) over
    the hundreds of thousands of pairs a refresh explains, and a float's ``round`` is slow: each line
    is made once and shared (``ScorePart`` is immutable; ``typed``: 1 and 1.0 stay apart)."""
    return ScorePart(name, round(fit, 4), weight, round(100.0 * max(weight, 0.0) * fit / total, 2))

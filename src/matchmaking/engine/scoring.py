"""The score breakdown shared by partner and placement matching: fits and weights become points."""

from __future__ import annotations

from dataclasses import dataclass


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
    total = sum(max(w, 0.0) for w in weights.values()) or 1.0
    return tuple(
        ScorePart(name, round(fit, 4), weights[name], round(100.0 * max(weights[name], 0.0) * fit / total, 2))
        for name, fit in fits.items()
    )

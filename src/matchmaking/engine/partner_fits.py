"""The fits of a partner score, each 0–1, and how raw measures are calibrated into them.

The constants here say when a part counts as a full fit; ``partners.PartnerWeights`` says how much
each part counts. docs/engine.md ("How partner scores work") explains both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_rules import Roles

SEMANTIC_FLOOR = 0.83
"""Cosine of two descriptions at or below which their meaning counts as unrelated (fit 0)."""
SEMANTIC_FULL = 0.93
"""Cosine at or above which two descriptions count as saying the same (fit 1)."""
TEXT_FULL = 0.3
"""TF-IDF cosine of two descriptions that counts as a full keyword fit."""
SATURATION = 2
"""Shared target groups, or topics the host wants to learn, that make a full fit."""


@dataclass(frozen=True)
class Sides:
    """What one pair is scored on, whichever way round: the visitor's wishes and the host's offer."""

    wanted: tuple[str, ...]
    shown: frozenset[str]
    visitor_groups: tuple[str, ...]
    host_groups: frozenset[str]
    host_interests: tuple[str, ...]
    visitor_expertise: frozenset[str]
    ours_is_visitor: bool


def semantic_fit(cosine: float) -> float:
    """A cosine of two description vectors as a fit: 0 at ``SEMANTIC_FLOOR``, 1 at ``SEMANTIC_FULL``.

    Examples
    --------
    >>> semantic_fit(0.5), semantic_fit(0.88), semantic_fit(0.99)
    (0.0, 0.5, 1.0)
    """
    return round(min(1.0, max(0.0, (cosine - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR))), 4)


def topic_fit(wanted: Iterable[str], shown: frozenset[str], weight: Callable[[str], float]) -> float:
    """Share of the wanted topics' rarity weight that the other side can show (0–1)."""
    wanted = list(dict.fromkeys(wanted))
    total = sum(weight(t) for t in wanted)
    if total <= 0:
        return 0.0
    return sum(weight(t) for t in wanted if t in shown) / total


def coverage(wanted: Iterable[str], available: frozenset[str], saturation: int = 0) -> float:
    """Share of ``wanted`` found in ``available`` (0 when nothing is wanted); with ``saturation``,
    that many found is already a full fit.

    Examples
    --------
    >>> coverage(["a", "b", "c", "d"], frozenset({"a", "b"}))
    0.5
    >>> coverage(["a", "b", "c"], frozenset({"a", "b"}), saturation=2)
    1.0
    """
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return 0.0
    found = sum(1 for w in wanted if w in available)
    if saturation > 0:
        return min(1.0, found / min(len(wanted), saturation))
    return found / len(wanted)


def sides_of_opportunities(network: Network, the_roles: Roles) -> Sides:
    """What a pair of listings is scored on: the visiting side's wishes and the hosting side's offer."""
    kept = _SIDES.get(network)
    if kept is None:
        kept = _SIDES[network] = {}
    visiting: VisitingSide = _side(network, the_roles.request, True, kept)
    hosting: HostingSide = _side(network, the_roles.offer, False, kept)
    wanted, visitor_groups, visitor_expertise = visiting
    shown, host_groups, host_interests = hosting
    return Sides(
        wanted=wanted,
        shown=shown,
        visitor_groups=visitor_groups,
        host_groups=host_groups,
        host_interests=host_interests,
        visitor_expertise=visitor_expertise,
        ours_is_visitor=the_roles.ours_is_request,
    )


VisitingSide = tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]
"""What a request wants to see, the groups it works with, and its organisation's expertise."""
HostingSide = tuple[frozenset[str], frozenset[str], tuple[str, ...]]
"""What an offer can show, the groups its host works with, and what the host wants to learn."""

SideCache = dict[tuple[bool, str], tuple[Opportunity, Organisation, Any]]
_SIDES: WeakKeyDictionary[Network, SideCache] = WeakKeyDictionary()


def _side(network: Network, opportunity: Opportunity, visiting: bool, kept: SideCache) -> Any:
    """One side of a pair, worked out once per listing and network rather than once per pair (a
    refresh explains each listing in dozens of pairs; the sets were a seventh of the time). Kept
    with the listing and organisation it was read from, so a record replaced since is read again."""
    org = network.organisation(opportunity.organisation)
    found = kept.get((visiting, opportunity.id))
    if found is not None and found[0] is opportunity and found[1] is org:
        return found[2]
    side: Any
    if visiting:
        side = (
            opportunity.topics or org.interests,
            opportunity.target_groups or org.target_groups,
            frozenset(org.expertise),
        )
    else:
        side = (
            frozenset(opportunity.topics) | frozenset(org.expertise),
            frozenset(opportunity.target_groups) | frozenset(org.target_groups),
            org.interests,
        )
    kept[(visiting, opportunity.id)] = (opportunity, org, side)
    return side

"""Near misses: the partners a request would have if one rule the two sides can change were met.

When nothing (or little) passes the hard rules, a coordinator wants to know whom to ask to move their
dates, add a language or split the group; ``near_misses`` lists the best such pairs with the one rule
each breaks.
"""

from __future__ import annotations

from matchmaking.engine.network import Network
from matchmaking.engine.partner_rules import FIXABLE, explain_exclusion
from matchmaking.engine.partners import (
    DEFAULT_WEIGHTS,
    PartnerSuggestion,
    PartnerWeights,
    score_pair,
    wished_place,
)
from matchmaking.engine.reasons import Reason

NEAR_MISS_WHEN_FEWER = 3
"""Near misses are worth showing when fewer suggestions than this pass the hard rules."""


def near_misses(
    network: Network,
    opportunity_id: str,
    *,
    top: int = 5,
    weights: PartnerWeights = DEFAULT_WEIGHTS,
) -> list[tuple[PartnerSuggestion, Reason]]:
    """The best pairs that break exactly one hard rule the two sides could change, with that rule.

    For a request that nothing fits: whom to ask to move their dates, add a language or split the
    group. The rules a near miss may break are ``partner_rules.FIXABLE`` (dates, a shared language,
    the group size); another organisation and an offer meeting a request of a kind that can meet
    stay required. Each is scored as if the rule were met (soft penalties included, a too large
    group costing as much as one twice the room).

    Returns
    -------
    list of (PartnerSuggestion, Reason)
        Best first; the reason is the one broken rule, saying by how much it is missed.

    Examples
    --------
    >>> from matchmaking.engine.network import Opportunity, Organisation
    >>> network = Network(
    ...     [Organisation("a"), Organisation("b")],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", topics=("outreach",), languages=("de",)),
    ...     ],
    ... )
    >>> [(s.opportunity, r.code) for s, r in near_misses(network, "want")]
    [('give', 'languages')]
    """
    ours = network.opportunity(opportunity_id)
    place = wished_place(network, ours)
    found = []
    for theirs in network.opportunities.values():
        if theirs.id == ours.id:
            continue
        broken = explain_exclusion(ours, theirs, network)
        if len(broken) != 1 or broken[0].code not in FIXABLE:
            continue
        found.append((score_pair(network, ours, theirs, weights, place), broken[0]))
    found.sort(key=lambda f: (-f[0].score, f[0].organisation, f[0].opportunity or ""))
    return found[:top]

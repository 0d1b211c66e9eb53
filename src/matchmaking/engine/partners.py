"""Partner suggestions: rank counterpart opportunities, and organisations worth inviting.

How a score is made (docs/engine.md, "How partner scores work", says the same for users):

The score (0–100) is a weighted average of the fits that apply to the pair, each between 0 and 1:

* **topics** — how much of what the visiting side wants to learn the host can show (its
  opportunity's topics and its organisation's expertise), rare topics counting more;
* **target groups** — how many of the visiting side's target groups the host also works with
  (two shared groups is a full fit);
* **reciprocity** — how much of what the host wants to learn the visiting organisation can show
  (two topics is a full fit; skipped when the host states no interests);
* **text** — shared informative words of the two descriptions (TF-IDF cosine; 0.3 is a full fit);
* **semantic** — how close the two descriptions are in meaning, whatever their languages (cosine
  of the text model's vectors, rescaled between ``SEMANTIC_FLOOR`` and ``SEMANTIC_FULL``; skipped
  when the network has no vectors);
* **place** — the host is in the country or region the request asks for (skipped when it names none);
* **novelty** — 1 if the two organisations have had no exchange yet, else 0.

Weights of the parts that are skipped are shared out among the others (the weights are normalised
over the parts that apply), so a missing text model or an unstated place neither caps nor inflates a
score. Two soft rules then take a share off (``partner_rules.soft_breaks``): a neighbouring kind of
opportunity and a visiting group larger than the host's room. Every suggestion carries its breakdown
(the parts' points add up to the score) and reasons written from the asking organisation's side.
An optional re-ranking spreads the list across countries.

The scale: 90 and above, near-perfect (the host shows everything asked for, works with the same
people, and the descriptions say the same); 70–89, a strong match worth contacting; 50–69, a partial
match (some topics); below 50, weak.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from weakref import WeakKeyDictionary

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_fits import (
    SATURATION,
    TEXT_FULL,
    Sides,
    coverage,
    semantic_fit,
    sides_of_opportunities,
    topic_fit,
)
from matchmaking.engine.partner_reasons import (  # noqa: F401 (the sentences, also partners.<NAME>)
    COUNTRY_SPREAD,
    DATES_FREE,
    GROUP_OVERSIZED,
    INVITE,
    LANGUAGES_SHARED,
    NEIGHBOURING_TYPE,
    NOVELTY_KNOWN,
    NOVELTY_NEW,
    PLACE_COUNTRY,
    PLACE_ELSEWHERE,
    PLACE_REGION,
    RECIPROCITY_THEY_LEARN,
    RECIPROCITY_YOU_LEARN,
    SEMANTIC,
    TARGET_GROUPS,
    TEXT,
    TOPICS_THEY_SHOW,
    TOPICS_THEY_SHOW_RARE,
    TOPICS_THEY_WANT,
    TOPICS_THEY_WANT_RARE,
    dates_reason,
    groups_reason,
    invite_reason,
    languages_reason,
    novelty_reason,
    place_reason,
    reciprocity_reason,
    semantic_reason,
    text_reason,
    topics_reason,
)
from matchmaking.engine.partner_rules import SoftBreaks, explain_exclusion, roles, soft_breaks, too_big
from matchmaking.engine.places import PlacePreference, place_preference
from matchmaking.engine.reasons import Reason
from matchmaking.engine.scoring import ScorePart, breakdown


@dataclass(frozen=True)
class PartnerWeights:
    """How much each part of a partner score counts: the one place where the weights are set.

    The part weights are any non-negative numbers, normalised to sum to 100 over the parts that
    apply to a pair (``semantic`` needs description vectors, ``place`` a request that names a place,
    ``reciprocity`` a host that states interests).

    ``neighbouring_type`` is the share of the score a pair loses for a neighbouring kind of
    opportunity (a study visit for a job shadowing); ``oversized_group`` the share it loses when the
    visiting group is twice the host's room, less for a smaller excess (linear in the excess; larger
    groups are a hard cut). ``country_spread`` is how many points a suggestion loses in the
    *ordering* (not its score) for every better-placed suggestion from the same country; 0 turns the
    re-ranking off.

    Examples
    --------
    >>> PartnerWeights(novelty=0).parts()["novelty"]
    0
    >>> sum(PartnerWeights().parts().values())
    100.0
    """

    topics: float = 35.0
    target_groups: float = 10.0
    reciprocity: float = 10.0
    text: float = 10.0
    semantic: float = 10.0
    place: float = 20.0
    novelty: float = 5.0
    neighbouring_type: float = 0.15
    oversized_group: float = 0.4
    country_spread: float = 0.0

    @cached_property
    def part_weights(self) -> dict[str, float]:
        """``parts()``, made once per weights (read for every pair scored; do not change it)."""
        return self.parts()

    def parts(self) -> dict[str, float]:
        return {
            "topics": self.topics,
            "target_groups": self.target_groups,
            "reciprocity": self.reciprocity,
            "text": self.text,
            "semantic": self.semantic,
            "place": self.place,
            "novelty": self.novelty,
        }


DEFAULT_WEIGHTS = PartnerWeights()


@dataclass(frozen=True)
class PartnerSuggestion:
    """A suggested partner with its score broken down and explained from the asker's side.

    Attributes
    ----------
    organisation : str
    opportunity : str or None
        Their opportunity; ``None`` when the organisation is one to invite.
    country : str
    score : float
        0–100.
    parts : tuple of ScorePart
    reasons : tuple of Reason
    """

    organisation: str
    opportunity: str | None
    country: str
    score: float
    parts: tuple[ScorePart, ...]
    reasons: tuple[Reason, ...]


def suggest_partners(
    network: Network,
    opportunity_id: str,
    *,
    top: int = 10,
    weights: PartnerWeights = DEFAULT_WEIGHTS,
    candidates: Iterable[str] | None = None,
) -> list[PartnerSuggestion]:
    """Counterpart opportunities for ``opportunity_id`` that break no hard rule, best first.

    Parameters
    ----------
    network : Network
    opportunity_id : str
    top : int, optional
    weights : PartnerWeights, optional
    candidates : iterable of str, optional
        Opportunity ids to consider (default: all). An index that narrows the network may pass any
        superset of the pairs that break no hard rule: every candidate is still checked, so the result
        is the same as scoring the whole network.

    Returns
    -------
    list of PartnerSuggestion
        Ties ordered by organisation and opportunity id, so the list is reproducible.

    Examples
    --------
    >>> network = Network(
    ...     [Organisation("a", expertise=("mentoring",)), Organisation("b", interests=("mentoring",))],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", topics=("outreach",), languages=("en",)),
    ...     ],
    ... )
    >>> [(s.opportunity, s.score) for s in suggest_partners(network, "want")]
    [('give', 71.4)]
    >>> suggest_partners(network, "want")[0].reasons[1].text
    'They want to learn: mentoring, which you offer'
    """
    ours = network.opportunity(opportunity_id)
    pool = (
        network.opportunities.values()
        if candidates is None
        else [network.opportunities[c] for c in candidates if c in network.opportunities]
    )
    place = wished_place(network, ours)
    found = []
    for theirs in pool:
        if theirs.id == ours.id or explain_exclusion(ours, theirs):
            continue
        found.append(score_pair(network, ours, theirs, weights, place))
    return _finish(found, top, weights)


def organisations_to_invite(
    network: Network,
    opportunity_id: str,
    *,
    top: int = 10,
    weights: PartnerWeights = DEFAULT_WEIGHTS,
    candidates: Iterable[str] | None = None,
) -> list[PartnerSuggestion]:
    """Organisations with no opportunity of their own whose profile fits ``opportunity_id``.

    Grows the network: a good partner may simply not have posted anything yet. Rules: another
    organisation, a shared language, and — when they would host — a visiting group at most twice
    their stated hosting capacity (0 means "not stated"); a group above the capacity costs points
    as for opportunities.

    Parameters
    ----------
    network : Network
    opportunity_id : str
    top : int, optional
    weights : PartnerWeights, optional
    candidates : iterable of str, optional
        Organisation ids to consider (default: all); as for ``suggest_partners``, any superset of
        the organisations that pass the rules gives the same result.

    Returns
    -------
    list of PartnerSuggestion
        With ``opportunity`` set to ``None``.

    Examples
    --------
    >>> network = Network(
    ...     [Organisation("a"), Organisation("c", languages=("en",), expertise=("outreach",))],
    ...     [Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",))],
    ... )
    >>> [(s.organisation, s.opportunity, s.score) for s in organisations_to_invite(network, "want")]
    [('c', None, 66.7)]
    """
    ours = network.opportunity(opportunity_id)
    busy = network.with_open_opportunities()
    pool = (
        network.organisations.values()
        if candidates is None
        else [network.organisations[c] for c in candidates if c in network.organisations]
    )
    place = wished_place(network, ours)
    found = []
    for org in pool:
        if org.id in busy or org.id == ours.organisation or not _can_invite(ours, org):
            continue
        found.append(_score_profile(network, ours, org, weights, place))
    return _finish(found, top, weights)


def _can_invite(ours: Opportunity, org: Organisation) -> bool:
    if not shared_languages(ours.languages, org.languages):
        return False
    they_host = ours.direction != "offer"
    return not (they_host and too_big(ours.group_size, org.hosting_capacity))


def wished_place(network: Network, ours: Opportunity) -> PlacePreference:
    """The countries and regions our opportunity's description asks for (``places``)."""
    own = network.organisation(ours.organisation)
    countries, _ = _places_of(network)
    regions = _regions_abroad(network, own.country)
    return place_preference(ours.description, countries=countries, own_country=own.country, regions=regions)


_ABROAD: WeakKeyDictionary[Network, dict[str, dict[str, str]]] = WeakKeyDictionary()


def _regions_abroad(network: Network, own_country: str) -> dict[str, str]:
    """The regions where members are, outside ``own_country`` (fewer names, fewer false hits), once
    per network and country rather than once per listing."""
    by_country = _ABROAD.setdefault(network, {})
    found = by_country.get(own_country)
    if found is None:
        _, member_regions = _places_of(network)
        found = by_country[own_country] = {
            code: name for code, (name, country) in member_regions.items() if country != own_country
        }
    return found


_PLACES: WeakKeyDictionary[Network, tuple[frozenset[str], dict[str, tuple[str, str]]]] = WeakKeyDictionary()


def _places_of(network: Network) -> tuple[frozenset[str], dict[str, tuple[str, str]]]:
    """The members' countries and their regions (code → (name, country)), once per network."""
    found = _PLACES.get(network)
    if found is None:
        countries = frozenset(o.country for o in network.organisations.values() if o.country)
        regions = {
            o.region: (network.region_names[o.region], o.country)
            for o in network.organisations.values()
            if o.region is not None and o.region in network.region_names
        }
        found = _PLACES[network] = (countries, regions)
    return found


def _finish(found: list[PartnerSuggestion], top: int, weights: PartnerWeights) -> list[PartnerSuggestion]:
    found.sort(key=lambda s: (-s.score, s.organisation, s.opportunity or ""))
    if weights.country_spread > 0:
        found = spread_across_countries(
            _spread_shortlist(found, top, weights.country_spread), weights.country_spread
        )
    return found[:top]


def _spread_shortlist(found: list[PartnerSuggestion], top: int, penalty: float) -> list[PartnerSuggestion]:
    """The best-first prefix of ``found`` that can reach the first ``top`` places after spreading.

    Before each of the first ``top`` picks at most ``top - 1`` have been made, so one of the ``top``
    best is still left with an ordering value of at least ``s_top - penalty * (top - 1)``; anything
    scoring below that can never be picked that early. Cutting there keeps the result identical while
    the greedy spread (quadratic) re-ranks a short list instead of every candidate in the network.
    """
    if len(found) <= top:
        return found
    floor = found[top - 1].score - penalty * (top - 1)
    end = top
    while end < len(found) and found[end].score >= floor:
        end += 1
    return found[:end]


def spread_across_countries(suggestions: list[PartnerSuggestion], penalty: float) -> list[PartnerSuggestion]:
    """Re-order suggestions so that the top of the list is not all from one country.

    Greedy: each pick lowers the *ordering* value of the rest from its country by ``penalty``.
    Scores are not changed, only the order; a suggestion that moved up says so in its reasons.

    Parameters
    ----------
    suggestions : list of PartnerSuggestion
        Best first.
    penalty : float
        Points off, for ordering only, per better-placed suggestion from the same country.

    Returns
    -------
    list of PartnerSuggestion

    Examples
    --------
    >>> def s(org, country, score):
    ...     return PartnerSuggestion(org, None, country, score, (), ())
    >>> found = spread_across_countries([s("a", "SE", 80), s("b", "SE", 75), s("c", "NO", 70)], 10)
    >>> [x.organisation for x in found], found[1].reasons[0].code
    (['a', 'c', 'b'], 'country-spread')
    """
    left = list(suggestions)
    picked: list[PartnerSuggestion] = []
    seen: Counter[str] = Counter()
    while left:
        best = max(left, key=lambda s: s.score - penalty * seen[s.country])
        left.remove(best)
        position = suggestions.index(best)
        if position > len(picked):
            best = replace(best, reasons=(*best.reasons, _spread_reason(best.country)))
        picked.append(best)
        seen[best.country] += 1
    return picked


def _spread_reason(country: str) -> Reason:
    return COUNTRY_SPREAD.of(country=country)


def score_pair(
    network: Network,
    ours: Opportunity,
    theirs: Opportunity,
    weights: PartnerWeights = DEFAULT_WEIGHTS,
    place: PlacePreference | None = None,
) -> PartnerSuggestion:
    """Score one pair as a suggestion, whatever the hard rules say (``near_misses`` scores pairs
    that break one); ``place`` defaults to what our description asks for."""
    if place is None:
        place = wished_place(network, ours)
    the_roles = roles(ours, theirs)
    sides = sides_of_opportunities(network, the_roles)
    their_org = network.organisation(theirs.organisation)
    keys = (f"opp:{ours.id}", f"opp:{theirs.id}")
    text_fit, shared_words = network.text.similarity(*keys)
    extra = [languages_reason(ours.languages, theirs.languages), dates_reason(the_roles)]
    found = _assemble(
        network,
        ours,
        their_org,
        theirs.id,
        sides,
        (text_fit, shared_words),
        network.semantic(*keys),
        place,
        extra,
        weights,
    )
    return penalise(found, soft_breaks(ours, theirs, the_roles), ours, theirs, weights, network)


def _score_profile(
    network: Network, ours: Opportunity, org: Organisation, weights: PartnerWeights, place: PlacePreference
) -> PartnerSuggestion:
    our_org = network.organisation(ours.organisation)
    if ours.direction == "offer":
        sides = Sides(
            wanted=org.interests,
            shown=frozenset(ours.topics) | frozenset(our_org.expertise),
            visitor_groups=org.target_groups,
            host_groups=frozenset(ours.target_groups or our_org.target_groups),
            host_interests=our_org.interests,
            visitor_expertise=frozenset(org.expertise),
            ours_is_visitor=False,
        )
    else:
        sides = Sides(
            wanted=ours.topics or our_org.interests,
            shown=frozenset(org.expertise),
            visitor_groups=ours.target_groups or our_org.target_groups,
            host_groups=frozenset(org.target_groups),
            host_interests=org.interests,
            visitor_expertise=frozenset(our_org.expertise),
            ours_is_visitor=True,
        )
    keys = (f"opp:{ours.id}", f"org:{org.id}")
    text = network.text.similarity(*keys)
    extra = [languages_reason(ours.languages, org.languages), invite_reason(org)]
    found = _assemble(network, ours, org, None, sides, text, network.semantic(*keys), place, extra, weights)
    if ours.direction != "offer" and org.hosting_capacity > 0:
        excess = max(0, ours.group_size - org.hosting_capacity)
        breaks = SoftBreaks(excess=excess, room=org.hosting_capacity)
        found = penalise(found, breaks, ours, None, weights, network)
    return found


def fits_of(
    network: Network,
    sides: Sides,
    text: float,
    semantic: float | None,
    place: PlacePreference,
    their_org: Organisation,
    novel: bool,
) -> dict[str, float]:
    """Each part's fit (0–1); a part that does not apply to the pair is left out."""
    # Filled in the order of ``PartnerWeights.parts``, the order the breakdown lists them.
    fits = {
        "topics": topic_fit(sides.wanted, sides.shown, network.topic_weight),
        "target_groups": coverage(sides.visitor_groups, sides.host_groups, SATURATION),
    }
    if sides.host_interests:
        fits["reciprocity"] = coverage(sides.host_interests, sides.visitor_expertise, SATURATION)
    fits["text"] = min(1.0, text / TEXT_FULL)
    if semantic is not None:
        fits["semantic"] = semantic_fit(semantic)
    if place.stated:
        fits["place"] = 1.0 if place.fits(their_org.country, their_org.region) else 0.0
    fits["novelty"] = 1.0 if novel else 0.0
    return fits


def _assemble(
    network: Network,
    ours: Opportunity,
    their_org: Organisation,
    their_opportunity: str | None,
    sides: Sides,
    text: tuple[float, tuple[str, ...]],
    semantic: float | None,
    place: PlacePreference,
    extra: Iterable[Reason | None],
    weights: PartnerWeights,
) -> PartnerSuggestion:
    novel = not network.had_exchange(ours.organisation, their_org.id)
    fits = fits_of(network, sides, text[0], semantic, place, their_org, novel)
    all_weights = weights.part_weights
    parts = breakdown(fits, {name: all_weights[name] for name in fits})
    reasons = [
        topics_reason(network, sides),
        groups_reason(network, sides),
        reciprocity_reason(network, sides),
        text_reason(text),
        semantic_reason(semantic),
        place_reason(place, their_org),
        novelty_reason(novel),
        *extra,
    ]
    return PartnerSuggestion(
        organisation=their_org.id,
        opportunity=their_opportunity,
        country=their_org.country,
        score=round(sum(p.points for p in parts), 1),
        parts=parts,
        reasons=tuple(r for r in reasons if r is not None),
    )


def penalty_share(breaks: SoftBreaks, weights: PartnerWeights) -> float:
    """The share of the score the soft rules take off (0–1): each one multiplies what is left.

    Examples
    --------
    >>> penalty_share(SoftBreaks(neighbouring_type=True, excess=1, room=2), PartnerWeights())
    0.32
    """
    keep = 1.0
    if breaks.neighbouring_type:
        keep *= 1.0 - min(max(weights.neighbouring_type, 0.0), 1.0)
    if breaks.excess > 0:
        keep *= 1.0 - min(max(weights.oversized_group, 0.0), 1.0) * min(breaks.excess_ratio, 1.0)
    return round(1.0 - keep, 4)


def penalise(
    found: PartnerSuggestion,
    breaks: SoftBreaks,
    ours: Opportunity,
    theirs: Opportunity | None,
    weights: PartnerWeights,
    network: Network,
) -> PartnerSuggestion:
    """Take the soft rules' share off the score, as parts with negative points and their reasons.

    A penalty part's ``weight`` is the percentage it takes off (negative), its ``fit`` how much of the
    rule is broken (1 for a neighbouring kind; excess / room for a group).
    """
    share = penalty_share(breaks, weights)
    if share <= 0:
        return found
    parts = list(found.parts)
    reasons = list(found.reasons)
    left = found.score
    if breaks.neighbouring_type and theirs is not None:
        points = round(left * min(max(weights.neighbouring_type, 0.0), 1.0), 1)
        left -= points
        share_off = min(max(weights.neighbouring_type, 0.0), 1.0)
        parts.append(ScorePart("neighbouring_type", 1.0, -round(100 * share_off, 1), -points))
        reasons.append(
            NEIGHBOURING_TYPE.of(network.labels, ours=(ours.type,), theirs=(theirs.type,), points=points)
        )
    if breaks.excess > 0:
        cut = min(max(weights.oversized_group, 0.0), 1.0) * min(breaks.excess_ratio, 1.0)
        points = round(left * cut, 1)
        left -= points
        parts.append(
            ScorePart("oversized_group", round(breaks.excess_ratio, 4), -round(100 * cut, 1), -points)
        )
        reasons.append(
            GROUP_OVERSIZED.of(
                group=breaks.excess + breaks.room, excess=breaks.excess, room=breaks.room, points=points
            )
        )
    return replace(found, score=round(max(left, 0.0), 1), parts=tuple(parts), reasons=tuple(reasons))

"""Partner suggestions: rank counterpart opportunities, and organisations worth inviting.

The score (0–100) is a weighted average of five fits, each between 0 and 1:

* **topics** — how much of what the visiting side wants to learn the host can show (its
  opportunity's topics and its organisation's expertise), rare topics counting more;
* **target groups** — how many of the visiting side's target groups the host also works with;
* **reciprocity** — how much of what the host wants to learn the visiting organisation can show;
* **text** — how similar the two descriptions are (shared words few others use);
* **novelty** — 1 if the two organisations have had no exchange yet, else 0.

Every suggestion carries its breakdown and reasons written from the asking organisation's side.
An optional re-ranking spreads the list across countries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_rules import Roles, Window, explain_exclusion, roles
from matchmaking.engine.reasons import Reason, reason_template
from matchmaking.engine.scoring import ScorePart, breakdown


@dataclass(frozen=True)
class PartnerWeights:
    """How much each fit counts (any non-negative numbers; they are normalised to sum to 100).

    ``country_spread`` is how many points a suggestion loses in the *ordering* (not its score) for
    every better-placed suggestion from the same country; 0 turns the re-ranking off.

    Examples
    --------
    >>> PartnerWeights(novelty=0).parts()["novelty"]
    0
    """

    topics: float = 40.0
    target_groups: float = 15.0
    reciprocity: float = 15.0
    text: float = 15.0
    novelty: float = 15.0
    country_spread: float = 0.0

    def parts(self) -> dict[str, float]:
        return {
            "topics": self.topics,
            "target_groups": self.target_groups,
            "reciprocity": self.reciprocity,
            "text": self.text,
            "novelty": self.novelty,
        }


DEFAULT_WEIGHTS = PartnerWeights()

# The sentences that explain a suggestion (codes and English templates; the web app translates them).
COUNTRY_SPREAD = reason_template(
    "country-spread", "Shown higher to spread suggestions across countries ({country})"
)
TOPICS_THEY_SHOW = reason_template("topics", "They can show: {topics} ({matched} of your {total} topics)")
TOPICS_THEY_SHOW_RARE = reason_template(
    "topics", "They can show: {topics} ({matched} of your {total} topics); rare in the network: {rare}"
)
TOPICS_THEY_WANT = reason_template(
    "topics", "They want to see: {topics}, which you offer ({matched} of their {total} topics)"
)
TOPICS_THEY_WANT_RARE = reason_template(
    "topics",
    "They want to see: {topics}, which you offer ({matched} of their {total} topics); "
    "rare in the network: {rare}",
)
TARGET_GROUPS = reason_template("target-groups", "You both work with: {groups}")
RECIPROCITY_THEY_LEARN = reason_template("reciprocity", "They want to learn: {topics}, which you offer")
RECIPROCITY_YOU_LEARN = reason_template("reciprocity", "You want to learn: {topics}, which they can show")
TEXT = reason_template("text", "Your descriptions share key words: {words}")
NOVELTY_NEW = reason_template("novelty", "You have not had an exchange with them yet: a new partner")
NOVELTY_KNOWN = reason_template("novelty", "You have had an exchange with them before")
LANGUAGES_SHARED = reason_template("languages", "Shared language: {languages}")
DATES_FREE = reason_template(
    "dates", "Both are free from {start} to {end} ({days} days; the visit needs {needed})"
)
INVITE = reason_template("invite", "{name} has no open opportunity yet; invite them to post one")


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


@dataclass(frozen=True)
class _Sides:
    """What one pair is scored on, whichever way round: the visitor's wishes and the host's offer."""

    wanted: tuple[str, ...]
    shown: frozenset[str]
    visitor_groups: tuple[str, ...]
    host_groups: frozenset[str]
    host_interests: tuple[str, ...]
    visitor_expertise: frozenset[str]
    ours_is_visitor: bool


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
    [('give', 70.0)]
    >>> suggest_partners(network, "want")[0].reasons[1].text
    'They want to learn: mentoring, which you offer'
    """
    ours = network.opportunity(opportunity_id)
    pool = (
        network.opportunities.values()
        if candidates is None
        else [network.opportunities[c] for c in candidates if c in network.opportunities]
    )
    found = []
    for theirs in pool:
        if theirs.id == ours.id or explain_exclusion(ours, theirs):
            continue
        found.append(_score_opportunity(network, ours, theirs, weights))
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
    organisation, a shared language, and — when they would host — a stated hosting capacity (0
    means "not stated") at least the size of the visiting group.

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
    [('c', None, 55.0)]
    """
    ours = network.opportunity(opportunity_id)
    busy = network.with_open_opportunities()
    pool = (
        network.organisations.values()
        if candidates is None
        else [network.organisations[c] for c in candidates if c in network.organisations]
    )
    found = []
    for org in pool:
        if org.id in busy or org.id == ours.organisation or not _can_invite(ours, org):
            continue
        found.append(_score_profile(network, ours, org, weights))
    return _finish(found, top, weights)


def _can_invite(ours: Opportunity, org: Organisation) -> bool:
    if not shared_languages(ours.languages, org.languages):
        return False
    they_host = ours.direction != "offer"
    return not (they_host and 0 < org.hosting_capacity < ours.group_size)


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


def _score_opportunity(
    network: Network, ours: Opportunity, theirs: Opportunity, weights: PartnerWeights
) -> PartnerSuggestion:
    the_roles = roles(ours, theirs)
    sides = _sides_of_opportunities(network, the_roles)
    their_org = network.organisation(theirs.organisation)
    text_fit, shared_words = network.text.similarity(f"opp:{ours.id}", f"opp:{theirs.id}")
    extra = [_languages_reason(ours.languages, theirs.languages), _dates_reason(the_roles)]
    return _assemble(network, ours, their_org, theirs.id, sides, (text_fit, shared_words), extra, weights)


def _score_profile(
    network: Network, ours: Opportunity, org: Organisation, weights: PartnerWeights
) -> PartnerSuggestion:
    our_org = network.organisation(ours.organisation)
    if ours.direction == "offer":
        sides = _Sides(
            wanted=org.interests,
            shown=frozenset(ours.topics) | frozenset(our_org.expertise),
            visitor_groups=org.target_groups,
            host_groups=frozenset(ours.target_groups or our_org.target_groups),
            host_interests=our_org.interests,
            visitor_expertise=frozenset(org.expertise),
            ours_is_visitor=False,
        )
    else:
        sides = _Sides(
            wanted=ours.topics or our_org.interests,
            shown=frozenset(org.expertise),
            visitor_groups=ours.target_groups or our_org.target_groups,
            host_groups=frozenset(org.target_groups),
            host_interests=org.interests,
            visitor_expertise=frozenset(our_org.expertise),
            ours_is_visitor=True,
        )
    text = network.text.similarity(f"opp:{ours.id}", f"org:{org.id}")
    extra = [_languages_reason(ours.languages, org.languages), _invite_reason(org)]
    return _assemble(network, ours, org, None, sides, text, extra, weights)


def _sides_of_opportunities(network: Network, the_roles: Roles) -> _Sides:
    visitor = network.organisation(the_roles.request.organisation)
    host = network.organisation(the_roles.offer.organisation)
    return _Sides(
        wanted=the_roles.request.topics or visitor.interests,
        shown=frozenset(the_roles.offer.topics) | frozenset(host.expertise),
        visitor_groups=the_roles.request.target_groups or visitor.target_groups,
        host_groups=frozenset(the_roles.offer.target_groups) | frozenset(host.target_groups),
        host_interests=host.interests,
        visitor_expertise=frozenset(visitor.expertise),
        ours_is_visitor=the_roles.ours_is_request,
    )


def _assemble(
    network: Network,
    ours: Opportunity,
    their_org: Organisation,
    their_opportunity: str | None,
    sides: _Sides,
    text: tuple[float, tuple[str, ...]],
    extra: Iterable[Reason | None],
    weights: PartnerWeights,
) -> PartnerSuggestion:
    novel = not network.had_exchange(ours.organisation, their_org.id)
    fits = {
        "topics": topic_fit(sides.wanted, sides.shown, network.topic_weight),
        "target_groups": coverage(sides.visitor_groups, sides.host_groups),
        "reciprocity": coverage(sides.host_interests, sides.visitor_expertise),
        "text": text[0],
        "novelty": 1.0 if novel else 0.0,
    }
    parts = breakdown(fits, weights.parts())
    reasons = [
        _topics_reason(network, sides),
        _groups_reason(network, sides),
        _reciprocity_reason(network, sides),
        _text_reason(text),
        _novelty_reason(novel),
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


def topic_fit(wanted: Iterable[str], shown: frozenset[str], weight: Callable[[str], float]) -> float:
    """Share of the wanted topics' rarity weight that the other side can show (0–1)."""
    wanted = list(dict.fromkeys(wanted))
    total = sum(weight(t) for t in wanted)
    if total <= 0:
        return 0.0
    return sum(weight(t) for t in wanted if t in shown) / total


def coverage(wanted: Iterable[str], available: frozenset[str]) -> float:
    """Share of ``wanted`` found in ``available`` (0 when nothing is wanted)."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return 0.0
    return sum(1 for w in wanted if w in available) / len(wanted)


def _topics_reason(network: Network, sides: _Sides) -> Reason | None:
    wanted = tuple(dict.fromkeys(sides.wanted))
    matched = tuple(t for t in wanted if t in sides.shown)
    if not matched:
        return None
    rare = tuple(t for t in matched if network.topic_counts.get(t, 0) <= 2)
    if sides.ours_is_visitor:
        template = TOPICS_THEY_SHOW_RARE if rare else TOPICS_THEY_SHOW
    else:
        template = TOPICS_THEY_WANT_RARE if rare else TOPICS_THEY_WANT
    params: dict[str, str | int | tuple[str, ...]] = {
        "topics": matched,
        "matched": len(matched),
        "total": len(wanted),
    }
    if rare:
        params["rare"] = rare
    return template.of(network.labels, **params)


def _groups_reason(network: Network, sides: _Sides) -> Reason | None:
    shared = tuple(g for g in dict.fromkeys(sides.visitor_groups) if g in sides.host_groups)
    if not shared:
        return None
    return TARGET_GROUPS.of(network.labels, groups=shared)


def _reciprocity_reason(network: Network, sides: _Sides) -> Reason | None:
    shared = tuple(t for t in dict.fromkeys(sides.host_interests) if t in sides.visitor_expertise)
    if not shared:
        return None
    if sides.ours_is_visitor:
        return RECIPROCITY_THEY_LEARN.of(network.labels, topics=shared)
    return RECIPROCITY_YOU_LEARN.of(network.labels, topics=shared)


def _text_reason(text: tuple[float, tuple[str, ...]]) -> Reason | None:
    similarity, shared_words = text
    if similarity < 0.05 or not shared_words:
        return None
    return TEXT.of(
        words=", ".join(shared_words),
        similarity=round(similarity, 2),
    )


def _novelty_reason(novel: bool) -> Reason:
    if novel:
        return NOVELTY_NEW.of()
    return NOVELTY_KNOWN.of()


def _languages_reason(ours: Iterable[str], theirs: Iterable[str]) -> Reason | None:
    shared = shared_languages(tuple(ours), tuple(theirs))
    if not shared:
        return None
    return LANGUAGES_SHARED.of(languages=", ".join(shared))


def _dates_reason(the_roles: Roles) -> Reason | None:
    window = Window.common(the_roles.request, the_roles.offer)
    if window.start is None or window.end is None or window.days is None:
        return None
    return DATES_FREE.of(
        start=window.start.isoformat(),
        end=window.end.isoformat(),
        days=window.days,
        needed=the_roles.request.duration_days,
    )


def _invite_reason(org: Organisation) -> Reason:
    return INVITE.of(
        name=org.name or org.id,
    )

"""The sentences that explain a partner suggestion, as codes and English templates with parameters.

The web app translates them (``taxonomies.reason_text``); each is declared once here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.network import Network, Organisation
from matchmaking.engine.partner_fits import Sides, semantic_fit
from matchmaking.engine.partner_rules import Roles, Window
from matchmaking.engine.places import PlacePreference
from matchmaking.engine.reasons import Reason, reason_template

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
SEMANTIC = reason_template(
    "semantic", "Your descriptions say similar things, whatever their language ({similarity} alike)"
)
PLACE_COUNTRY = reason_template("place", "In {country}, where you asked to go ({words})")
PLACE_REGION = reason_template("place", "In {region}, the region you asked for")
PLACE_ELSEWHERE = reason_template("place", "Not where you asked to go ({words}): they are in {country}")
NEIGHBOURING_TYPE = reason_template(
    "type-neighbour",
    "A neighbouring kind of opportunity: yours is {ours}, theirs is {theirs} ({points} points off)",
)
GROUP_OVERSIZED = reason_template(
    "group-oversized",
    "The visiting group of {group} is {excess} more than the {room} the host offers ({points} points off)",
)


def topics_reason(network: Network, sides: Sides) -> Reason | None:
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


def groups_reason(network: Network, sides: Sides) -> Reason | None:
    shared = tuple(g for g in dict.fromkeys(sides.visitor_groups) if g in sides.host_groups)
    if not shared:
        return None
    return TARGET_GROUPS.of(network.labels, groups=shared)


def reciprocity_reason(network: Network, sides: Sides) -> Reason | None:
    shared = tuple(t for t in dict.fromkeys(sides.host_interests) if t in sides.visitor_expertise)
    if not shared:
        return None
    if sides.ours_is_visitor:
        return RECIPROCITY_THEY_LEARN.of(network.labels, topics=shared)
    return RECIPROCITY_YOU_LEARN.of(network.labels, topics=shared)


def text_reason(text: tuple[float, tuple[str, ...]]) -> Reason | None:
    similarity, shared_words = text
    if similarity < 0.05 or not shared_words:
        return None
    return TEXT.of(
        words=", ".join(shared_words),
        similarity=round(similarity, 2),
    )


def semantic_reason(cosine: float | None) -> Reason | None:
    if cosine is None or semantic_fit(cosine) < 0.25:
        return None
    return SEMANTIC.of(similarity=f"{round(100 * cosine)}%")


def place_reason(place: PlacePreference, org: Organisation) -> Reason | None:
    if not place.stated:
        return None
    if org.region is not None and org.region in place.regions:
        return PLACE_REGION.of(region=org.region)
    words = ", ".join(place.words)
    if org.country in place.countries:
        return PLACE_COUNTRY.of(country=org.country, words=words)
    return PLACE_ELSEWHERE.of(country=org.country, words=words)


def novelty_reason(novel: bool) -> Reason:
    if novel:
        return NOVELTY_NEW.of()
    return NOVELTY_KNOWN.of()


def languages_reason(ours: Iterable[str], theirs: Iterable[str]) -> Reason | None:
    return _languages_reason(tuple(ours), tuple(theirs))


# A network speaks a few dozen combinations of languages and has a few hundred date windows, which a
# refresh explains in hundreds of thousands of pairs: each reason is worked out once per values.


@lru_cache(maxsize=4096)
def _languages_reason(ours: tuple[str, ...], theirs: tuple[str, ...]) -> Reason | None:
    shared = shared_languages(ours, theirs)
    if not shared:
        return None
    return LANGUAGES_SHARED.of(languages=", ".join(shared))


def dates_reason(the_roles: Roles) -> Reason | None:
    request, offer = the_roles.request, the_roles.offer
    return _dates_reason(
        request.earliest, request.latest, offer.earliest, offer.latest, request.duration_days
    )


@lru_cache(maxsize=4096)
def _dates_reason(
    request_earliest: date | None,
    request_latest: date | None,
    offer_earliest: date | None,
    offer_latest: date | None,
    needed: int,
) -> Reason | None:
    window = Window.of_dates(request_earliest, request_latest, offer_earliest, offer_latest)
    if window.start is None or window.end is None or window.days is None:
        return None
    return DATES_FREE.of(
        start=window.start.isoformat(),
        end=window.end.isoformat(),
        days=window.days,
        needed=needed,
    )


def invite_reason(org: Organisation) -> Reason:
    return INVITE.of(
        name=org.name or org.id,
    )

"""The engine's explanations, and the codes in change histories, in the reader's language.

The engine stores every reason as a code, its English template and the parameters that fill it
(``engine/reasons.py``). This module holds the translatable version of each template and renders a
stored reason at display time in the active language: code-list codes become their labels, language
codes language names, country codes country names, dates and numbers are localised, ESCO skills take
their label in the reader's language (``skill_labels``), occupations keep their English ESCO label, and
names stay as they are. A reason this catalogue does not know shows its stored text, never an error.

``CATALOGUE`` covers every template the engine declares; a test keeps it so, slot for slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from matchmaking.engine import allocation_round, fairness, optimal, partner_reasons, partner_rules, people
from matchmaking.engine.reasons import ReasonTemplate, render
from matchmaking.taxonomies.countries import country_name
from matchmaking.taxonomies.esco import load_esco
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Region, Term

Labels = Mapping[str, Any]
Show = Callable[[Any, Mapping[str, Any], Labels], str]
"""How one slot is shown: (stored value, all the reason's parameters, extra code labels) → text."""

NONE_WORDS = {
    "none": pgettext_lazy("no language, no level", "none"),
    "open": pgettext_lazy("a date left open", "open"),
}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@lru_cache(maxsize=16)
def term_labels(language: str) -> dict[str, str]:
    """Code → label of every code-list term (not languages) in ``language``, English where missing.

    The code lists change only with a deployment, so the labels are kept for the life of the process.
    """
    lang = language.split("-")[0]
    return {
        code: labels.get(lang) or labels.get("en") or code
        for code, labels in Term.objects.exclude(scheme=LANGUAGES_SCHEME).values_list("code", "labels")
    }


# Languages whose names are common nouns, written in lower case inside a sentence ("talar svenska och
# tyska"); the code list capitalises most of them, as a list of labels would.
LOWER_CASE_LANGUAGE_NAMES = frozenset({"sv", "nb", "es", "ca"})


@lru_cache(maxsize=16)
def language_names(language: str) -> dict[str, str]:
    """Language code → the language's name in ``language``, as written inside a sentence."""
    lang = language.split("-")[0]
    names = {
        code: labels.get(lang) or labels.get("en") or code
        for code, labels in Term.objects.filter(scheme=LANGUAGES_SCHEME).values_list("code", "labels")
    }
    if lang in LOWER_CASE_LANGUAGE_NAMES:
        names = {code: name[:1].lower() + name[1:] for code, name in names.items()}
    return names


def _codes(value: Any) -> list[str]:
    """A stored list of codes: a JSON list, or the engine's comma-separated string."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _none_word(value: str) -> str | None:
    word = NONE_WORDS.get(value)
    return str(word) if word is not None else None


# --- How each kind of slot is shown ------------------------------------------------------------------


def terms(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """Code-list codes (topics, target groups, kinds of opportunity) as their labels."""
    known = term_labels(_language())
    return _join(str(labels.get(c) or known.get(c) or c.replace("-", " ")) for c in _codes(value))


def languages(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """Language codes as language names; the engine's "none" as a word."""
    if isinstance(value, str) and _none_word(value) is not None:
        return str(_none_word(value))
    names = language_names(_language())
    return _join(names.get(c, c) for c in _codes(value))


def country(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    return country_name(str(value), _language())


def day(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """An ISO date, localised; the engine's "open" (no date) as a word."""
    text = str(value)
    word = _none_word(text)
    if word is not None:
        return word
    try:
        return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
    except ValueError:
        return text


def number(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """A number (or the engine's number written as text), localised."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(formats.number_format(value))
    text = str(value)
    try:
        parsed = float(text)
    except ValueError:
        return text
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return str(formats.number_format(parsed, decimal_pos=decimals))


def region(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """A NUTS region code as the region's name."""
    return region_names().get(str(value)) or str(value)


def percent(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """The engine's "45%" as a localised percentage."""
    text = str(value).strip().rstrip("%").strip()
    try:
        parsed = float(text)
    except ValueError:
        return str(value)
    shown = formats.number_format(parsed, decimal_pos=0 if parsed == int(parsed) else 1)
    return str(pgettext_lazy("a percentage", "%(number)s%%") % {"number": shown})


def level(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """A CEFR level (A1 … C2, a name in every language); the engine's "none" as a word."""
    text = str(value)
    return _none_word(text) or text


def esco(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """ESCO skills or occupations by URI: a skill by its label in the reader's language where the project
    has one, an occupation by its ESCO (English) label."""
    uris = _codes(value)
    known = load_esco().labels((u for u in uris if u not in labels), get_language())
    return _join(str(labels.get(u) or known.get(u) or u.rsplit("/", 1)[-1]) for u in uris)


def choice_labels(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """Codes of a choice list the caller gives the labels of (support needs); plain words otherwise."""
    return _join(str(labels.get(c) or c.replace("-", " ")) for c in _codes(value))


def name(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """A name (an organisation, a placement, words of a description): shown as it is."""
    return _join(_codes(value)) if isinstance(value, list | tuple) else str(value)


def directions(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """ "offer" / "request" as the plural noun the sentence needs."""
    return str({"offer": _("offers"), "request": _("requests")}.get(str(value), value))


def days_of(count_slot: str) -> Show:
    """The word "day" or "days", agreeing with the number in ``count_slot``."""

    def show(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
        try:
            count = int(params.get(count_slot, 0))
        except (TypeError, ValueError):
            count = 0
        return ngettext("day", "days", count)

    return show


# --- The catalogue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One engine sentence: the engine's template it translates, the message, how its slots are shown."""

    engine: ReasonTemplate | None
    code: str
    message: Promise
    slots: Mapping[str, Show] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.code, self.engine.template if self.engine else None)


def _entry(engine: ReasonTemplate, message: Promise, **slots: Show) -> Entry:
    return Entry(engine, engine.code, message, slots)


ENTRIES = [
    # Why a partner is suggested
    _entry(
        partner_reasons.COUNTRY_SPREAD,
        _("Shown higher to spread suggestions across countries ({country})"),
        country=country,
    ),
    _entry(
        partner_reasons.TOPICS_THEY_SHOW,
        _("They can show: {topics} ({matched} of your {total} topics)"),
        topics=terms,
    ),
    _entry(
        partner_reasons.TOPICS_THEY_SHOW_RARE,
        _("They can show: {topics} ({matched} of your {total} topics); rare in the network: {rare}"),
        topics=terms,
        rare=terms,
    ),
    _entry(
        partner_reasons.TOPICS_THEY_WANT,
        _("They want to see: {topics}, which you offer ({matched} of their {total} topics)"),
        topics=terms,
    ),
    _entry(
        partner_reasons.TOPICS_THEY_WANT_RARE,
        _(
            "They want to see: {topics}, which you offer ({matched} of their {total} topics); "
            "rare in the network: {rare}"
        ),
        topics=terms,
        rare=terms,
    ),
    _entry(partner_reasons.TARGET_GROUPS, _("You both work with: {groups}"), groups=terms),
    _entry(
        partner_reasons.RECIPROCITY_THEY_LEARN,
        _("They want to learn: {topics}, which you offer"),
        topics=terms,
    ),
    _entry(
        partner_reasons.RECIPROCITY_YOU_LEARN,
        _("You want to learn: {topics}, which they can show"),
        topics=terms,
    ),
    _entry(partner_reasons.TEXT, _("Your descriptions share key words: {words}"), words=name),
    _entry(partner_reasons.NOVELTY_NEW, _("You have not had an exchange with them yet: a new partner")),
    _entry(partner_reasons.NOVELTY_KNOWN, _("You have had an exchange with them before")),
    _entry(partner_reasons.LANGUAGES_SHARED, _("Shared language: {languages}"), languages=languages),
    _entry(
        partner_reasons.DATES_FREE,
        _("Both are free from {start} to {end} ({days} days; the visit needs {needed})"),
        start=day,
        end=day,
    ),
    _entry(
        partner_reasons.INVITE, _("{name} has no open opportunity yet; invite them to post one"), name=name
    ),
    _entry(
        partner_reasons.SEMANTIC,
        _("Your descriptions say similar things, whatever their language ({similarity} alike)"),
        similarity=percent,
    ),
    _entry(
        partner_reasons.PLACE_COUNTRY,
        _("In {country}, where you asked to go ({words})"),
        country=country,
        words=name,
    ),
    _entry(partner_reasons.PLACE_REGION, _("In {region}, the region you asked for"), region=region),
    _entry(
        partner_reasons.PLACE_ELSEWHERE,
        _("Not where you asked to go ({words}): they are in {country}"),
        country=country,
        words=name,
    ),
    _entry(
        partner_reasons.NEIGHBOURING_TYPE,
        _("A neighbouring kind of opportunity: yours is {ours}, theirs is {theirs} ({points} points off)"),
        ours=terms,
        theirs=terms,
        points=number,
    ),
    _entry(
        partner_reasons.GROUP_OVERSIZED,
        _(
            "The visiting group of {group} is {excess} more than the {room} the host offers "
            "({points} points off)"
        ),
        points=number,
    ),
    # Why a partner is not suggested
    _entry(
        partner_rules.SAME_ORGANISATION,
        _("Both opportunities belong to {organisation}; suggestions are always another organisation"),
        organisation=name,
    ),
    _entry(
        partner_rules.DIFFERENT_TYPE,
        _("Different kinds of opportunity: yours is {ours}, theirs is {theirs}"),
        ours=terms,
        theirs=terms,
    ),
    _entry(
        partner_rules.SAME_DIRECTION,
        # {direction} is "offers" or "requests".
        _("Both are {direction} of {type}; an offer is matched with a request"),
        direction=directions,
        type=terms,
    ),
    _entry(
        partner_rules.DATES_APART,
        _(
            "The date windows do not overlap: {gap} {unit} apart, the visit needs {needed} "
            "{needed_unit} (short by {short_by} {short_unit})"
        ),
        unit=days_of("gap"),
        needed_unit=days_of("needed"),
        short_unit=days_of("short_by"),
    ),
    _entry(
        partner_rules.DATES_SHORT,
        _(
            "The date windows overlap {overlap} {unit}, the visit needs {needed} "
            "(short by {short_by} {short_unit})"
        ),
        unit=days_of("overlap"),
        short_unit=days_of("short_by"),
    ),
    _entry(
        partner_rules.NO_SHARED_LANGUAGE,
        _("No shared language: you list {ours}, they list {theirs}"),
        ours=languages,
        theirs=languages,
    ),
    _entry(
        partner_rules.GROUP_SIZE,
        _("The visiting group of {group} is {excess} more than the {room} the host can take"),
    ),
    # Participants and placements
    _entry(
        people.LANGUAGE_LEVEL,
        _("Needs {language} at {needed}; the participant has {have}"),
        language=languages,
        needed=level,
        have=level,
    ),
    _entry(
        people.DATES_OUTSIDE,
        _(
            "The placement runs {start} to {end}; the participant is available {available_from} to "
            "{available_until} ({days} days outside)"
        ),
        start=day,
        end=day,
        available_from=day,
        available_until=day,
    ),
    _entry(
        people.SUPPORT,
        _("The host does not offer: {support} ({count} support requirement(s) not met)"),
        support=choice_labels,
    ),
    _entry(
        people.ABROAD,
        _("The placement is in {country}; the participant has not said they would go abroad"),
        country=country,
    ),
    _entry(people.REQUIRED_SKILLS, _("Has {held} of {total} required skills")),
    _entry(people.INFORMAL_SKILLS, _("Learnt informally: {skills}"), skills=esco),
    _entry(people.SKILL_GAP, _("Skill gap (required, missing): {skills}"), skills=esco),
    _entry(people.OCCUPATION_INTEREST, _("Interested in this occupation: {occupation}"), occupation=esco),
    # Allocation rounds
    _entry(
        allocation_round.UNPLACED_FULL,
        _(
            "Not placed: all {count} placement(s) this participant could take filled their seats "
            "with participants they ranked higher or that the allocation placed there"
        ),
    ),
    _entry(allocation_round.UNPLACED_NONE, _("Not placed: there are no placements")),
    _entry(
        allocation_round.UNPLACED_RULES,
        _("Not placed: no placement meets the hard rules (closest, {placement}: {why})"),
        placement=name,
        why=name,  # replaced by the quoted reasons, each in the reader's language, when they are stored
    ),
    _entry(
        allocation_round.UNPLACED_FIT,
        _(
            "No suitable placement: no placement reaches the minimum fit of {min_fit} "
            "(best, {placement}: fit {score})"
        ),
        placement=name,
    ),
    _entry(
        optimal.FLOOR_MET,
        _("At least {floor} participants with fewer opportunities are placed, as the floor asks"),
    ),
    _entry(
        optimal.FLOOR_NOT_MET,
        _(
            "The floor of {floor} participants with fewer opportunities cannot be met: at most "
            "{reached} of them can be placed in any allocation; this allocation places {reached}"
        ),
    ),
    _entry(
        fairness.FAIRNESS_FLAG,
        _(
            "{group}: placed {placed} of {participants} ({rate}), {ratio} of the rate of {best}; "
            "below {threshold}, please review"
        ),
        group=name,
        best=name,
        rate=percent,
        ratio=number,
        threshold=number,
    ),
    _entry(
        fairness.FAIRNESS_FIT_FLAG,
        _(
            "{group}: mean fit of those placed {fit}, {ratio} of the mean fit in {best}; "
            "below {threshold}, please review"
        ),
        group=name,
        best=name,
        fit=number,
        ratio=number,
        threshold=number,
    ),
    # Reasons the web app stores by code alone (no template, no parameters), in the words it stores
    Entry(None, "override", _("No placement, by decision of the reviewer.")),
    Entry(
        None,
        "unplaced-full",
        _("Not placed: every placement this person could take was filled by people it ranked higher."),
    ),
    Entry(None, "unplaced-none", _("Not placed: there are no placements in this round.")),
    Entry(None, "contest-upheld", _("Withdrawn: the contest was upheld.")),
    Entry(None, "hold-expired", _("The seat's hold expired.")),
    Entry(None, "ineligible-exited", _("Left the programme: not proposed.")),
    Entry(None, "ineligible-paused", _("Paused: not proposed until the pause ends.")),
    Entry(None, "ineligible-inactive", _("No longer active in the programme: not proposed.")),
]

CATALOGUE: dict[tuple[str, str | None], Entry] = {e.key: e for e in ENTRIES}


def render_reason(reason: Mapping[str, Any], *, labels: Labels | None = None) -> str:
    """A stored reason (``{"code", "template", "params", "text"}``) as a sentence in the active language.

    ``labels`` names codes of lists this layer cannot read (a participant's support needs, say). A
    reason the catalogue does not know, or whose translation does not fit its parameters, shows its
    stored text, or (kept without it, ``Reason.as_stored``) its English template filled in.
    """
    if not isinstance(reason, Mapping):
        return str(reason)  # a sentence stored as text by an older version
    code = str(reason.get("code", ""))
    entry = CATALOGUE.get((code, reason.get("template"))) or CATALOGUE.get((code, None))
    stored = str(reason["text"]) if "text" in reason else _english(reason)
    if entry is None or (entry.engine is None and reason.get("template")):
        return stored
    params = reason.get("params") or {}
    extra = labels or {}
    try:
        shown = {key: entry.slots.get(key, _plain)(value, params, extra) for key, value in params.items()}
        parts = reason.get("parts")
        if parts and "why" in shown:
            shown["why"] = "; ".join(render_reason(p, labels=labels) for p in parts)
        return str(entry.message).format(**shown)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return stored


def _english(reason: Mapping[str, Any]) -> str:
    """The engine's English sentence for a reason stored without it, code lists as plain words."""
    params = reason.get("params") or {}
    try:
        return render(
            str(reason.get("template", "")),
            {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()},
        )
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return str(reason.get("template", ""))


def _plain(value: Any, params: Mapping[str, Any], labels: Labels) -> str:
    """A slot with no stated kind: numbers localised, anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, params, labels)
    return name(value, params, labels)


# --- Codes in change histories -----------------------------------------------------------------------

TERM_KEYS = frozenset(
    {
        "kind",
        "type",
        "direction",
        "topics",
        "target_groups",
        "expertise",
        "interests",
        "barriers",
        "exit_type",
    }
)


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """NUTS code → region name (the regions change only with a deployment)."""
    return dict(Region.objects.values_list("code", "name"))


def code_label(field: Any, key: str, value: Any) -> str | None:
    """Words for a code stored in an audit event: a code-list term, a language, a country or a region.

    ``None`` when the value is not such a code (the caller then shows it another way).
    """
    if not isinstance(value, str) or not value:
        return None
    lang = _language()
    if key.endswith("country") and len(value) == 2:
        return country_name(value, lang)
    if key == "region" or getattr(field, "related_model", None) is Region:
        return region_names().get(value)
    if key.startswith("language"):
        found = language_names(lang).get(value)
        if found is not None:
            return found
    if key in TERM_KEYS or getattr(field, "related_model", None) is Term:
        return term_labels(lang).get(value) or language_names(lang).get(value)
    return None

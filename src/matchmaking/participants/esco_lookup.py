"""ESCO look-ups for skills mapping and placements, over ``matchmaking.taxonomies.esco``.

The taxonomy module owns the ESCO data (every skill's text and labels, every occupation) and its
search. This module turns its ``Match`` results into the small ``EscoItem`` rows the pages, forms and
importers use, and answers the label and relation questions they ask. The data is read once per process
and the search indexes are built on first use (``warm()`` builds them at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass

from matchmaking.taxonomies import skill_finder
from matchmaking.taxonomies.esco import (
    OCCUPATION_URI_PREFIX,
    SKILL_URI_PREFIX,
    EscoTaxonomy,
    Match,
    load_esco,
)

__all__ = [
    "EscoItem",
    "esco",
    "esco_version",
    "find_skills",
    "is_occupation_uri",
    "is_skill_uri",
    "model_status",
    "occupation_label",
    "occupation_skills",
    "search_occupations",
    "search_skills",
    "skill_label",
    "skills_for_occupation",
    "suggest_from_story",
    "suggest_skills",
    "warm",
]

MAX_QUERY = 200


@dataclass(frozen=True)
class EscoItem:
    uri: str
    label: str
    kind: str = "skill"  # or "occupation"


def esco() -> EscoTaxonomy:
    return load_esco()


def warm() -> None:
    """Load the data and build both search indexes now, so the first keystroke is fast too."""
    esco().build_indexes()


def esco_version() -> str:
    """The ESCO version stored with every mapped skill and placement."""
    return esco().esco_version


def _items(matches: list[Match]) -> list[EscoItem]:
    return [EscoItem(m.uri, m.label, m.kind) for m in matches]


def search_skills(text: str, limit: int = 10) -> list[EscoItem]:
    """Skills whose labels or text match what is typed (the last word may be partial)."""
    text = text.strip()[:MAX_QUERY]
    return _items(esco().search_skills(text, limit)) if text else []


def search_occupations(text: str, limit: int = 10) -> list[EscoItem]:
    """Occupations for what is typed, in any of the six languages (keyword search of the English
    labels without the text model)."""
    text = text.strip()[:MAX_QUERY]
    if not text:
        return []
    return [EscoItem(h.uri, h.label, "occupation") for h in skill_finder.find_occupations(text, limit=limit)]


def suggest_skills(text: str, limit: int = 12) -> list[EscoItem]:
    """Skills suggested from a free-text story ("I looked after my grandmother ...")."""
    text = text.strip()
    return _items(esco().suggest_skills_from_text(text, limit)) if text else []


def is_skill_uri(uri: str) -> bool:
    return uri in esco().skills


def is_occupation_uri(uri: str) -> bool:
    return uri in esco().occupations


def skill_label(uri: str, lang: str | None = None) -> str:
    """ESCO's (English) label, or with ``lang`` the label a reader of that language sees."""
    return esco().skill_label(uri, lang) or uri.removeprefix(SKILL_URI_PREFIX)


def occupation_label(uri: str) -> str:
    occupation = esco().occupation(uri)
    return occupation.label if occupation else uri.removeprefix(OCCUPATION_URI_PREFIX)


def occupation_skills(uri: str, limit: int = 12) -> list[EscoItem]:
    """The occupation's skills: ESCO's own relations where the data has them, else the skills whose
    labels best match the occupation's label and description."""
    found = esco().skills_of_occupation(uri)
    if found:
        return [EscoItem(s.uri, s.label) for s in found[:limit]]
    occupation = esco().occupation(uri)
    if occupation is None:
        return []
    story = f"{occupation.label}. {occupation.description}"
    return suggest_skills(story, limit)


# The skills page asks the cross-lingual skill finder (keyword search plus the text model, when there is
# one); the importers and placements keep the plain label search above.


def find_skills(query: str, *, lang: str | None = None, limit: int = 10) -> list[skill_finder.SkillHit]:
    return skill_finder.find_skills(query, lang=lang, limit=limit)


def suggest_from_story(
    text: str, *, lang: str | None = None, limit: int = 10
) -> list[skill_finder.StorySuggestion]:
    return skill_finder.suggest_from_story(text, lang=lang, limit=limit)


def skills_for_occupation(uri: str, *, limit: int = 15) -> list[skill_finder.OccupationSkill]:
    return skill_finder.skills_for_occupation(uri, limit=limit)


def model_status() -> skill_finder.ModelStatus:
    return skill_finder.model_status()

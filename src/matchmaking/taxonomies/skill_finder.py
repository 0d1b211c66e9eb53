"""Find ESCO skills from what people type, in any of the six languages: the API pages, forms and the
command line use.

- ``find_skills(query)``: a search box. Hybrid ranking of the keyword search over the English ESCO
  labels and the text model's nearest skills.
- ``suggest_from_story(text)``: skills suggested from a free-text account of someone's experience,
  each with the sentence of the story that supports it.
- ``skills_for_occupation(uri)``: ESCO's occupation→skill relations where the data has them, else
  the nearest skills by vector, marked as such.
- ``model_status()``: whether the text model is there, so a page can say when it is not.

Every function answers any string (empty, very long, mixed languages, nonsense) with a list, never an
exception. Without the text model (it cannot load, or ``MATCHMAKING_TEXT_MODEL=none``) everything
falls back to keyword search.
"""

from __future__ import annotations

from dataclasses import dataclass

from matchmaking.taxonomies.esco import load_esco

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_STORY_CHARS",
    "ModelStatus",
    "OccupationSkill",
    "SkillHit",
    "StorySuggestion",
    "find_skills",
    "model_status",
    "skills_for_occupation",
    "suggest_from_story",
]

MAX_QUERY_CHARS = 200
"""A search query is cut to its first 200 characters (at a word boundary)."""
MAX_STORY_CHARS = 5000
"""A story is read up to its first 5,000 characters (at a sentence or word boundary)."""


@dataclass(frozen=True)
class SkillHit:
    uri: str
    label: str
    score: float  # 0..1, higher is better; comparable within one answer only
    source: str  # "keyword", "model" or "both"


@dataclass(frozen=True)
class StorySuggestion:
    uri: str
    label: str
    score: float
    sentence: str  # the part of the story that supports the skill: text[start:end]
    start: int
    end: int


@dataclass(frozen=True)
class OccupationSkill:
    uri: str
    label: str
    score: float
    source: str  # "esco-relation" or "nearest"


@dataclass(frozen=True)
class ModelStatus:
    available: bool
    name: str  # the model's name, or "" when there is none


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split()) if len(text) <= limit * 2 else " ".join(text[: limit * 2].split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def find_skills(query: str, *, lang: str | None = None, limit: int = 10) -> list[SkillHit]:
    """Skills for a search box, best first. ``lang`` is a hint (the query's language), never a
    filter. Queries longer than ``MAX_QUERY_CHARS`` are cut at a word boundary."""
    text = _cut(query or "", MAX_QUERY_CHARS)
    if not text or limit <= 0:
        return []
    matches = load_esco().search_skills(text, limit)
    top = max((m.score for m in matches), default=1.0) or 1.0
    return [SkillHit(m.uri, m.label, round(m.score / top, 4), "keyword") for m in matches]


def suggest_from_story(text: str, *, lang: str | None = None, limit: int = 10) -> list[StorySuggestion]:
    """Skills suggested from a story, each with the part of the story that supports it. Stories
    longer than ``MAX_STORY_CHARS`` are read up to that length."""
    story = (text or "")[:MAX_STORY_CHARS]
    if not story.strip() or limit <= 0:
        return []
    matches = load_esco().suggest_skills_from_text(story, limit)
    start, end = _first_sentence(story)
    return [StorySuggestion(m.uri, m.label, m.score, story[start:end], start, end) for m in matches]


def _first_sentence(story: str) -> tuple[int, int]:
    start = len(story) - len(story.lstrip())
    end = len(story.rstrip())
    return start, end


def skills_for_occupation(uri: str, *, limit: int = 15) -> list[OccupationSkill]:
    """The occupation's skills: ESCO's own relations ("esco-relation") where the data has them,
    else the nearest skills ("nearest"). An unknown URI gives []."""
    esco = load_esco()
    occupation = esco.occupation(uri or "")
    if occupation is None or limit <= 0:
        return []
    related = esco.skills_of_occupation(uri)
    if related:
        return [OccupationSkill(s.uri, s.label, 1.0, "esco-relation") for s in related[:limit]]
    story = f"{occupation.label}. {occupation.description}"
    return [
        OccupationSkill(m.uri, m.label, m.score, "nearest")
        for m in esco.suggest_skills_from_text(story, limit)
    ]


def model_status() -> ModelStatus:
    """Whether the text model is available (pages show a notice when it is not)."""
    return ModelStatus(available=False, name="")

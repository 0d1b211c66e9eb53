"""Find ESCO skills from what people type, in any of the six languages: the API pages, forms and the
command line use.

- ``find_occupations(query)``: the same for occupations.
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

import logging
import threading
from dataclasses import dataclass

import numpy as np

from matchmaking.engine.text_model import TextModel, text_model
from matchmaking.taxonomies.esco import EscoTaxonomy, Match, load_esco, terms
from matchmaking.taxonomies.skill_vectors import EscoVectors, VectorsMismatchError, load_vectors
from matchmaking.taxonomies.story_text import Span, has_words, pieces

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_STORY_CHARS",
    "ModelStatus",
    "OccupationSkill",
    "SkillHit",
    "StorySuggestion",
    "find_occupations",
    "find_skills",
    "model_status",
    "skills_for_occupation",
    "suggest_from_story",
    "warm",
]

MAX_QUERY_CHARS = 1000
"""A search query (or the whole-text part of a story) is cut to its first 1,000 characters, at a word
boundary."""
MAX_STORY_CHARS = 3000
"""A story is read up to its first 3,000 characters (cut at a word boundary)."""
MAX_PIECES = 24
"""At most this many clauses of a story are embedded one by one (the first ones)."""

logger = logging.getLogger(__name__)

# Ranking rules, the same for every language and query; chosen on whole-set figures of the development
# set (docs/decisions/text-model.md), never per item.
CANDIDATES = 100  # nearest skills by vector and keyword hits that enter the fusion
WHOLE_WEIGHT = 0.7  # a story's score for a skill: this share from the whole text, the rest its best clause
KEYWORD_WEIGHT = 0.03  # added to the cosine of a keyword hit, times 1 / (1 + rank / 5)
LANGUAGE_HINT = True  # a query's language, when known, picks the translated labels it is compared with
SAME_CLAUSE_DECAY = 1.0  # < 1 scores down each further hit of the same clause (measured worse: off)


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
    text = " ".join(text[: limit * 2].split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


class _Engine:
    """The text model with the ESCO vectors it fits."""

    def __init__(self, model: TextModel, vectors: EscoVectors, esco: EscoTaxonomy) -> None:
        self.model = model
        self.vectors = vectors
        self.esco = esco
        self.index = {uri: i for i, uri in enumerate(vectors.skill_uris)}
        self.occupation_index = {uri: i for i, uri in enumerate(vectors.occupation_uris)}

    def skill_scores(self, texts: list[str], lang: str | None = None) -> np.ndarray:
        """Cosine of each text (as a query) with each skill: (texts, skills)."""
        hint = lang if LANGUAGE_HINT else None
        return self.vectors.skill_scores(self.model.embed_queries(texts), lang=hint)


_lock = threading.Lock()
_engines: dict[str, _Engine | None] = {}


def _engine() -> _Engine | None:
    with _lock:
        if "engine" not in _engines:
            _engines["engine"] = _load_engine()
        return _engines["engine"]


def _load_engine() -> _Engine | None:
    model = text_model()
    if model is None:
        return None
    esco = load_esco()
    try:
        vectors = load_vectors(model=model.name, dim=model.dim, esco=esco)
    except (OSError, ValueError, KeyError, VectorsMismatchError) as exc:
        logger.warning("ESCO vectors cannot be used (%s): keyword search only.", exc)
        return None
    return _Engine(model, vectors, esco)


def warm() -> ModelStatus:
    """Load the model, its vectors and the keyword index now (a few seconds), so the first search
    of a web process is as fast as the others; returns the model's status."""
    load_esco().build_indexes()
    return model_status()


def reset() -> None:
    """Forget the loaded model and vectors (tests switch the model)."""
    with _lock:
        _engines.clear()


def _keyword_bonus(matches: list[Match]) -> dict[str, float]:
    return {m.uri: KEYWORD_WEIGHT / (1 + rank / 5) for rank, m in enumerate(matches)}


def _story_pieces(text: str) -> list[Span]:
    return [p for p in pieces(text) if has_words(p)][:MAX_PIECES]


def _combined(
    engine: _Engine, text: str, spans: list[Span], lang: str | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Model score per skill and, for a text of several clauses, the best clause per skill."""
    if len(spans) < 2:
        return engine.skill_scores([text], lang)[0], None
    scores = engine.skill_scores([text, *(p.text for p in spans)], lang)
    best = scores[1:].argmax(axis=0)
    return WHOLE_WEIGHT * scores[0] + (1 - WHOLE_WEIGHT) * scores[1:].max(axis=0), best


def _fuse(
    engine: _Engine, model: np.ndarray, keyword: list[Match], limit: int
) -> list[tuple[int, float, str]]:
    """(skill index, score, source) best first: the cosine plus a small bonus for keyword hits."""
    return _fuse_over(engine.vectors.skill_uris, engine.index, model, keyword, limit)


def _fuse_over(
    uris: list[str], index: dict[str, int], model: np.ndarray, keyword: list[Match], limit: int
) -> list[tuple[int, float, str]]:
    """The hybrid ranking over any vectors (skills or occupations) with their URIs in that order."""
    candidates = np.argpartition(-model, min(CANDIDATES, len(model) - 1))[:CANDIDATES]
    bonus = _keyword_bonus(keyword)
    in_model = {int(i) for i in candidates}
    scored: dict[int, tuple[float, str]] = {int(i): (float(model[i]), "model") for i in candidates}
    for uri, extra in bonus.items():
        i = index.get(uri)
        if i is not None:
            scored[i] = (float(model[i]) + extra, "both" if i in in_model else "keyword")
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], uris[item[0]]))
    return [(i, score, source) for i, (score, source) in ranked[:limit]]


def find_skills(query: str, *, lang: str | None = None, limit: int = 10) -> list[SkillHit]:
    """Skills for a search box, best first; a short story works too (each clause counts). ``lang``
    is a hint (the query's language), never a filter. Queries longer than ``MAX_QUERY_CHARS`` are
    cut at a word boundary. Scores are the model's cosine (plus a small keyword bonus), or the
    keyword score scaled to 0..1 without the model."""
    text = _cut(query or "", MAX_QUERY_CHARS)
    if not text or limit <= 0:
        return []
    esco = load_esco()
    spans = _story_pieces(text)
    keyword = (
        esco.search_skills(text, CANDIDATES) if len(spans) < 2 else esco.suggest_skills_from_text(text, 50)
    )
    engine = _engine()
    if engine is None:
        top = max((m.score for m in keyword), default=1.0) or 1.0
        return [SkillHit(m.uri, m.label, round(m.score / top, 4), "keyword") for m in keyword[:limit]]
    uris = engine.vectors.skill_uris
    return [
        SkillHit(uri=uris[i], label=_label(esco, uris[i]), score=round(score, 4), source=source)
        for i, score, source, _ in _ranked(engine, text, spans, keyword, limit, lang)
    ]


def find_occupations(query: str, *, lang: str | None = None, limit: int = 10) -> list[SkillHit]:
    """Occupations for a search box, best first, in any of the six languages ("Koch", "kock" and
    "cocinero" find "cook"): the same hybrid ranking as ``find_skills``, over the occupations'
    vectors (label, alternative labels and description) and the keyword search of their English
    labels. ``lang`` is a hint, never a filter."""
    text = _cut(query or "", MAX_QUERY_CHARS)
    if not text or limit <= 0:
        return []
    esco = load_esco()
    keyword = esco.search_occupations(text, CANDIDATES)
    engine = _engine()
    if engine is None or not engine.vectors.occupation_uris:
        top = max((m.score for m in keyword), default=1.0) or 1.0
        return [SkillHit(m.uri, m.label, round(m.score / top, 4), "keyword") for m in keyword[:limit]]
    uris = engine.vectors.occupation_uris
    model = engine.vectors.occupation_vectors @ engine.model.embed_queries([text])[0]
    hits = [
        SkillHit(uri=uris[i], label=_occupation_label(esco, uris[i]), score=round(score, 4), source=source)
        for i, score, source in _fuse_over(uris, engine.occupation_index, model, keyword, limit)
    ]
    # An occupation named exactly as typed comes first, as a person typing its name expects.
    exact = [h for h in hits if h.label.casefold() == text.casefold()]
    return exact + [h for h in hits if h not in exact]


def _occupation_label(esco: EscoTaxonomy, uri: str) -> str:
    occupation = esco.occupation(uri)
    return occupation.label if occupation else uri


def _ranked(
    engine: _Engine, text: str, spans: list[Span], keyword: list[Match], limit: int, lang: str | None
) -> list[tuple[int, float, str, int]]:
    """(skill index, score, source, index of the supporting piece) best first. For a text of several
    pieces, each further skill supported by the same piece is scored down by ``SAME_CLAUSE_DECAY``."""
    model, best = _combined(engine, text, spans, lang)
    fused = _fuse(engine, model, keyword, CANDIDATES if best is not None else limit)
    if best is None:
        return [(i, score, source, 0) for i, score, source in fused]
    used: dict[int, int] = {}
    decayed = []
    for i, score, source in fused:
        piece = int(best[i])
        decayed.append((i, score * SAME_CLAUSE_DECAY ** used.get(piece, 0), source, piece))
        used[piece] = used.get(piece, 0) + 1
    decayed.sort(key=lambda item: -item[1])
    return decayed[:limit]


def _label(esco: EscoTaxonomy, uri: str) -> str:
    skill = esco.skill(uri)
    return skill.label if skill else uri


def suggest_from_story(text: str, *, lang: str | None = None, limit: int = 10) -> list[StorySuggestion]:
    """Skills suggested from a story, each with the clause of the story that supports it
    (``sentence == text[start:end]``). Stories longer than ``MAX_STORY_CHARS`` are read up to that
    length (cut at a word boundary), and at most ``MAX_PIECES`` clauses are weighed one by one."""
    story = text or ""
    if len(story) > MAX_STORY_CHARS:
        cut = story[:MAX_STORY_CHARS]
        story = cut[: cut.rfind(" ")] if " " in cut else cut
    if not story.strip() or limit <= 0:
        return []
    esco = load_esco()
    spans = _story_pieces(story) or [Span(story.strip(), 0, len(story), 0, len(story))]
    engine = _engine()
    keyword = esco.suggest_skills_from_text(story, 50)
    if engine is None:
        return [
            _suggestion(m.uri, m.label, m.score, story, _support(esco, m.uri, spans)) for m in keyword[:limit]
        ]
    uris = engine.vectors.skill_uris
    return [
        _suggestion(uris[i], _label(esco, uris[i]), round(score, 4), story, spans[piece])
        for i, score, _, piece in _ranked(engine, _cut(story, MAX_QUERY_CHARS), spans, keyword, limit, lang)
    ]


def _support(esco: EscoTaxonomy, uri: str, spans: list[Span]) -> Span:
    """Without the model: the clause that shares the most words with the skill's labels, then with
    its description."""
    skill = esco.skill(uri)
    if skill is None:
        return spans[0]
    labels, text = set(terms(skill.labels_text)), set(terms(skill.text))
    return max(
        spans, key=lambda span: (len(labels & set(terms(span.text))), len(text & set(terms(span.text))))
    )


def _suggestion(uri: str, label: str, score: float, story: str, span: Span) -> StorySuggestion:
    start, end = span.clause_start, span.clause_end
    return StorySuggestion(uri, label, score, story[start:end], start, end)


def skills_for_occupation(uri: str, *, limit: int = 15) -> list[OccupationSkill]:
    """The occupation's skills: ESCO's own relations ("esco-relation") where the data has them
    (91 occupations), else the skills nearest to the occupation by vector ("nearest"; without the
    model, the skills whose words best match the occupation's label and description). An unknown
    URI gives []."""
    esco = load_esco()
    occupation = esco.occupation(uri or "")
    if occupation is None or limit <= 0:
        return []
    related = esco.skills_of_occupation(uri)
    if related:
        return [OccupationSkill(s.uri, s.label, 1.0, "esco-relation") for s in related[:limit]]
    engine = _engine()
    if engine is None or uri not in engine.vectors.occupation_uris:
        story = f"{occupation.label}. {occupation.description}"
        return [
            OccupationSkill(m.uri, m.label, m.score, "nearest")
            for m in esco.suggest_skills_from_text(story, limit)
        ]
    row = engine.vectors.occupation_vectors[engine.vectors.occupation_uris.index(uri)]
    scores = engine.vectors.skill_scores(row)[0]
    top = np.argsort(-scores, kind="stable")[:limit]
    uris = engine.vectors.skill_uris
    return [
        OccupationSkill(uris[i], _label(esco, uris[i]), round(float(scores[i]), 4), "nearest") for i in top
    ]


def model_status() -> ModelStatus:
    """Whether the text model (and the ESCO vectors that fit it) is available; pages show a notice
    when it is not."""
    engine = _engine()
    if engine is None:
        return ModelStatus(available=False, name="")
    return ModelStatus(available=True, name=engine.model.name)

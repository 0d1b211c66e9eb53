"""ESCO skills and occupations, read from ``data/esco.json.gz``, with search and skill suggestions.

Pure Python (standard library only) so the engine, the command line and the Django apps can all use
it. ``load_esco()`` reads the file once per process (about 0.3 s); the search indexes are built on the
first search (about a second) and then answer in a few milliseconds.

The data file is built by ``scripts/build_esco.py``; ``docs/esco.md`` says where each part comes from,
how the preferred labels of two thirds of the skills were derived and how good that is. Any screen or
export that shows ESCO data must show ``ATTRIBUTION``.

    >>> esco = load_esco()
    >>> [m.label for m in esco.search_skills("weld", limit=3)]  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import gzip
import heapq
import json
import logging
import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from matchmaking.taxonomies.esco_words import (  # noqa: F401 - part of this module's interface
    STOP_WORDS,
    _everyday,
    fold,
    stem,
    terms,
    words,
)
from matchmaking.taxonomies.skill_labels import SkillLabelsError, labels_by_skill, load_skill_labels

DATA_FILE = Path(__file__).resolve().parent / "data" / "esco.json.gz"

ESCO_VERSION = "1.1.1"
"""The ESCO release stored with every mapped skill or occupation (occupations are ESCO v1.1.1; the
skill URIs come from a v1.1–1.2 era distribution and are stable across those releases)."""

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."

SKILL_URI_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_URI_PREFIX = "http://data.europa.eu/esco/occupation/"


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    label_source: str  # "esco": a clean ESCO label; "derived": cut from the joined text
    reuse_level: str | None
    skill_type: str | None  # "skill/competence", "knowledge" or None when not known
    text: str  # preferred label, alternative labels and description as the source joins them

    @property
    def labels_text(self) -> str:
        """The part of ``text`` before the description: the preferred and alternative labels."""
        if self.description and self.text.endswith(self.description):
            return self.text[: len(self.text) - len(self.description)].strip()
        return self.text


@dataclass(frozen=True)
class Occupation:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    isco_code: str  # ISCO-08 unit group, four digits
    skill_uris: tuple[str, ...]  # empty for most occupations: see docs/esco.md
    code: str = ""  # ESCO occupation code, e.g. "7212.1"
    regulated: bool = False  # a regulated profession in at least one EU country


@dataclass(frozen=True)
class IscoGroup:
    code: str
    label: str
    uri: str


@dataclass(frozen=True)
class Match:
    """One search hit. ``field`` is where the weakest query word was found: "label", "alt_label"
    (an alternative label or, for skills, the label part of the text) or "text" (description)."""

    uri: str
    label: str
    score: float
    field: str
    item: Skill | Occupation

    @property
    def kind(self) -> str:
        return "skill" if isinstance(self.item, Skill) else "occupation"


# ---------------------------------------------------------------------------------------------------
# Index

LABEL, ALT, TEXT = 3, 2, 1
_FIELD_NAMES = {LABEL: "label", ALT: "alt_label", TEXT: "text"}
_PREFIX_EXPANSIONS = {2: 8, 3: 20}  # most frequent completions of a partial last word, by length
_MAX_EXPANSIONS = 40


class _Index:
    """An inverted index from stemmed words to items, per field (label, alternative labels, text)."""

    def __init__(
        self, items: list[Skill] | list[Occupation], translated: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.items = items
        translated = translated or {}
        postings: dict[str, dict[int, int]] = {}
        raw_df: dict[str, int] = {}
        self.label_terms: list[tuple[str, ...]] = []
        self.label_folded: list[str] = []
        self.translated_folded: list[tuple[str, ...]] = []
        each: Sequence[Skill | Occupation] = items
        for i, item in enumerate(each):
            fields: dict[str, int] = {}
            raw: set[str] = set()
            for level, texts in (
                (TEXT, (item.description,)),
                (ALT, (*item.alt_labels, _labels_text(item), *translated.get(item.uri, ()))),
                (LABEL, (item.label,)),
            ):
                for text in texts:
                    for word in words(text):
                        raw.add(word)
                        if word not in STOP_WORDS:
                            fields[stem(word)] = level  # later (higher) levels overwrite
            for term, level in fields.items():
                postings.setdefault(term, {})[i] = level
            for word in raw:
                raw_df[word] = raw_df.get(word, 0) + 1
            self.label_terms.append(tuple(terms(item.label)))
            self.label_folded.append(" ".join(words(item.label)))
            self.translated_folded.append(tuple(" ".join(words(t)) for t in translated.get(item.uri, ())))
        n = len(items)
        # Posting lists sorted by field, labels first, so a search can stop at a field.
        self.postings: dict[str, tuple[array, array]] = {}
        self.in_labels: dict[str, int] = {}  # how many entries have the term in a label or alt label
        for term, entries in postings.items():
            ordered = sorted(entries.items(), key=lambda entry: (-entry[1], entry[0]))
            self.postings[term] = (array("I", (i for i, _ in ordered)), array("B", (v for _, v in ordered)))
            self.in_labels[term] = sum(1 for _, level in ordered if level >= ALT)
        self.idf = {term: math.log(1 + n / len(entries)) for term, entries in postings.items()}
        self.vocabulary = sorted(raw_df)  # raw words, for prefix completion
        self.raw_df = raw_df
        # Vector norms for suggestions: field level as term weight, times idf.
        norms = [0.0] * n
        for term, (ids, levels) in self.postings.items():
            idf = self.idf[term]
            for i, level in zip(ids, levels, strict=True):
                norms[i] += (level * idf) ** 2
        self.norms = [math.sqrt(x) or 1.0 for x in norms]

    def completions(self, prefix: str) -> list[str]:
        """Raw words that start with ``prefix``, most frequent first."""
        vocabulary = self.vocabulary
        found = []
        for index in range(bisect.bisect_left(vocabulary, prefix), len(vocabulary)):
            if not vocabulary[index].startswith(prefix):
                break
            found.append(vocabulary[index])
        found.sort(key=lambda w: (-self.raw_df[w], w))
        return found[: _PREFIX_EXPANSIONS.get(len(prefix), _MAX_EXPANSIONS)]

    def search(self, query: str, limit: int) -> list[Match]:
        raw = words(query)
        if not raw or limit <= 0:
            return []
        content = [w for w in raw if w not in STOP_WORDS] or raw
        complete_last = not query[-1:].isspace()
        # For each query word: the stemmed terms it matches, with a weight (1 exact, 0.8 completion)
        # and a level drop (a completion of a word that is complete itself counts one field lower:
        # "excel" prefers Excel in an alternative label to "excellence" in a label).
        # Completions of a prefix of three letters or fewer only look in labels and alternative labels.
        alternatives: list[dict[str, tuple[float, int, bool]]] = []
        for position, word in enumerate(content):
            options = {stem(word): (1.0, 0, False)}
            if complete_last and position == len(content) - 1 and len(word) >= 2:
                drop = 1 if word in self.raw_df else 0
                for completion in self.completions(word):
                    options.setdefault(stem(completion), (0.8, drop, len(word) <= 3))
            alternatives.append({t: o for t, o in options.items() if t in self.postings})
        # Per query word: for each item, the best (level, whole word, value) it reaches.
        reached: list[dict[int, tuple[int, bool, float]]] = []
        for options in alternatives:
            got: dict[int, tuple[int, bool, float]] = {}
            for term, (weight, drop, labels_only) in options.items():
                ids, levels = self.postings[term]
                if labels_only:
                    ids, levels = ids[: self.in_labels[term]], levels[: self.in_labels[term]]
                value, whole = weight * self.idf[term], weight == 1.0
                for i, level in zip(ids, levels, strict=True):
                    hit = (level - drop if level > drop else TEXT, whole, value)
                    old = got.get(i)
                    if old is None or hit > old:
                        got[i] = hit
            reached.append(got)
        best: dict[int, list[tuple[int, bool, float]]] = {}
        missing = (0, False, 0.0)
        for i in set().union(*reached):
            best[i] = [got.get(i, missing) for got in reached]
        phrase = " ".join(raw)
        ranked = []
        for i, slots in best.items():
            matched = [slot for slot in slots if slot[0]]
            # The field of the weakest query word: a label hit needs every word in the label.
            weakest = min(slot[0] for slot in matched) if len(matched) == len(slots) else 0
            whole_words = sum(1 for slot in matched if slot[1])
            label = self.label_folded[i]
            named = (label, *self.translated_folded[i])
            exact, starts = phrase in named, any(name.startswith(phrase) for name in named)
            score = sum(level * value for level, _, value in matched) + 10.0 * exact + 5.0 * starts
            key = (
                -len(matched),
                -weakest,
                -exact,
                -starts,
                -whole_words,
                -score,
                len(self.label_terms[i]),
                label,
            )
            ranked.append((key, i, weakest or max(slot[0] for slot in matched), score))
        return [
            Match(
                uri=self.items[i].uri,
                label=self.items[i].label,
                score=round(score, 4),
                field=_FIELD_NAMES[field],
                item=self.items[i],
            )
            for _, i, field, score in heapq.nsmallest(limit, ranked)
        ]

    def suggest(self, text: str, limit: int, minimum: float) -> list[Match]:
        counts: dict[str, float] = {}
        for term in terms(text):
            for related, weight in ((term, 1.0), *((r, 0.7) for r in _EVERYDAY.get(term, ()))):
                if related in self.postings:
                    counts[related] = counts.get(related, 0.0) + weight
        if not counts:
            return []
        query_weights = {t: (1 + math.log(1 + c)) * self.idf[t] for t, c in counts.items()}
        query_norm = math.sqrt(sum(w * w for w in query_weights.values()))
        scores: dict[int, float] = {}
        fields: dict[int, int] = {}
        for term, qw in query_weights.items():
            idf = self.idf[term]
            ids, levels = self.postings[term]
            for i, level in zip(ids, levels, strict=True):
                scores[i] = scores.get(i, 0.0) + qw * level * idf
                if level > fields.get(i, 0):
                    fields[i] = level
        ranked = sorted(
            ((s / (self.norms[i] * query_norm), i) for i, s in scores.items() if fields[i] >= ALT),
            key=lambda pair: (-pair[0], self.label_folded[pair[1]]),
        )
        return [
            Match(
                uri=self.items[i].uri,
                label=self.items[i].label,
                score=round(score, 4),
                field=_FIELD_NAMES[fields[i]],
                item=self.items[i],
            )
            for score, i in ranked[:limit]
            if score >= minimum
        ]


_EVERYDAY = _everyday()


def _labels_text(item: Skill | Occupation) -> str:
    return item.labels_text if isinstance(item, Skill) else ""


# ---------------------------------------------------------------------------------------------------
# Taxonomy


class EscoTaxonomy:
    """All ESCO skills, occupations and ISCO-08 groups of the data file, with search."""

    def __init__(self, data: dict, by_language: dict[str, dict[str, tuple[str, ...]]] | None = None) -> None:
        self.by_language: dict[str, dict[str, tuple[str, ...]]] = by_language or {}
        """Language → skill URI → its labels in that language (``skill_labels``): the first one is the
        label a reader of that language sees."""
        self.translated: dict[str, tuple[str, ...]] = labels_by_skill(self.by_language)
        """Skill URI → its labels in the other languages of the network: searched like alternative
        labels."""
        self.version: dict = {
            "esco_version": data["esco_version"],
            "format": data["format"],
            "sources": data["sources"],
        }
        self.esco_version: str = data["esco_version"]
        self.attribution: str = data["attribution"]
        self.licence: str = data["licence"]
        self.notes: dict = data.get("notes", {})
        self.skills: dict[str, Skill] = {
            s["uri"]: Skill(
                uri=s["uri"],
                label=s["label"],
                alt_labels=tuple(s.get("alt_labels", ())),
                description=s.get("description", ""),
                label_source=s["label_source"],
                reuse_level=s.get("reuse_level"),
                skill_type=s.get("skill_type"),
                text=s["text"],
            )
            for s in data["skills"]
        }
        self.occupations: dict[str, Occupation] = {
            o["uri"]: Occupation(
                uri=o["uri"],
                label=o["label"],
                alt_labels=tuple(o.get("alt_labels", ())),
                description=o.get("description", ""),
                isco_code=o["isco_code"],
                skill_uris=tuple(o.get("skill_uris", ())),
                code=o.get("code", ""),
                regulated=bool(o.get("regulated", False)),
            )
            for o in data["occupations"]
        }
        self.isco_groups: dict[str, IscoGroup] = {
            g["code"]: IscoGroup(code=g["code"], label=g["label"], uri=g["uri"]) for g in data["isco_groups"]
        }

    def __repr__(self) -> str:
        return (
            f"<EscoTaxonomy ESCO {self.esco_version}: {len(self.skills)} skills, "
            f"{len(self.occupations)} occupations>"
        )

    @cached_property
    def _skill_index(self) -> _Index:
        return _Index(list(self.skills.values()), self.translated)

    @cached_property
    def _occupation_index(self) -> _Index:
        return _Index(list(self.occupations.values()))

    def build_indexes(self) -> EscoTaxonomy:
        """Build both search indexes now rather than on the first search."""
        _ = self._skill_index, self._occupation_index
        return self

    def search_skills(self, query: str, limit: int = 10) -> list[Match]:
        """Skills for an autocomplete: every word must match for the best ranks; the last word may
        be partial ("weld" finds welding). Hits in labels rank above hits in alternative labels,
        which rank above hits in descriptions."""
        return self._skill_index.search(query, limit)

    def search_occupations(self, query: str, limit: int = 10) -> list[Match]:
        """Occupations, ranked like ``search_skills``."""
        return self._occupation_index.search(query, limit)

    def suggest_skills_from_text(self, free_text: str, limit: int = 10, minimum: float = 0.05) -> list[Match]:
        """Skills whose words resemble a free-text account of someone's experience.

        TF-IDF cosine between the text's stemmed words and each skill's words (label words count
        three times, alternative labels twice, description once); only skills that share at least one
        word with their labels are proposed. Lexical only: see the limits in docs/esco.md.
        """
        return self._skill_index.suggest(free_text, limit, minimum)

    def skill(self, uri: str) -> Skill | None:
        return self.skills.get(uri)

    def occupation(self, uri: str) -> Occupation | None:
        return self.occupations.get(uri)

    def isco_group(self, code: str) -> IscoGroup | None:
        return self.isco_groups.get(code)

    def skills_of_occupation(self, uri: str) -> list[Skill]:
        """The occupation's skills where the data has them (91 occupations only)."""
        occupation = self.occupations.get(uri)
        if occupation is None:
            return []
        return [self.skills[u] for u in occupation.skill_uris if u in self.skills]

    def occupations_in_isco_group(self, code: str) -> list[Occupation]:
        """Occupations whose ISCO-08 unit group starts with ``code`` (1 to 4 digits)."""
        return sorted(
            (o for o in self.occupations.values() if o.isco_code.startswith(code)),
            key=lambda o: o.label,
        )

    def labels(self, uris: Iterable[str], lang: str | None = None) -> dict[str, str]:
        """Labels of skills or occupations by URI (unknown URIs left out): a skill's label in ``lang``
        where the project has one, else ESCO's English preferred label (occupations have only that)."""
        out = {}
        for uri in uris:
            label = self.skill_label(uri, lang)
            if label is None and (occupation := self.occupations.get(uri)) is not None:
                label = occupation.label
            if label is not None:
                out[uri] = label
        return out

    def skill_label(self, uri: str, lang: str | None = None) -> str | None:
        """The skill's label for a reader of ``lang``: the first of its labels in that language, or
        ESCO's English preferred label when there is none (``None`` for an unknown skill)."""
        skill = self.skills.get(uri)
        if skill is None:
            return None
        translated = self.by_language.get(lang or "", {}).get(uri)
        return translated[0] if translated else skill.label


@cache
def load_esco(path: str | Path | None = None) -> EscoTaxonomy:
    """The taxonomy in ``path`` (default: the data file shipped with the package, with the skill labels
    in the network's other languages), read once."""
    translated = None if path else _translated_labels()
    with gzip.open(path or DATA_FILE, "rt", encoding="utf-8") as handle:
        return EscoTaxonomy(json.load(handle), translated)


def _translated_labels() -> dict[str, dict[str, tuple[str, ...]]] | None:
    """The shipped skill labels in the other languages; a file that cannot be read is reported once and
    left out (search goes on in English and through the text model, pages show English labels)."""
    try:
        return load_skill_labels()
    except (OSError, SkillLabelsError) as exc:
        logging.getLogger(__name__).error("Skill labels in other languages left out: %s", exc)
        return None


def search_skills(query: str, limit: int = 10) -> list[Match]:
    return load_esco().search_skills(query, limit)


def search_occupations(query: str, limit: int = 10) -> list[Match]:
    return load_esco().search_occupations(query, limit)


def suggest_skills_from_text(free_text: str, limit: int = 10) -> list[Match]:
    return load_esco().suggest_skills_from_text(free_text, limit)

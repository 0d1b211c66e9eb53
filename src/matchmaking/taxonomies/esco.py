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
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

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
# Words

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS_TEXT = (
    "a about above after again all also am an and any are as at be been being both but by can could "
    "did do does doing done during each etc for from further had has have having he her here hers him "
    "his how i if in into is it its itself just me more most my myself no nor not now of off on once "
    "only or other our ours out over own same she should so some such than that the their them then "
    "there these they this those through to too under until up very was we were what when where which "
    "while who whom why will with would you your yours"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_VOWELS = frozenset("aeiou")


def fold(text: str) -> str:
    """Lower case without accents."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences."""
    m, previous_vowel = 0, False
    for i in range(len(stem)):
        consonant = _consonant(stem, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _cvc(stem: str) -> bool:
    return (
        len(stem) >= 3
        and _consonant(stem, len(stem) - 3)
        and not _consonant(stem, len(stem) - 2)
        and _consonant(stem, len(stem) - 1)
        and stem[-1] not in "wxy"
    )


@cache
def stem(word: str) -> str:
    """A light Porter stemmer (steps 1a–1c and 5): plurals, -ed, -ing and a final e.

    care, cared, caring -> care; nurse, nurses, nursing -> nurs; welding, welded -> weld.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    # 1a
    if word.endswith(("sses", "ies")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and not word.endswith("us"):
        word = word[:-1]
    # 1b
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif len(word) > 1 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    # 1c
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # 5
    if word.endswith("e"):
        m = _measure(word[:-1])
        if m > 1 or (m == 1 and not _cvc(word[:-1])):
            word = word[:-1]
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Stemmed words without stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


# Everyday words in accounts of experience and the words ESCO uses for the same things. Only for
# suggestions from free text; a small hand-made list, not a thesaurus (see docs/esco.md).
_EVERYDAY_WORDS = {
    "grandmother grandfather grandparent grandma grandpa granny nan elderly old aged": (
        "elderly older adult"
    ),
    "kid child children baby babysit babysat toddler": "children child",
    "mum mom mother dad father parent sibling brother sister family relative": "family",
    "look looked after": "care",
    "help helped": "assist support",
    "shop store supermarket": "retail shop store sales",
    "till checkout cashier": "cash payment register",
    "customer client shopper": "customer client",
    "sold sell selling": "sell sales",
    "fix fixed mend mended repair repaired": "repair maintain",
    "car cars van vehicle": "vehicle car",
    "cook cooked cooking meal meals kitchen": "food cook kitchen",
    "food bank charity donation donated": "donation charity food",
    "volunteer volunteered volunteering": "volunteer community",
    "taught teach tutor tutored coached coach": "teach train coach",
    "clean cleaned cleaning": "clean hygiene",
    "garden gardening": "garden plant",
    "build built": "build construct",
    "computer laptop pc": "computer ICT",
    "phone telephone": "telephone",
    "drive drove driving": "drive",
    "organise organised organize organized": "organise plan",
    "translate translated interpreted": "translate interpret",
}


def _everyday() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for sources, targets in _EVERYDAY_WORDS.items():
        related = tuple(dict.fromkeys(stem(w) for w in words(targets)))
        for word in words(sources):
            key = stem(word)
            table[key] = tuple(dict.fromkeys((*table.get(key, ()), *related)))
    return {k: tuple(r for r in v if r != k) for k, v in table.items()}


# ---------------------------------------------------------------------------------------------------
# Index

LABEL, ALT, TEXT = 3, 2, 1
_FIELD_NAMES = {LABEL: "label", ALT: "alt_label", TEXT: "text"}
_PREFIX_EXPANSIONS = {2: 8, 3: 20}  # most frequent completions of a partial last word, by length
_MAX_EXPANSIONS = 40


class _Index:
    """An inverted index from stemmed words to items, per field (label, alternative labels, text)."""

    def __init__(self, items: list[Skill] | list[Occupation]) -> None:
        self.items = items
        postings: dict[str, dict[int, int]] = {}
        raw_df: dict[str, int] = {}
        self.label_terms: list[tuple[str, ...]] = []
        self.label_folded: list[str] = []
        each: Sequence[Skill | Occupation] = items
        for i, item in enumerate(each):
            fields: dict[str, int] = {}
            raw: set[str] = set()
            for level, texts in (
                (TEXT, (item.description,)),
                (ALT, (*item.alt_labels, _labels_text(item))),
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
            exact, starts = label == phrase, label.startswith(phrase)
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

    def __init__(self, data: dict) -> None:
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
        return _Index(list(self.skills.values()))

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

    def labels(self, uris: Iterable[str]) -> dict[str, str]:
        """Preferred labels of skills or occupations by URI (unknown URIs left out)."""
        out = {}
        for uri in uris:
            item = self.skills.get(uri) or self.occupations.get(uri)
            if item is not None:
                out[uri] = item.label
        return out


@cache
def load_esco(path: str | Path | None = None) -> EscoTaxonomy:
    """The taxonomy in ``path`` (default: the data file shipped with the package), read once."""
    with gzip.open(path or DATA_FILE, "rt", encoding="utf-8") as handle:
        return EscoTaxonomy(json.load(handle))


def search_skills(query: str, limit: int = 10) -> list[Match]:
    return load_esco().search_skills(query, limit)


def search_occupations(query: str, limit: int = 10) -> list[Match]:
    return load_esco().search_occupations(query, limit)


def suggest_skills_from_text(free_text: str, limit: int = 10) -> list[Match]:
    return load_esco().suggest_skills_from_text(free_text, limit)

"""Free-text similarity of descriptions: TF-IDF weighted word overlap (cosine), in plain Python.

A network has hundreds of organisations, not millions, so a dictionary per description is fast
enough and easy to explain: two descriptions are similar when they share words that few other
descriptions use. The shared words are returned too, so a reason can quote them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

# Frequent English words that say nothing about what an organisation does.
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "not",
        "but",
        "you",
        "your",
        "our",
        "their",
        "they",
        "them",
        "its",
        "into",
        "about",
        "also",
        "can",
        "will",
        "would",
        "should",
        "could",
        "more",
        "most",
        "other",
        "some",
        "such",
        "than",
        "then",
        "there",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "how",
        "all",
        "any",
        "each",
        "both",
        "few",
        "many",
        "much",
        "very",
        "own",
        "same",
        "so",
        "too",
        "just",
        "only",
        "over",
        "under",
        "again",
        "further",
        "once",
        "here",
        "out",
        "off",
        "per",
        "via",
        "been",
        "being",
        "does",
        "did",
        "doing",
        "work",
        "working",
        "people",
        "organisation",
        "organisations",
        "we",
        "us",
        "it",
        "is",
        "be",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "as",
        "or",
        "an",
        "a",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case words of three letters or more, without stop words."""
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text)) if w not in STOPWORDS]


class TextIndex:
    """TF-IDF vectors for a fixed set of documents, keyed by any string id."""

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        counted = {key: Counter(words(text)) for key, text in documents}
        frequency: Counter[str] = Counter()
        for counts in counted.values():
            frequency.update(counts.keys())
        total = max(len(counted), 1)
        self.idf = {w: math.log((1 + total) / (1 + df)) + 1.0 for w, df in frequency.items()}
        self.vectors = {key: self._vector(counts) for key, counts in counted.items()}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        raw = {w: (1 + math.log(c)) * self.idf.get(w, 1.0) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {w: v / norm for w, v in raw.items()}

    def similarity(self, a: str, b: str, top_words: int = 3) -> tuple[float, tuple[str, ...]]:
        """Cosine similarity 0–1 of documents ``a`` and ``b`` and the shared words that weigh most."""
        va = self.vectors.get(a, {})
        vb = self.vectors.get(b, {})
        if len(vb) < len(va):
            va, vb = vb, va
        shared = {w: va[w] * vb[w] for w in va if w in vb}
        best = sorted(shared, key=lambda w: (-shared[w], w))[:top_words]
        return min(1.0, sum(shared.values())), tuple(best)

"""Search text that ignores case and accents (Boras finds Borås), the same on SQLite and PostgreSQL.

Records keep a denormalised ``search_text``: their words (names, cities, the labels of their code-list
terms in every language, region and country) lower-cased with the accents folded away, letters and digits
only, the pieces separated by " | ". A query is folded the same way and every word of it must be found:
as the start of a word through the full-text index (``search_index``: PostgreSQL full-text search or
SQLite FTS5), or as a part of the text where the records are few and read in Python (the library).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from matchmaking.taxonomies.countries import country_name

# The languages whose labels are searchable (the interface languages).
SEARCH_LANGUAGES = ("en", "sv", "nb", "de", "es", "ca")
MAX_WORDS = 8

# Letters that Unicode does not split into a base letter and an accent.
_WORD = re.compile(r"[^\W_]+")
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """``text`` lower-case, accents removed, runs of spaces made one: 'Borås' → 'boras'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    return " ".join(plain.split())


def words(text: str) -> list[str]:
    """The folded words of ``text``, letters and digits only: 'Borås, SE-23' → ['boras', 'se', '23']."""
    return _WORD.findall(fold(text))


def search_words(query: str) -> list[str]:
    """The folded words of a user's query (at most ``MAX_WORDS``); each must be found."""
    return words(query)[:MAX_WORDS]


def term_words(term: Any) -> list[str]:
    """A code-list term's labels in every language, and its code."""
    labels = term.labels or {}
    return [str(term.code).replace("-", " "), *(str(v) for v in labels.values() if v)]


@lru_cache(maxsize=300)
def _country_names(code: str) -> tuple[str, ...]:
    return (code, *{country_name(code, language) for language in SEARCH_LANGUAGES})


def country_words(code: str) -> list[str]:
    """A country's code and its names in the interface languages."""
    return list(_country_names(code)) if code else []


def region_words(region: Any) -> list[str]:
    return [region.code, region.name] if region is not None else []


def build(parts: Iterable[str | None]) -> str:
    """The search text of a record from its pieces (each folded to its words; repeated pieces kept once).
    Punctuation is left out so that both full-text indexes split the text into the same words."""
    seen: dict[str, None] = {}
    for part in parts:
        if part:
            folded = " ".join(words(str(part)))
            if folded:
                seen.setdefault(folded, None)
    return " | ".join(seen)

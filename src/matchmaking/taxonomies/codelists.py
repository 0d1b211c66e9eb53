"""The project's code lists, read straight from the JSON files in ``data/codelists/``.

Pure Python on purpose: the engine, the importer and the Django app all validate codes against the
same files, so a code is either known everywhere or nowhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "codelists"

LANGUAGES = ("en", "sv", "nb", "de", "es", "ca")

# Scheme names, as the files are named. Each file: {"scheme", "version", "title", "terms": [...]}.
ORGANISATION_KINDS = "organisation-kinds"
OPPORTUNITY_TYPES = "opportunity-types"
DIRECTIONS = "directions"
TARGET_GROUPS = "target-groups"
PRACTICE_TOPICS = "practice-topics"
BARRIERS = "barriers"
LABOUR_MARKET_TYPES = "labour-market-types"

SCHEMES = (
    ORGANISATION_KINDS,
    OPPORTUNITY_TYPES,
    DIRECTIONS,
    TARGET_GROUPS,
    PRACTICE_TOPICS,
    BARRIERS,
    LABOUR_MARKET_TYPES,
)


@dataclass(frozen=True)
class Term:
    code: str
    labels: dict[str, str]
    definition: str
    definitions: dict[str, str] = field(default_factory=dict)

    def label(self, language: str = "en") -> str:
        """The label in ``language``, falling back to English so no screen ever shows a bare code."""
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True)
class Scheme:
    name: str
    version: str
    title: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.terms)

    def get(self, code: str) -> Term | None:
        for term in self.terms:
            if term.code == code:
                return term
        return None

    def label(self, code: str, language: str = "en") -> str:
        term = self.get(code)
        return term.label(language) if term else code


@cache
def load_scheme(name: str) -> Scheme:
    """Load one code list; unknown scheme names raise ``KeyError`` naming the scheme."""
    if name not in SCHEMES:
        raise KeyError(f"unknown code list {name!r}; known: {', '.join(SCHEMES)}")
    raw = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    terms = tuple(
        Term(
            code=t["code"],
            labels=dict(t["labels"]),
            definition=t["definition"]["en"] if isinstance(t["definition"], dict) else t["definition"],
            definitions=t["definition"] if isinstance(t["definition"], dict) else {},
        )
        for t in raw["terms"]
    )
    return Scheme(name=raw["scheme"], version=str(raw["version"]), title=raw["title"], terms=terms)


def codes(name: str) -> frozenset[str]:
    return load_scheme(name).codes

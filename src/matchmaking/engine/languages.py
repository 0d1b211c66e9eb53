"""Languages: ISO 639-1 codes, Norwegian variants, and CEFR levels.

``no`` (Norwegian) matches both written standards, ``nb`` (Bokmål) and ``nn`` (Nynorsk); ``nb`` and
``nn`` also match each other, because speakers read both.
"""

from __future__ import annotations

from collections.abc import Iterable

NORWEGIAN = frozenset({"no", "nb", "nn"})

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
NATIVE = "C2"


def language_family(code: str) -> str:
    """The code two languages are compared by: all Norwegian codes compare as ``no``."""
    code = code.strip().lower()
    return "no" if code in NORWEGIAN else code


def shared_languages(ours: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """Our languages (as we wrote them) that the other side also lists, Norwegian variants matching."""
    their_families = {language_family(c) for c in theirs}
    return tuple(c for c in ours if language_family(c) in their_families)


def cefr_rank(level: str) -> int:
    """0 for A1 … 5 for C2; "native" and "mother tongue" count as C2. Unknown levels raise ``ValueError``."""
    normal = level.strip().upper()
    if normal in {"NATIVE", "MOTHER TONGUE", "MOTHER-TONGUE"}:
        normal = NATIVE
    if normal not in CEFR_LEVELS:
        raise ValueError(f"{level!r} is not a CEFR level (A1, A2, B1, B2, C1, C2 or native)")
    return CEFR_LEVELS.index(normal)

"""ESCO skill labels in the five languages of the network besides English: ``data/skill-labels/<lang>.tsv``.

The ESCO files the project ships are English only, while case workers search in Swedish, Norwegian,
German, Spanish and Catalan ("svetsning", "Gabelstapler", "cuidar niños"). These labels were written
for the project, one or two per skill and language (the label as a job ad or a CV would say it, then
at most one everyday variant such as a noun form: "svetsa metall | svetsning"); they are not ESCO's
official translations and have not been reviewed by native speakers of every language (docs/esco.md).
Edit them like the interface's translations: a line per skill, ``<skill id>\\t<label>[ | <variant>]``,
the skill id being the last part of its ESCO URI. After an edit, rebuild the vectors
(``scripts/build-esco-vectors.py --reuse``); until then the edited language is searched by keyword only.

Pure standard library, like ``esco.py``: the keyword search, the vectors and the command line all read
the labels from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

LABELS_DIR = Path(__file__).resolve().parent / "data" / "skill-labels"
LANGUAGES = ("sv", "nb", "de", "es", "ca")
"""The languages with a labels file; English is ESCO's own."""
SKILL_URI_PREFIX = "http://data.europa.eu/esco/skill/"
MAX_VARIANTS = 3


class SkillLabelsError(ValueError):
    """A labels file that cannot be read; names the file and line."""


def parse_lines(lines: Iterable[str], *, source: str) -> dict[str, tuple[str, ...]]:
    """Skill URI → labels, from the lines of one file. Blank lines and lines starting with ``#`` are
    skipped; anything else that is not ``id<TAB>label[ | variant]`` raises ``SkillLabelsError``."""
    out: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\n")
        if not text.strip() or text.startswith("#"):
            continue
        parts = text.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise SkillLabelsError(f"{source}, line {number}: expected '<skill id>\\t<label>', got {text!r}")
        variants = tuple(dict.fromkeys(v.strip() for v in parts[1].split("|") if v.strip()))
        if not variants or len(variants) > MAX_VARIANTS:
            raise SkillLabelsError(
                f"{source}, line {number}: between 1 and {MAX_VARIANTS} labels separated by '|'"
            )
        uri = SKILL_URI_PREFIX + parts[0].strip()
        if uri in out:
            raise SkillLabelsError(f"{source}, line {number}: skill {parts[0].strip()} appears twice")
        out[uri] = variants
    return out


@cache
def load_skill_labels(directory: Path = LABELS_DIR) -> dict[str, dict[str, tuple[str, ...]]]:
    """Language → skill URI → labels, for every language whose file exists (read once)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGUAGES:
        path = directory / f"{lang}.tsv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                out[lang] = parse_lines(handle, source=path.name)
    return out


def labels_by_skill(labels: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """Skill URI → its labels in every language, in the order of ``LANGUAGES``."""
    out: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for uri, variants in labels.get(lang, {}).items():
            out.setdefault(uri, []).extend(variants)
    return {uri: tuple(dict.fromkeys(v)) for uri, v in out.items()}


def label_texts(
    labels: dict[str, dict[str, tuple[str, ...]]], skill_uris: list[str]
) -> tuple[list[str], list[int], list[str]]:
    """(texts, skill index of each text, language of each text): every label of every skill in
    ``skill_uris`` order, languages in the order of ``LANGUAGES``. Texts of one skill are contiguous,
    which the vectors rely on (``np.maximum.reduceat``)."""
    index = {uri: i for i, uri in enumerate(skill_uris)}
    rows: list[tuple[int, int, str, str]] = []
    for position, lang in enumerate(LANGUAGES):
        for uri, variants in labels.get(lang, {}).items():
            i = index.get(uri)
            if i is None:
                continue
            rows.extend((i, position, lang, text) for text in variants)
    rows.sort(key=lambda row: (row[0], row[1]))
    return [r[3] for r in rows], [r[0] for r in rows], [r[2] for r in rows]

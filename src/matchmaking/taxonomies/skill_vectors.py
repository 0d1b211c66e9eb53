"""Precomputed text-model vectors of the ESCO skills and occupations: ``data/esco-vectors.npz``.

``scripts/build-esco-vectors.py`` embeds the texts below with the project's text model and writes the
file; it is committed, so nothing is embedded at run time but the query. The file records the model's
name and dimension and a SHA-256 checksum of the embedded texts; ``load_vectors()`` refuses a file whose
model or texts no longer match (and the caller falls back to keyword search), so a changed ESCO file or
a changed model cannot silently give wrong neighbours.

Which texts (the same for every skill, no hand-picked exceptions):

- per skill, two vectors: its preferred label, and its preferred label with the description; a
  query's score for a skill is ``(label cosine + DESCRIPTION_WEIGHT × description cosine) / (1 +
  DESCRIPTION_WEIGHT)`` (the label alone, the labels with the alternative labels, and the best of
  label and description all measured worse: docs/decisions/text-model.md);
- per skill and language of ``skill_labels`` (sv, nb, de, es, ca), one vector for each of its labels
  there; a skill's label cosine is the best of its English label's and these (a Swedish query meets a
  Swedish label, which the model matches far better than an English one);
- per occupation, one vector: the preferred label, alternative labels and description.

The translated labels have their own checksum: when a labels file was edited and the vectors not rebuilt,
only those vectors are left out (one warning), and the English ones are used as before.

Vectors are stored as int8 (each row scaled to its largest component) and made unit length again on
loading; the ranking error of that rounding is far below the model's own (see docs/esco.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from matchmaking.engine.text_model import normalise
from matchmaking.taxonomies.esco import EscoTaxonomy, Occupation, Skill
from matchmaking.taxonomies.skill_labels import label_texts, load_skill_labels

VECTORS_FILE = Path(__file__).resolve().parent / "data" / "esco-vectors.npz"
FORMAT = 3
DESCRIPTION_WEIGHT = 0.5
DESCRIPTION_CHARS = 240
OCCUPATION_CHARS = 300


class VectorsMismatchError(Exception):
    """The vectors file does not fit the model or the ESCO data in use."""


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def skill_texts(skill: Skill) -> list[str]:
    """The two texts embedded for one skill: its preferred label, and the label with its description
    (the label again when there is no description)."""
    if not skill.description:
        return [skill.label, skill.label]
    return [skill.label, _clip(f"{skill.label}: {skill.description}", DESCRIPTION_CHARS)]


def occupation_text(occupation: Occupation) -> str:
    labels = ", ".join(dict.fromkeys((occupation.label, *occupation.alt_labels)))
    return _clip(f"{labels}. {occupation.description}", OCCUPATION_CHARS)


def all_texts(esco: EscoTaxonomy) -> tuple[list[str], list[int], list[str], list[str]]:
    """(skill texts, skill index of each text, skill URIs, occupation texts) in file order."""
    texts: list[str] = []
    rows: list[int] = []
    skill_uris = sorted(esco.skills)
    for index, uri in enumerate(skill_uris):
        for text in skill_texts(esco.skills[uri]):
            texts.append(text)
            rows.append(index)
    occupation_texts = [occupation_text(esco.occupations[uri]) for uri in sorted(esco.occupations)]
    return texts, rows, skill_uris, occupation_texts


def translated_texts(esco: EscoTaxonomy) -> tuple[list[str], list[int], list[str]]:
    """(texts, skill index of each, language of each) of the translated labels, grouped by skill in
    the order of ``all_texts``'s skill URIs."""
    return label_texts(load_skill_labels(), sorted(esco.skills))


logger = logging.getLogger(__name__)


def checksum(texts: Sequence[str], uris: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in (*uris, "", *texts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def quantise(vectors: np.ndarray) -> np.ndarray:
    """Rows as int8, each scaled so its largest component is ±127."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1, keepdims=True)
    peak[peak == 0] = 1.0
    return np.rint(vectors / peak * 127).astype(np.int8)


@dataclass(frozen=True)
class EscoVectors:
    model: str
    dim: int
    skill_uris: list[str]
    skill_rows: np.ndarray  # int32: for each skill vector, the index of its skill in skill_uris
    skill_vectors: np.ndarray  # float32, unit rows
    occupation_uris: list[str]
    occupation_vectors: np.ndarray  # float32, unit rows
    meta: dict
    label_vectors: np.ndarray | None = None  # float32, unit rows: the translated labels, by skill
    label_rows: np.ndarray | None = None  # int: the skill index of each translated label
    label_langs: np.ndarray | None = None  # str: the language of each translated label

    @cached_property
    def _label_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(first row of each skill's translated labels, that skill's index): worked out once, not per
        query."""
        rows = self.label_rows
        assert rows is not None
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        return starts, rows[starts]

    @cached_property
    def _other_languages(self) -> dict[str, np.ndarray]:
        """For each language with labels, the rows of the translated labels in any other language."""
        langs = self.label_langs
        if langs is None:
            return {}
        return {str(lang): langs != lang for lang in np.unique(langs)}

    def skill_scores(self, query: np.ndarray, *, lang: str | None = None) -> np.ndarray:
        """Score of each skill for each query row, (queries, skills): the best label cosine (English or
        translated) and the description's, weighted (see the module's description). With ``lang``
        (the query's language, when known) of one of the translated languages, only that language's
        labels count beside the English; any other ``lang`` (English among them: pages pass the
        interface language, and people type in other languages too) leaves all of them in."""
        query = np.atleast_2d(np.asarray(query, dtype=np.float32))
        label = query @ self.skill_vectors[0::2].T
        if self.label_vectors is not None and self.label_rows is not None and len(self.label_rows):
            starts, skills = self._label_groups
            translated = query @ self.label_vectors.T
            others = self._other_languages.get(lang) if lang is not None else None
            if others is not None:
                translated[:, others] = -1.0
            best = np.maximum.reduceat(translated, starts, axis=1)
            label[:, skills] = np.maximum(label[:, skills], best)
        description = query @ self.skill_vectors[1::2].T
        out: np.ndarray = (label + DESCRIPTION_WEIGHT * description) / (1 + DESCRIPTION_WEIGHT)
        return out


def save_vectors(
    path: Path,
    *,
    model: str,
    dim: int,
    esco: EscoTaxonomy,
    skill_vectors: np.ndarray,
    occupation_vectors: np.ndarray,
    label_vectors: np.ndarray | None = None,
) -> dict:
    texts, rows, skill_uris, occupation_texts = all_texts(esco)
    labels, label_rows, label_langs = translated_texts(esco)
    if label_vectors is None:
        label_vectors = np.zeros((0, dim), dtype=np.float32)
        labels, label_rows, label_langs = [], [], []
    occupation_uris = sorted(esco.occupations)
    meta = {
        "format": FORMAT,
        "model": model,
        "dim": dim,
        "esco_version": esco.esco_version,
        "skills": len(skill_uris),
        "skill_vectors": len(texts),
        "occupations": len(occupation_uris),
        "skill_texts_sha256": checksum(texts, skill_uris),
        "occupation_texts_sha256": checksum(occupation_texts, occupation_uris),
        "label_vectors": len(labels),
        "label_languages": sorted(set(label_langs)),
        "label_texts_sha256": checksum(labels, [skill_uris[i] for i in label_rows]),
        "storage": "int8, each row scaled to its largest component; normalise after loading",
    }
    arrays = {
        "meta": np.array(json.dumps(meta, sort_keys=True)),
        "skill_uris": np.array(skill_uris),
        "skill_rows": np.array(rows, dtype=np.int32),
        "skill_vectors": quantise(skill_vectors),
        "occupation_uris": np.array(occupation_uris),
        "occupation_vectors": quantise(occupation_vectors),
        "label_rows": np.array(label_rows, dtype=np.int32),
        "label_texts": np.array(labels, dtype=str),
        "label_langs": np.array(label_langs, dtype=str),
        "label_vectors": quantise(label_vectors) if len(labels) else np.zeros((0, dim), dtype=np.int8),
    }
    # A zip written entry by entry with a fixed date, so the same vectors give the same bytes.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)
    return meta


def read_reusable(path: Path, esco: EscoTaxonomy) -> tuple[np.ndarray | None, np.ndarray | None, dict]:
    """What a rebuild can take from an earlier file: (skill vectors, occupation vectors) when that file
    embedded the same ESCO texts (else None), and its translated labels' vectors by text. Any format."""
    with np.load(path, allow_pickle=False) as data:
        meta = dict(json.loads(str(data["meta"])))
        texts, _, uris, occupation_texts = all_texts(esco)
        same = checksum(texts, uris) == meta.get("skill_texts_sha256") and checksum(
            occupation_texts, sorted(esco.occupations)
        ) == meta.get("occupation_texts_sha256")
        skills = normalise(data["skill_vectors"].astype(np.float32)) if same else None
        occupations = normalise(data["occupation_vectors"].astype(np.float32)) if same else None
        by_text: dict = {}
        if "label_texts" in data.files and len(data["label_texts"]):
            vectors = normalise(data["label_vectors"].astype(np.float32))
            by_text = {str(t): vectors[i] for i, t in enumerate(data["label_texts"])}
        return skills, occupations, by_text


def read_meta(path: Path = VECTORS_FILE) -> dict:
    with np.load(path, allow_pickle=False) as data:
        return dict(json.loads(str(data["meta"])))


def load_vectors(
    path: Path = VECTORS_FILE,
    *,
    model: str | None = None,
    dim: int | None = None,
    esco: EscoTaxonomy | None = None,
) -> EscoVectors:
    """The vectors in ``path``. Raises ``VectorsMismatchError`` when the file was built with another model
    or dimension than given, or (when ``esco`` is given) from other skill or occupation texts."""
    with np.load(path, allow_pickle=False) as data:
        meta = dict(json.loads(str(data["meta"])))
        if meta.get("format") != FORMAT:
            raise VectorsMismatchError(f"{path.name}: format {meta.get('format')}, expected {FORMAT}")
        if model is not None and meta["model"] != model:
            raise VectorsMismatchError(
                f"{path.name}: built with {meta['model']}, the model in use is {model}"
            )
        if dim is not None and meta["dim"] != dim:
            raise VectorsMismatchError(f"{path.name}: {meta['dim']} dimensions, the model gives {dim}")
        skill_uris = [str(u) for u in data["skill_uris"]]
        if data["skill_vectors"].shape[0] != 2 * len(skill_uris):
            raise VectorsMismatchError(f"{path.name}: not two vectors per skill")
        occupation_uris = [str(u) for u in data["occupation_uris"]]
        if esco is not None:
            texts, _, uris, occupation_texts = all_texts(esco)
            if checksum(texts, uris) != meta["skill_texts_sha256"]:
                raise VectorsMismatchError(
                    f"{path.name}: built from other skill texts than the ESCO data in use"
                )
            if checksum(occupation_texts, sorted(esco.occupations)) != meta["occupation_texts_sha256"]:
                raise VectorsMismatchError(
                    f"{path.name}: built from other occupation texts than the ESCO data in use"
                )
        label_vectors, label_rows, label_langs = _translated(data, meta, esco, skill_uris, path)
        return EscoVectors(
            model=meta["model"],
            dim=int(meta["dim"]),
            skill_uris=skill_uris,
            skill_rows=data["skill_rows"].astype(np.intp),
            skill_vectors=normalise(data["skill_vectors"].astype(np.float32)),
            occupation_uris=occupation_uris,
            occupation_vectors=normalise(data["occupation_vectors"].astype(np.float32)),
            meta=meta,
            label_vectors=label_vectors,
            label_rows=label_rows,
            label_langs=label_langs,
        )


def _translated(
    data: np.lib.npyio.NpzFile, meta: dict, esco: EscoTaxonomy | None, skill_uris: list[str], path: Path
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """The translated labels' vectors, rows and languages, or (None, None, None) when the file has none
    or they were built from other labels than the files in use (with one warning: the English vectors
    still serve)."""
    if not meta.get("label_vectors"):
        return None, None, None
    rows = data["label_rows"].astype(np.intp)
    if esco is not None:
        labels, current_rows, _ = translated_texts(esco)
        if checksum(labels, [skill_uris[i] for i in current_rows]) != meta["label_texts_sha256"]:
            logger.warning(
                "%s: built from other translated skill labels than the files in use; "
                "translated labels are searched by keyword only until the vectors are rebuilt.",
                path.name,
            )
            return None, None, None
    langs = data["label_langs"] if "label_langs" in data.files else None
    return normalise(data["label_vectors"].astype(np.float32)), rows, langs

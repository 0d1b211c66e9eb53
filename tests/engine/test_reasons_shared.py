"""Reasons of one kind with the same parameters are made once and shared; folding text for place names
takes a short cut for ASCII that gives what the full folding gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from matchmaking.engine import reasons
from matchmaking.engine.places import fold
from matchmaking.engine.reasons import ReasonTemplate


def test_same_parameters_share_one_reason_and_types_stay_apart():
    kind = ReasonTemplate("example-days", "{days} days")
    assert kind.of(days=3) is kind.of(days=3)
    assert kind.of(days=3).text == "3 days"
    assert kind.of(days=3.0).text == "3.0 days"  # 3 == 3.0, but it is not the same sentence
    assert kind.of(days=True).text == "True days"


def test_labels_are_part_of_what_is_shared():
    kind = ReasonTemplate("example-topics", "About {topics}")

    def swedish(code: str) -> str:
        return {"outreach": "uppsökande arbete"}.get(code, code)

    assert kind.of(topics=("outreach",)).text == "About outreach"
    assert kind.of(swedish, topics=("outreach",)).text == "About uppsökande arbete"
    labels = {"outreach": "Outreach work"}
    assert kind.of(labels.get, topics=("outreach",)).text == "About Outreach work"


def test_parameters_that_cannot_be_a_key_are_not_kept():
    kind = ReasonTemplate("example-list", "{items}")
    assert kind.of(items=["a"]).text == "['a']"  # type: ignore[arg-type]
    assert not kind._made


def test_the_shared_reasons_are_bounded(monkeypatch):
    monkeypatch.setattr(reasons, "MADE_PER_TEMPLATE", 5)
    kind = ReasonTemplate("example-bounded", "{n}")
    for n in range(12):
        assert kind.of(n=n).text == str(n)
    assert len(kind._made) <= 5


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text())
def test_fold_equals_the_full_folding(text: str):
    assert fold(text) == _slow_fold(text)

"""Reasons of one kind with the same parameters are made once and shared, so are breakdown lines and
the two sides of a listing (read again when a patched network holds new records); folding text for
place names takes a short cut for ASCII that gives what the full folding gives."""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from matchmaking.engine import reasons
from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partners import score_pair
from matchmaking.engine.places import fold
from matchmaking.engine.reasons import ReasonTemplate
from matchmaking.engine.scoring import breakdown


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


def test_breakdown_lines_are_shared_and_keep_their_types():
    first = breakdown({"topics": 0.5, "novelty": 1}, {"topics": 35.0, "novelty": 5.0})
    again = breakdown({"topics": 0.5, "novelty": 1}, {"topics": 35.0, "novelty": 5.0})
    assert first == again
    assert first[0] is again[0]
    assert [p.points for p in first] == [43.75, 12.5]
    as_float = breakdown({"topics": 0.5, "novelty": 1.0}, {"topics": 35.0, "novelty": 5.0})
    assert type(first[1].fit) is int  # 1 and 1.0 stay apart
    assert type(as_float[1].fit) is float


def test_a_patched_network_reads_the_changed_organisation_again():
    want = Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",))
    give = Opportunity("give", "b", "job-shadowing", "offer", topics=("mentoring",), languages=("en",))
    network = Network([Organisation("a"), Organisation("b")], [want, give])
    before = score_pair(network, want, give)
    assert not any(r.code == "topics" for r in before.reasons)
    patched = copy.copy(network)  # as partner_patch does: the same statistics, new records
    host = replace(network.organisations["b"], expertise=("outreach",))
    patched.organisations = {**network.organisations, "b": host}
    after = score_pair(patched, want, give)
    assert any(r.code == "topics" for r in after.reasons)
    assert after.score > before.score
    assert score_pair(network, want, give) == before  # the old network still reads its own records
    network.organisations["b"] = host  # a record replaced in the same network is read again too
    assert score_pair(network, want, give) == after

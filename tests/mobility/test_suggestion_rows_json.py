"""The JSON of a stored suggestion's breakdown and reasons, encoded piece by piece and shared, is the
text orjson gives for the whole list, even when an encoded object is gone and its id is reused."""

from __future__ import annotations

import orjson
import pytest
from django.utils import translation

from matchmaking.engine.partners import suggest_partners
from matchmaking.engine.reasons import Reason
from matchmaking.engine.scoring import ScorePart
from matchmaking.mobility import matching, suggestion_refresh
from matchmaking.mobility.matching import reason_text
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.mobility.suggestion_rows import _Encoded, _part_dict
from tests.factories_mobility import pair


def test_pieces_joined_are_the_whole_list_encoded():
    encoded = _Encoded()
    reasons = [
        Reason.of("topics", "They can show: {topics}", topics=("outreach", "mentoring")),
        Reason.of("languages", "Shared language: {languages}", languages="sv"),
    ]
    parts = [ScorePart("topics", 0.5, 35.0, 18.42), ScorePart("novelty", 1.0, 5.0, 5.26)]
    assert encoded.array(reasons, Reason.as_dict) == orjson.dumps([r.as_dict() for r in reasons])
    assert encoded.array(parts, _part_dict) == orjson.dumps([_part_dict(p) for p in parts])
    assert encoded.array([], Reason.as_dict) == b"[]"
    assert encoded.one(reasons[0], Reason.as_dict) is encoded.one(reasons[0], Reason.as_dict)


def test_an_object_gone_is_never_mistaken_for_a_new_one_with_its_id():
    encoded = _Encoded()
    texts = set()
    for n in range(200):  # new objects, many of which reuse the id of one collected before
        reason = Reason.of("example", "{n}", n=n)
        texts.add(encoded.one(reason, Reason.as_dict))
        del reason  # freed at once: the next one may get its id
    assert len(texts) == 200


def test_what_is_kept_is_bounded(monkeypatch):
    encoded = _Encoded()
    monkeypatch.setattr(_Encoded, "LIMIT", 10)
    kept = [Reason.of("example", "{n}", n=n) for n in range(25)]
    for reason in kept:
        assert encoded.one(reason, Reason.as_dict) == orjson.dumps(reason.as_dict())
    assert len(encoded._kept) <= 10


@pytest.mark.django_db
def test_stored_reasons_keep_no_english_text_and_read_as_the_engine_wrote_them():
    pair()
    suggestion_refresh.refresh()
    stored = list(Suggestion.objects.all())
    assert stored
    with translation.override("en"):
        for suggestion in stored:
            assert all("text" not in reason for reason in suggestion.reasons)
            assert all(reason_text(reason) for reason in suggestion.reasons)
    network = matching.build_network(list(Opportunity.objects.all()))
    (offer,) = [s for s in stored if s.their_opportunity_id is not None][:1]
    found = suggest_partners(network, offer.opportunity.key, weights=matching.WEIGHTS)
    with translation.override("en"):
        assert [reason_text(r) for r in offer.reasons] == [reason_text(r.as_dict()) for r in found[0].reasons]

"""Description vectors are embedded once per text and model (a cache in the database); the
suggestions page shows near misses with the one rule each breaks when nothing fits, and says "try
fewer filters" only when a filter is set."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from django.urls import reverse

from matchmaking.engine.partners import suggest_partners
from matchmaking.engine.text_model import normalise, reset_text_model, set_text_model
from matchmaking.mobility import matching
from matchmaking.mobility.models import DescriptionVector
from tests.factories import OrganisationFactory, member, term
from tests.factories_mobility import langs, opportunity, pair

pytestmark = pytest.mark.database


class FakeModel:
    """Eight dimensions from letter counts: the same text, the same vector; counts its calls."""

    name = "fake-letters"
    dim = 8

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += list(texts)
        rows = [[1.0 + t.lower().count(c) for c in "aeiourst"] for t in texts]
        return normalise(np.array(rows, dtype=np.float32).reshape(len(texts), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


@pytest.fixture
def fake_model(settings) -> Iterator[FakeModel]:
    settings.PARTNER_DESCRIPTION_VECTORS = True
    model = FakeModel()
    set_text_model(model)
    yield model
    reset_text_model()


def test_each_text_is_embedded_once_per_model(db, fake_model):
    texts = [("opp:a", "Job shadowing of outreach"), ("opp:b", "Job shadowing of outreach"), ("org:c", "")]
    first = matching.description_vectors(texts)
    assert set(first) == {"opp:a", "opp:b"}  # no vector for an empty description
    assert fake_model.embedded == ["Job shadowing of outreach"]  # the same text once
    assert DescriptionVector.objects.count() == 1
    again = matching.description_vectors([*texts, ("opp:d", "A changed description")])
    assert fake_model.embedded == ["Job shadowing of outreach", "A changed description"]
    assert np.allclose(again["opp:a"], first["opp:a"], atol=1e-3)
    assert abs(float(np.linalg.norm(again["opp:d"])) - 1.0) < 1e-3


def test_no_model_no_vectors(db, settings):
    settings.PARTNER_DESCRIPTION_VECTORS = True
    set_text_model(None)
    try:
        assert matching.description_vectors([("opp:a", "text")]) == {}
    finally:
        reset_text_model()
    settings.PARTNER_DESCRIPTION_VECTORS = False
    assert matching.description_vectors([("opp:a", "text")]) == {}


def test_the_network_compares_descriptions_in_meaning_with_vectors(db, fake_model):
    _host, _visitor, offer, request, _host_user, _visitor_user = pair()
    network = matching.build_network()
    assert network.semantic(f"opp:{offer.key}", f"opp:{request.key}") is not None
    (found,) = [s for s in suggest_partners(network, request.key) if s.opportunity == offer.key]
    assert "semantic" in [p.name for p in found.parts]


def test_nothing_fits_near_misses_with_the_rule_they_break(client, lonely):
    client.force_login(lonely["user"])
    body = client.get(reverse("mobility:suggestions", args=[lonely["request"].key])).content.decode()
    assert "Try fewer filters" not in body  # no filter is set
    assert "No partner meets the rules yet" in body
    assert "Near misses" in body
    assert "Host Org" in body
    assert "No shared language" in body


def test_with_a_filter_set_the_empty_list_blames_the_filters(client, lonely):
    client.force_login(lonely["user"])
    url = reverse("mobility:suggestions", args=[lonely["request"].key])
    body = client.get(url, {"country": "ES"}).content.decode()
    assert "Try fewer filters" in body
    assert "Near misses" not in body


def test_near_misses_are_not_shown_to_another_organisation(client, lonely):
    outsider = member(email="outsider@example.org")
    client.force_login(outsider)
    response = client.get(reverse("mobility:suggestions", args=[lonely["request"].key]))
    assert response.status_code == 404


def test_why_not_names_the_points_a_soft_rule_costs(db):
    _host, _visitor, _offer, request, _host_user, _visitor_user = pair()
    other = OrganisationFactory(name="Study Visit Host", country="DE")
    other.languages.set(langs("en"))
    opportunity(other, direction="offer", type=term("opportunity-types", "study-visit"), group_size=6)
    answer = matching.why_not(request, other)
    ((_, texts),) = answer.per_opportunity
    assert any("No rule excludes it" in t for t in texts)
    assert any("neighbouring kind of opportunity" in t for t in texts)

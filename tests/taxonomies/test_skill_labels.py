"""Skill labels in the network's other languages: the files parse, name the line at fault, feed the
keyword search, and a skill's label score is the best of its English and translated labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaking.taxonomies import skill_labels as sl
from matchmaking.taxonomies.esco import DATA_FILE, load_esco
from matchmaking.taxonomies.skill_vectors import EscoVectors


def test_lines_parse_into_labels_by_skill() -> None:
    parsed = sl.parse_lines(
        ["# a comment", "", "abc\tsvetsa metall | svetsning", "def\tköra truck"], source="sv.tsv"
    )
    assert parsed == {
        sl.SKILL_URI_PREFIX + "abc": ("svetsa metall", "svetsning"),
        sl.SKILL_URI_PREFIX + "def": ("köra truck",),
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("abc svetsa", "line 1: expected"),
        ("abc\t | ", "line 1: between 1 and 3"),
        ("abc\ta | b | c | d", "line 1: between 1 and 3"),
        ("\tsvetsa", "line 1: expected"),
    ],
)
def test_a_bad_line_is_named(line: str, message: str) -> None:
    with pytest.raises(sl.SkillLabelsError, match=message):
        sl.parse_lines([line], source="sv.tsv")


def test_a_skill_twice_is_refused() -> None:
    with pytest.raises(sl.SkillLabelsError, match="line 2: skill abc appears twice"):
        sl.parse_lines(["abc\tx", "abc\ty"], source="sv.tsv")


def test_the_shipped_files_parse_and_name_known_skills() -> None:
    labels = sl.load_skill_labels()
    esco = load_esco()
    assert set(labels) <= set(sl.LANGUAGES)
    for by_skill in labels.values():
        assert set(by_skill) <= set(esco.skills)


def test_label_texts_are_grouped_by_skill_in_uri_order() -> None:
    labels = {"sv": {"u2": ("b",), "u1": ("a", "a2")}, "de": {"u1": ("x",)}}
    texts, rows, langs = sl.label_texts(labels, ["u1", "u2", "u3"])
    assert texts == ["a", "a2", "x", "b"]
    assert rows == [0, 0, 0, 1]
    assert langs == ["sv", "sv", "de", "sv"]


def test_translated_labels_are_searched_like_alternative_labels() -> None:
    english = load_esco(DATA_FILE)
    data_uri = next(iter(english.skills))
    translated = {data_uri: ("fönsterputsning",)}
    esco = type(english).__new__(type(english))
    esco.__dict__.update({k: v for k, v in english.__dict__.items() if not k.startswith("_")})
    esco.translated = translated
    hits = esco.search_skills("fönsterputsning", 3)
    assert hits[0].uri == data_uri
    assert hits[0].field == "alt_label"
    assert english.search_skills("fönsterputsning", 3) == []


def test_a_skill_scores_its_best_label_in_any_language() -> None:
    dim = 3
    english = np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0], [0, 1.0, 0]], dtype=np.float32)
    vectors = EscoVectors(
        model="fake",
        dim=dim,
        skill_uris=["s0", "s1"],
        skill_rows=np.array([0, 0, 1, 1]),
        skill_vectors=english,
        occupation_uris=[],
        occupation_vectors=np.zeros((0, dim), dtype=np.float32),
        meta={},
    )
    query = np.array([[0, 0, 1.0]], dtype=np.float32)
    assert vectors.skill_scores(query).tolist() == [[0.0, 0.0]]
    translated = dataclasses.replace(
        vectors,
        label_vectors=np.array([[0, 0, 1.0], [0.6, 0, 0.8], [0, 0, -1.0]], dtype=np.float32),
        label_rows=np.array([0, 0, 1]),
    )
    # s0: label cosine max(0, 1.0, 0.8) = 1.0, description 0 → 1 / 1.5; s1: max(0, -1) = 0.
    assert np.allclose(translated.skill_scores(query), [[1 / 1.5, 0.0]])


def test_the_query_language_picks_the_translated_labels_that_count() -> None:
    dim = 3
    vectors = EscoVectors(
        model="fake",
        dim=dim,
        skill_uris=["s0", "s1"],
        skill_rows=np.array([0, 0, 1, 1]),
        skill_vectors=np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0], [0, 1.0, 0]], dtype=np.float32),
        occupation_uris=[],
        occupation_vectors=np.zeros((0, dim), dtype=np.float32),
        meta={},
        label_vectors=np.array([[0, 0, 1.0], [0, 0, 1.0]], dtype=np.float32),
        label_rows=np.array([0, 1]),
        label_langs=np.array(["sv", "de"]),
    )
    query = np.array([[0, 0, 1.0]], dtype=np.float32)
    assert np.allclose(vectors.skill_scores(query), [[1 / 1.5, 1 / 1.5]])
    assert np.allclose(vectors.skill_scores(query, lang="sv"), [[1 / 1.5, 0.0]])
    assert np.allclose(vectors.skill_scores(query, lang="de"), [[0.0, 1 / 1.5]])
    # A language without labels (English among them) leaves them all in.
    assert np.allclose(vectors.skill_scores(query, lang="en"), [[1 / 1.5, 1 / 1.5]])
    assert np.allclose(vectors.skill_scores(query, lang="fr"), [[1 / 1.5, 1 / 1.5]])


def test_a_skill_is_labelled_in_the_readers_language_and_an_occupation_in_english() -> None:
    esco = load_esco()
    skill = "http://data.europa.eu/esco/skill/261e740b-d32d-4356-94a8-3ea29128b70b"
    occupation = next(iter(esco.occupations))
    assert esco.skill_label(skill, "sv") == "ta hand om äldre"
    assert esco.skill_label(skill, "nb") == "ta seg av eldre"  # the first label, not the variant
    assert esco.skill_label(skill, "en") == esco.skills[skill].label
    assert esco.skill_label(skill, None) == esco.skills[skill].label
    assert esco.skill_label(skill, "fi") == esco.skills[skill].label
    assert esco.skill_label(occupation, "sv") is None
    assert esco.labels([skill, occupation, "urn:unknown"], "de") == {
        skill: "ältere Menschen betreuen",
        occupation: esco.occupations[occupation].label,
    }
    assert load_esco(DATA_FILE).skill_label(skill, "sv") == esco.skills[skill].label  # no labels read

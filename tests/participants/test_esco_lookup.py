"""The ESCO adapter over the taxonomy module: exact types, every skill searchable, demo data from ESCO."""

from __future__ import annotations

from matchmaking.participants import esco_lookup
from matchmaking.participants.demo_esco import DEMO_OCCUPATIONS, demo_occupations, transversal_skills
from matchmaking.participants.esco_lookup import EscoItem
from matchmaking.taxonomies.esco import SKILL_URI_PREFIX, load_esco

KITCHEN_ASSISTANT = "http://data.europa.eu/esco/occupation/e1cf6897-158d-4b48-a39e-2a3a8cac216c"
SATISFY_CUSTOMERS = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"


def test_search_returns_esco_items_with_real_uris():
    found = esco_lookup.search_skills("satisfy customers", limit=5)
    assert found
    assert all(type(item) is EscoItem and item.kind == "skill" for item in found)
    assert found[0] == EscoItem(SATISFY_CUSTOMERS, "satisfy customers", "skill")
    assert all(item.uri in load_esco().skills for item in found)
    occupations = esco_lookup.search_occupations("kitchen assistant", limit=3)
    assert occupations[0] == EscoItem(KITCHEN_ASSISTANT, "kitchen assistant", "occupation")
    assert esco_lookup.search_skills("   ") == []
    assert len(esco_lookup.search_skills("care", limit=7)) == 7


def test_partial_words_find_skills_as_you_type():
    labels = [item.label for item in esco_lookup.search_skills("weld", limit=10)]
    assert any("weld" in label for label in labels)


def test_every_skill_is_searchable_not_only_the_clean_labels():
    esco = load_esco()
    assert len(esco.skills) > 13_000
    derived = next(s for s in esco.skills.values() if s.label_source == "derived" and len(s.label) > 12)
    found = esco_lookup.search_skills(derived.label, limit=20)
    assert derived.uri in {item.uri for item in found}


def test_suggestions_from_a_story():
    found = esco_lookup.suggest_skills("I looked after my grandmother and cooked for the family every day")
    assert found
    assert all(item.uri.startswith(SKILL_URI_PREFIX) for item in found)


def test_labels_and_occupation_skills():
    assert esco_lookup.skill_label(SATISFY_CUSTOMERS) == "satisfy customers"
    assert esco_lookup.skill_label(SKILL_URI_PREFIX + "unknown") == "unknown"
    assert esco_lookup.occupation_label(KITCHEN_ASSISTANT) == "kitchen assistant"
    assert esco_lookup.esco_version() == load_esco().esco_version
    # ESCO's own relations where the data has them ...
    related = next(o for o in load_esco().occupations.values() if o.skill_uris)
    assert [i.uri for i in esco_lookup.occupation_skills(related.uri, limit=50)] == [
        s.uri for s in load_esco().skills_of_occupation(related.uri)
    ][:50]
    # ... otherwise skills matching the occupation's words.
    assert esco_lookup.occupation_skills(KITCHEN_ASSISTANT)


def test_demo_occupations_and_skills_are_real_esco_entries():
    esco = load_esco()
    rows = demo_occupations()
    assert len(rows) == len(DEMO_OCCUPATIONS)
    for row in rows:
        assert row["uri"] in esco.occupations
        assert row["skills"]
        for skill in row["skills"]:
            assert esco.skills[skill["uri"]].label == skill["label"]
    assert SATISFY_CUSTOMERS in {s["uri"] for s in transversal_skills()}


def test_every_keystroke_of_the_benchmark_words_is_answered():
    """Each prefix typed (benchmarks/esco_search.py times them) gives real ESCO skills; whole words find
    themselves."""
    esco_lookup.warm()
    esco = load_esco()
    for word in ("customer service", "welding", "care for elderly people", "forklift", "communicate"):
        for end in range(1, len(word) + 1):
            found = esco_lookup.search_skills(word[:end])
            assert all(item.kind == "skill" and item.uri in esco.skills for item in found), word[:end]
        labels = [item.label for item in esco_lookup.search_skills(word)]
        assert labels, word
        first = word.split()[0][:4].lower()
        assert any(first in label.lower() for label in labels), (word, labels)

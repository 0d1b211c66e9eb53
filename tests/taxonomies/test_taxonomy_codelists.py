"""The code-list JSON files and their loader (pure Python, no database)."""

from __future__ import annotations

import json
import re

import pytest

from matchmaking.taxonomies import codelists
from matchmaking.taxonomies.codelists import (
    DATA_DIR,
    LANGUAGES,
    SCHEMES,
    Scheme,
    Term,
    codes,
    load_scheme,
)

# The codes of the product brief's "Code lists v1", in its order. The interchange format must accept
# every one of them; the project may add more after them.
REQUIRED_CODES: dict[str, list[str]] = {
    codelists.ORGANISATION_KINDS: [
        "public-employment-service", "municipality", "regional-authority", "national-authority",
        "vet-provider", "adult-education", "school", "higher-education", "ngo",
        "social-enterprise", "employer", "business-association", "trade-union", "network",
    ],
    codelists.OPPORTUNITY_TYPES: [
        "job-shadowing", "study-visit", "teaching-assignment", "learner-placement",
        "project-partnership",
    ],
    codelists.DIRECTIONS: ["offer", "request"],
    codelists.TARGET_GROUPS: [
        "neet-youth", "early-school-leavers", "newly-arrived-migrants", "refugees",
        "ethnic-minorities", "roma", "long-term-unemployed", "people-with-disabilities",
        "mental-health", "post-addiction", "post-incarceration", "low-skilled-adults",
        "older-workers", "women-returners", "vet-learners", "apprentices", "adult-learners",
        "employed-upskilling",
    ],
    codelists.PRACTICE_TOPICS: [
        "early-outreach", "neet-re-engagement", "skills-mapping", "validation-of-prior-learning",
        "multi-competent-teams", "interagency-cooperation", "motivational-interviewing",
        "act-guidance", "progress-tracking", "case-management", "integration-pathways",
        "work-placements", "employer-engagement", "social-economy-employment",
        "fast-track-integration", "work-related-language-training", "on-the-job-upskilling",
        "trauma-informed-counselling", "mental-health-support", "offender-reintegration",
        "addiction-recovery", "intercultural-mediation", "anti-discrimination-training",
        "diversity-recruitment", "one-stop-shops", "mentoring", "supported-employment",
        "signposting-social-services", "labour-market-analysis", "vocational-curriculum-design",
        "competence-based-assessment", "programme-monitoring", "gender-balance",
        "multi-level-governance", "vet-mobility", "digital-self-service", "roma-inclusion",
        "territorial-partnerships",
    ],
    codelists.BARRIERS: [
        "disability", "health", "education-and-training", "cultural", "social", "economic",
        "discrimination", "geographical",
    ],
    codelists.LABOUR_MARKET_TYPES: ["regular", "social-economy", "training"],
}  # fmt: skip

# Schemes whose code list is closed: exactly the product brief's codes, nothing added.
CLOSED_SCHEMES = (
    codelists.DIRECTIONS,
    codelists.BARRIERS,
    codelists.LABOUR_MARKET_TYPES,
)

KEBAB_CASE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _raw(name: str) -> dict:
    def no_duplicate_keys(pairs):
        keys = [key for key, _ in pairs]
        duplicates = {key for key in keys if keys.count(key) > 1}
        assert not duplicates, f"{name}.json: duplicate keys {sorted(duplicates)}"
        return dict(pairs)

    text = (DATA_DIR / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=no_duplicate_keys)


def _terms(name: str) -> list[Term]:
    return list(load_scheme(name).terms)


def test_every_scheme_has_required_codes_listed():
    assert set(REQUIRED_CODES) == set(SCHEMES)


def test_data_directory_holds_exactly_the_schemes():
    files = sorted(path.stem for path in DATA_DIR.glob("*.json"))
    assert files == sorted(SCHEMES)


@pytest.mark.parametrize("name", SCHEMES)
def test_scheme_loads(name):
    scheme = load_scheme(name)
    assert isinstance(scheme, Scheme)
    assert scheme.name == name
    assert scheme.version == "1"
    assert scheme.title.strip()
    assert scheme.terms


@pytest.mark.parametrize("name", SCHEMES)
def test_file_shape(name):
    raw = _raw(name)
    assert set(raw) == {"scheme", "version", "title", "source", "terms"}
    assert raw["scheme"] == name
    assert raw["version"] == "1"
    assert raw["source"].strip()
    for entry in raw["terms"]:
        assert set(entry) == {"code", "labels", "definition"}, entry.get("code")


@pytest.mark.parametrize("name", SCHEMES)
def test_scheme_has_every_required_code_in_order(name):
    loaded = [term.code for term in _terms(name)]
    required = REQUIRED_CODES[name]
    missing = [code for code in required if code not in loaded]
    assert not missing, f"{name}: missing {missing}"
    assert loaded[: len(required)] == required, f"{name}: required codes out of order"


@pytest.mark.parametrize("name", CLOSED_SCHEMES)
def test_closed_schemes_have_nothing_extra(name):
    assert [term.code for term in _terms(name)] == REQUIRED_CODES[name]


@pytest.mark.parametrize("name", SCHEMES)
def test_codes_are_kebab_case_and_unique(name):
    loaded = [term.code for term in _terms(name)]
    assert len(loaded) == len(set(loaded)), f"{name}: duplicate codes"
    bad = [code for code in loaded if not KEBAB_CASE.match(code)]
    assert not bad, f"{name}: codes not in kebab-case: {bad}"


@pytest.mark.parametrize("name", SCHEMES)
def test_every_term_has_all_six_labels(name):
    for term in _terms(name):
        assert set(term.labels) == set(LANGUAGES), f"{name}/{term.code}: {sorted(term.labels)}"
        for language, label in term.labels.items():
            assert label.strip(), f"{name}/{term.code}: empty {language} label"
            assert label == label.strip(), f"{name}/{term.code}: blanks around {language} label"
            assert label != term.code, f"{name}/{term.code}: {language} label is the bare code"


@pytest.mark.parametrize("name", SCHEMES)
def test_labels_are_unique_within_a_language(name):
    for language in LANGUAGES:
        labels = [term.labels[language].casefold() for term in _terms(name)]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        assert not duplicates, f"{name}: duplicate {language} labels {duplicates}"


@pytest.mark.parametrize("name", SCHEMES)
def test_every_term_has_an_english_definition_of_one_sentence(name):
    for term in _terms(name):
        definition = term.definition
        assert definition.strip(), f"{name}/{term.code}: no English definition"
        assert definition.endswith("."), f"{name}/{term.code}: definition should end with '.'"
        assert not re.search(r"\.\s+[A-Z]", definition), f"{name}/{term.code}: not one sentence"


@pytest.mark.parametrize("name", SCHEMES)
def test_translated_definitions_are_known_languages_and_not_empty(name):
    for term in _terms(name):
        assert set(term.definitions) <= set(LANGUAGES), f"{name}/{term.code}"
        assert term.definitions.get("en") == term.definition
        for language, text in term.definitions.items():
            assert text.strip(), f"{name}/{term.code}: empty {language} definition"


def test_codes_helper_matches_scheme():
    assert codes(codelists.DIRECTIONS) == frozenset({"offer", "request"})
    assert "SE23" not in codes(codelists.TARGET_GROUPS)


def test_unknown_scheme_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="no-such-scheme"):
        load_scheme("no-such-scheme")


def test_label_lookup_and_fallbacks():
    scheme = load_scheme(codelists.ORGANISATION_KINDS)
    assert scheme.label("municipality", "sv") == "Kommun"
    assert scheme.label("municipality", "de") == "Kommune"
    assert scheme.label("municipality", "xx") == scheme.label("municipality", "en")
    assert scheme.label("not-a-code") == "not-a-code"
    assert scheme.get("not-a-code") is None


@pytest.mark.parametrize(
    ("name", "code", "language", "label"),
    [
        (codelists.OPPORTUNITY_TYPES, "job-shadowing", "sv", "Jobbskuggning"),
        (codelists.PRACTICE_TOPICS, "motivational-interviewing", "de", "Motivierende Gesprächsführung"),
        (codelists.PRACTICE_TOPICS, "fast-track-integration", "sv", "Snabbspår"),
        (codelists.TARGET_GROUPS, "long-term-unemployed", "de", "Langzeitarbeitslose"),
        (codelists.ORGANISATION_KINDS, "public-employment-service", "ca", "Servei públic d'ocupació"),
        (codelists.LABOUR_MARKET_TYPES, "regular", "de", "Erster Arbeitsmarkt"),
    ],
)  # fmt: skip
def test_known_translations(name, code, language, label):
    assert load_scheme(name).label(code, language) == label

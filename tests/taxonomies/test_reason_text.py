"""The engine's reasons rendered in the reader's language: the catalogue covers every sentence the engine
declares, slot for slot; each kind renders with labels, names and localised dates; unknown reasons show
their stored text; and every sentence is translated in the five languages besides English.

The last test reads the compiled catalogues (``locale/<lang>/LC_MESSAGES/django.mo``): it is marked to
fail until the translation round has translated these sentences, and the mark goes once it passes.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from django.utils import translation

import matchmaking.engine
from matchmaking.engine import allocation_round, fairness, optimal, partner_rules, partners, people
from matchmaking.engine.reasons import TEMPLATES, ReasonTemplate
from matchmaking.taxonomies.reason_text import CATALOGUE, ENTRIES, render_reason

OTHER_LANGUAGES = ["sv", "nb", "de", "es", "ca"]
SKILL = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
SKILL_LABEL = "manage musical staff"
OCCUPATION = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"


def _engine_modules() -> None:
    """Import every engine module, so that every declared sentence is in the registry."""
    for found in pkgutil.walk_packages(matchmaking.engine.__path__, "matchmaking.engine."):
        importlib.import_module(found.name)


def _slots(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _sample(template: ReasonTemplate) -> dict[str, Any]:
    """A realistic reason of each kind, as the web app stores it."""
    return template.of(**_params(template)).as_dict()


def _params(template: ReasonTemplate) -> dict[str, Any]:
    """Realistic parameters of each kind of reason."""
    return {
        partners.COUNTRY_SPREAD: {"country": "SE"},
        partners.TOPICS_THEY_SHOW: {"topics": ("early-outreach", "skills-mapping"), "matched": 2, "total": 3},
        partners.TOPICS_THEY_SHOW_RARE: {
            "topics": ("early-outreach", "skills-mapping"), "matched": 2, "total": 3,
            "rare": ("skills-mapping",),
        },
        partners.TOPICS_THEY_WANT: {"topics": ("early-outreach",), "matched": 1, "total": 4},
        partners.TOPICS_THEY_WANT_RARE: {
            "topics": ("early-outreach",), "matched": 1, "total": 4, "rare": ("early-outreach",)
        },
        partners.TARGET_GROUPS: {"groups": ("neet-youth", "newly-arrived-migrants")},
        partners.RECIPROCITY_THEY_LEARN: {"topics": ("skills-mapping",)},
        partners.RECIPROCITY_YOU_LEARN: {"topics": ("skills-mapping",)},
        partners.TEXT: {"words": "mentoring, apprenticeship", "similarity": 0.31},
        partners.LANGUAGES_SHARED: {"languages": "de, sv"},
        partners.DATES_FREE: {"start": "2026-03-02", "end": "2026-03-20", "days": 19, "needed": 5},
        partners.INVITE: {"name": "Borås Stad"},
        partners.SEMANTIC: {"similarity": "88%"},
        partners.PLACE_COUNTRY: {"country": "NO", "words": "Norwegian"},
        partners.PLACE_REGION: {"region": "NO0A"},
        partners.PLACE_ELSEWHERE: {"country": "ES", "words": "Norwegian"},
        partners.NEIGHBOURING_TYPE: {"ours": ("job-shadowing",), "theirs": ("study-visit",), "points": 11.5},
        partners.GROUP_OVERSIZED: {"group": 4, "excess": 1, "room": 3, "points": 9.3},
        partner_rules.SAME_ORGANISATION: {"organisation": "Borås Stad"},
        partner_rules.DIFFERENT_TYPE: {"ours": ("job-shadowing",), "theirs": ("study-visit",)},
        partner_rules.SAME_DIRECTION: {"direction": "offer", "type": ("job-shadowing",)},
        partner_rules.DATES_APART: {
            "gap": 3, "unit": "days", "needed": 5, "needed_unit": "days", "short_by": 8, "short_unit": "days"
        },
        partner_rules.DATES_SHORT: {
            "overlap": 2, "unit": "days", "needed": 5, "short_by": 3, "short_unit": "days"
        },
        partner_rules.NO_SHARED_LANGUAGE: {"ours": "sv", "theirs": "de, es"},
        partner_rules.GROUP_SIZE: {"group": 12, "excess": 4, "room": 8},
        people.LANGUAGE_LEVEL: {"language": "de", "needed": "B1", "have": "A2", "short_by": 1},
        people.DATES_OUTSIDE: {
            "start": "2026-04-01", "end": "2026-06-30", "available_from": "2026-05-01",
            "available_until": "open", "days": 30,
        },
        people.SUPPORT: {"support": ("mentor", "interpreter"), "count": 2},
        people.ABROAD: {"country": "DE"},
        people.REQUIRED_SKILLS: {"held": 2, "total": 3},
        people.INFORMAL_SKILLS: {"skills": (SKILL,)},
        people.SKILL_GAP: {"skills": (SKILL,)},
        people.OCCUPATION_INTEREST: {"occupation": (OCCUPATION,)},
        allocation_round.UNPLACED_FULL: {"count": 3},
        allocation_round.UNPLACED_RULES: {"placement": "PL-7", "why": "The placement is in DE"},
        allocation_round.UNPLACED_FIT: {"min_fit": 20, "placement": "PL-7", "score": 12.5},
        optimal.FLOOR_MET: {"floor": 4},
        optimal.FLOOR_NOT_MET: {"floor": 6, "reached": 4},
        fairness.FAIRNESS_FLAG: {
            "group": "F", "placed": 2, "participants": 9, "rate": "22%", "ratio": "0.45", "best": "M",
            "threshold": "0.80",
        },
        fairness.FAIRNESS_FIT_FLAG: {
            "group": "F", "fit": "13.0", "ratio": "0.38", "best": "M", "threshold": "0.80",
        },
    }.get(template, {})  # fmt: skip


# --- The catalogue and the engine agree -------------------------------------------------------------


def test_no_engine_module_writes_an_undeclared_sentence():
    """Every reason the engine builds comes from a declared template (so the registry is complete)."""
    engine = Path(matchmaking.engine.__file__).parent
    for path in engine.rglob("*.py"):
        if path.name == "reasons.py":
            continue
        assert not re.search(r"\bReason(\.of)?\(", path.read_text()), path


def test_the_catalogue_covers_every_engine_sentence_with_the_same_slots():
    _engine_modules()
    assert TEMPLATES
    missing = [key for key in TEMPLATES if key not in CATALOGUE]
    assert not missing
    for entry in ENTRIES:
        if entry.engine is None:
            continue
        assert TEMPLATES[entry.key] is entry.engine
        with translation.override("en"):
            assert _slots(str(entry.message)) == set(entry.engine.slots), entry.key
        assert set(entry.slots) <= set(entry.engine.slots), entry.key


def test_every_engine_sentence_has_a_sample():
    _engine_modules()
    for template in TEMPLATES.values():
        reason = _sample(template)
        assert set(template.slots) <= set(reason["params"]), template


# --- Rendering ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_english_rendering_matches_the_engine_where_no_label_is_involved():
    with translation.override("en"):
        for template in (partner_rules.GROUP_SIZE, people.REQUIRED_SKILLS, optimal.FLOOR_NOT_MET):
            reason = _sample(template)
            assert render_reason(reason) == reason["text"]


@pytest.mark.django_db
def test_codes_become_labels_names_and_localised_dates():
    with translation.override("sv"):
        assert "Tidiga insatser och uppsökande arbete" in render_reason(_sample(partners.TOPICS_THEY_WANT))
        assert "Sverige" in render_reason(_sample(partners.COUNTRY_SPREAD))
        assert "Tyskland" in render_reason(_sample(people.ABROAD))
        spoken = render_reason(_sample(partners.LANGUAGES_SHARED))
        assert "tyska, svenska" in spoken  # language names are lower case inside a Swedish sentence
        assert "leda musikpersonal" in render_reason(_sample(people.SKILL_GAP))  # the skill in Swedish
    with translation.override("de"):
        assert "Deutsch" in render_reason(_sample(people.LANGUAGE_LEVEL))
    with translation.override("de"):
        dates = render_reason(_sample(partners.DATES_FREE))
        assert "2026-03-02" not in dates
        assert "2026" in dates
    with translation.override("en"):
        assert SKILL_LABEL in render_reason(_sample(people.SKILL_GAP))
        assert SKILL not in render_reason(_sample(people.SKILL_GAP))
        apart = render_reason(_sample(partner_rules.DATES_APART))
        assert "3 days apart" in apart
        one = partner_rules.DATES_APART.of(
            gap=1, unit="day", needed=1, needed_unit="day", short_by=1, short_unit="day"
        )
        assert "1 day apart" in render_reason(one.as_dict())
        assert "offers of" in render_reason(_sample(partner_rules.SAME_DIRECTION))
        assert "open" in render_reason(_sample(people.DATES_OUTSIDE))
        support = render_reason(_sample(people.SUPPORT), labels={"mentor": "A mentor at the workplace"})
        assert "A mentor at the workplace" in support
        assert "interpreter" in support


@pytest.mark.django_db
def test_a_quoted_reason_is_rendered_in_the_reader_s_language_too():
    with translation.override("en"):
        inner = people.ABROAD.of(country="DE")
        outer = allocation_round.UNPLACED_RULES.of(placement="PL-7", why=inner.text).with_parts((inner,))
        assert "Germany" in render_reason(outer.as_dict())
    with translation.override("sv"):
        assert "Tyskland" in render_reason(outer.as_dict())


@pytest.mark.django_db
def test_an_unknown_reason_shows_its_stored_text():
    assert (
        render_reason({"code": "from-the-future", "template": "Hello {who}", "params": {}, "text": "Hi"})
        == "Hi"
    )
    changed = {**_sample(people.ABROAD), "template": "An older wording: {country}", "text": "Stored"}
    assert render_reason(changed) == "Stored"
    broken = {**_sample(people.ABROAD), "params": {}, "text": "Stored"}
    assert render_reason(broken) == "Stored"
    assert render_reason({}) == ""
    assert render_reason("A sentence stored as text") == "A sentence stored as text"  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_reason_kept_without_its_text_reads_as_it_did_with_it():
    """Partner suggestions keep reasons without the English text (``Reason.as_stored``)."""
    _engine_modules()
    with translation.override("en"):
        for template in TEMPLATES.values():
            reason = template.of(**_params(template))
            assert "text" not in reason.as_stored()
            assert render_reason(reason.as_stored()) == render_reason(reason.as_dict()), template
    with translation.override("sv"):
        spoken = partners.LANGUAGES_SHARED.of(languages=("de", "sv"))
        assert render_reason(spoken.as_stored()) == render_reason(spoken.as_dict())


@pytest.mark.django_db
def test_an_unknown_reason_kept_without_its_text_shows_its_english_template_filled_in():
    future = {"code": "from-the-future", "template": "Shared: {topics}", "params": {"topics": ["a-b", "c"]}}
    assert render_reason(future) == "Shared: a b, c"
    assert (
        render_reason({"code": "from-the-future", "template": "Hello {who}", "params": {}}) == "Hello {who}"
    )


@pytest.mark.django_db
def test_a_reason_stored_by_the_web_app_by_code_alone_is_translated():
    reason = {"code": "override", "text": "whatever language it was written in"}
    with translation.override("en"):
        assert render_reason(reason) == "No placement, by decision of the reviewer."
        assert render_reason({"code": "unplaced-none", "text": "?"}) == (
            "Not placed: there are no placements in this round."
        )
        # Without its parameters, a sentence that needs them keeps its stored text.
        assert render_reason({"code": "unplaced-rules", "text": "Stored"}) == "Stored"
    with translation.override("sv"):
        assert render_reason(reason) != "No placement, by decision of the reviewer."


# --- Every sentence in every language ------------------------------------------------------------------


def _english_words(template: str) -> set[str]:
    """The English words of a template outside its slots: what a fallback to English would show."""
    literal = "".join(text for text, _, _, _ in Formatter().parse(template))
    return {w.lower() for w in re.findall(r"[A-Za-z]{5,}", literal)}


@pytest.mark.django_db
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_sentence_is_translated(language):
    """Rendered in each language, no sentence falls back to English outside names (organisation and
    placement names, ESCO labels, the words quoted from a description)."""
    _engine_modules()
    untranslated = []
    for entry in ENTRIES:
        with translation.override("en"):
            english_template = str(entry.message)
        reason = _sample(entry.engine) if entry.engine else {"code": entry.code, "text": ""}
        with translation.override(language):
            shown = render_reason(reason, labels={})
            translated_template = str(entry.message)
        if translated_template == english_template:
            untranslated.append(entry.key)
            continue
        words = _english_words(english_template)
        if words and words <= set(re.findall(r"[a-z]{5,}", shown.lower())):
            untranslated.append(entry.key)
    assert not untranslated


@pytest.mark.django_db
def test_pages_about_a_participant_name_support_needs_as_the_participant_s_form_does():
    from matchmaking.participants.models import SupportRequirement
    from matchmaking.participants.templatetags.participant_reasons import participant_reason

    with translation.override("sv"):
        shown = participant_reason(_sample(people.SUPPORT))
        assert str(SupportRequirement.MENTOR.label) in shown
        assert str(SupportRequirement.INTERPRETER.label) in shown
        assert str(SupportRequirement.MENTOR.label) != "A mentor at the workplace"

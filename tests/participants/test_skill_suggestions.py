"""The skills page: search and story suggestions with their reasons, several accepted at once with the
rest kept, skills from an occupation, evidence and validation, the keyword-only notice, bad input and
the wrong organisation. The finder is replaced by fixed answers here (its quality is measured by the
skills benchmark); a few tests use the real one to show the pages hold with it too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from matchmaking.core.models import AuditEvent
from matchmaking.engine import text_model
from matchmaking.participants import esco_lookup, forms
from matchmaking.participants.models import ParticipantSkill
from matchmaking.taxonomies import skill_finder
from matchmaking.taxonomies.skill_finder import ModelStatus, OccupationSkill, SkillHit, StorySuggestion

HTMX = {"HTTP_HX_REQUEST": "true"}
ELDERLY = "http://data.europa.eu/esco/skill/261e740b-d32d-4356-94a8-3ea29128b70b"
MEALS = "http://data.europa.eu/esco/skill/5badb272-c27b-4c92-bd68-713cef631149"
CUSTOMERS = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
WITH_RELATIONS = "http://data.europa.eu/esco/occupation/0464b062-cea6-4164-b10d-956c61956ae7"
STORY = "Har tagit hand om min mormor. Handlat och lagat mat."


def url(name: str, world) -> str:
    return reverse(f"participants:{name}", args=[world.person.pseudonym])


@pytest.fixture
def finder(monkeypatch):
    """Fixed answers, and what was asked."""
    asked: dict[str, object] = {}

    def find_skills(query, *, lang=None, limit=10):
        asked["search"] = (query, lang)
        return [
            SkillHit(ELDERLY, "tend to elderly people", 1.0, "model"),
            SkillHit(MEALS, "prepare meals for flights", 0.8, "keyword"),
            SkillHit(CUSTOMERS, "satisfy customers", 0.5, "both"),
        ]

    def suggest_from_story(text, *, lang=None, limit=10):
        asked["story"] = (text, lang)
        return [
            StorySuggestion(ELDERLY, "tend to elderly people", 0.9, "Har tagit hand om min mormor.", 0, 29),
            StorySuggestion(MEALS, "prepare meals for flights", 0.7, "Handlat och lagat mat.", 30, 52),
            StorySuggestion(CUSTOMERS, "satisfy customers", 0.4, "Handlat och lagat mat.", 30, 52),
        ]

    def skills_for_occupation(uri, *, limit=15):
        asked["occupation"] = uri
        return [
            OccupationSkill(ELDERLY, "tend to elderly people", 1.0, "esco-relation"),
            OccupationSkill(MEALS, "prepare meals for flights", 0.6, "nearest"),
        ]

    monkeypatch.setattr(esco_lookup, "find_skills", find_skills)
    monkeypatch.setattr(esco_lookup, "suggest_from_story", suggest_from_story)
    monkeypatch.setattr(esco_lookup, "skills_for_occupation", skills_for_occupation)
    monkeypatch.setattr(esco_lookup, "model_status", lambda: ModelStatus(True, "test model"))
    return asked


def posted_list(*uris: str, listing: str = "story", **extra: object) -> dict[str, object]:
    """What the page posts back: the whole list, how and where, plus the ticks or the button."""
    data: dict[str, object] = {"listing": listing, "how": "informal", "source": "care", **extra}
    for n, uri in enumerate(uris):
        data[f"item-{n}-uri"] = uri
        data[f"item-{n}-label"] = esco_lookup.skill_label(uri)
        data[f"item-{n}-why"] = "story" if listing == "story" else "keyword"
        data[f"item-{n}-sentence"] = "Har tagit hand om min mormor." if listing == "story" else ""
    return data


def swedish(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"


def test_story_suggestions_show_their_sentence_and_ask_in_the_interface_language(client, world, finder):
    client.force_login(world.worker)
    swedish(client)
    page = client.post(url("skills", world), {"section": "care", "story": STORY}).content.decode()
    assert finder["story"] == (STORY, "sv")
    assert "<mark>Har tagit hand om min mormor.</mark>" in page
    assert page.count('name="pick"') == 3
    assert "Add selected" in page or 'name="add"' in page


def test_search_asks_in_the_interface_language_and_says_why(client, world, finder):
    client.force_login(world.worker)
    swedish(client)
    response = client.get(url("skill-search", world), {"q": "svetsning"}, **HTMX)
    assert finder["search"] == ("svetsning", "sv")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url("skill-search", world), {"q": "care"}, **HTMX).content.decode()
    assert response.status_code == 200
    assert finder["search"] == ("care", "en")
    for why in ("Close in meaning to the words typed", "Matches the words typed", "Matches the words and is"):
        assert why in page


def test_several_accepted_at_once_with_htmx_and_the_rest_stay(client, world, finder):
    client.force_login(world.worker)
    data = posted_list(ELDERLY, MEALS, CUSTOMERS, pick=[ELDERLY, MEALS], add="selected")
    response = client.post(url("skills-accept", world), data, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    skills = ParticipantSkill.objects.filter(participant=world.person)
    assert set(skills.values_list("uri", flat=True)) == {ELDERLY, MEALS}
    assert skills.get(uri=ELDERLY).evidence == "Har tagit hand om min mormor."
    assert skills.get(uri=ELDERLY).source == "care"
    assert AuditEvent.objects.filter(action="skill.add").count() == 2
    # The two added leave the list; the third stays (no instruction to remove it).
    key = {uri: uri.rsplit("/", 1)[-1] for uri in (ELDERLY, MEALS, CUSTOMERS)}
    assert f'id="story-{key[ELDERLY]}" hx-swap-oob="delete"' in page
    assert f'id="story-{key[MEALS]}" hx-swap-oob="delete"' in page
    assert key[CUSTOMERS] not in page
    assert 'id="skills-status" hx-swap-oob' in page


def test_several_accepted_at_once_without_javascript_keeps_the_rest(client, world, finder):
    client.force_login(world.worker)
    data = posted_list(ELDERLY, MEALS, CUSTOMERS, pick=[ELDERLY, MEALS], add="selected")
    page = client.post(url("skills-accept", world), data).content.decode()
    assert "<html" in page
    assert f'name="pick" value="{CUSTOMERS}"' in page
    assert f'name="pick" value="{ELDERLY}"' not in page
    assert "Added: " in page
    assert world.person.skills.count() == 2


def test_one_button_adds_one_and_reject_keeps_the_others(client, world, finder):
    client.force_login(world.worker)
    client.post(url("skills-accept", world), posted_list(ELDERLY, MEALS, accept=MEALS, pick=[ELDERLY]))
    assert list(world.person.skills.values_list("uri", flat=True)) == [MEALS]
    page = client.post(url("skills-accept", world), posted_list(ELDERLY, CUSTOMERS, reject=CUSTOMERS))
    text = page.content.decode()
    assert f'name="pick" value="{ELDERLY}"' in text
    assert f'name="pick" value="{CUSTOMERS}"' not in text
    assert AuditEvent.objects.filter(action="skill.reject-suggestion").count() == 1
    assert world.person.skills.count() == 1


def test_nothing_ticked_or_forged_items_are_a_message_not_an_error(client, world, finder):
    client.force_login(world.worker)
    response = client.post(url("skills-accept", world), posted_list(ELDERLY, add="selected"), **HTMX)
    assert response.status_code == 200
    assert "Tick at least one suggested skill." in response.content.decode()
    forged = posted_list(ELDERLY, add="selected", pick=["http://example.org/skill/x", "nonsense"])
    forged["item-1-uri"] = "http://example.org/skill/x"
    assert client.post(url("skills-accept", world), forged).status_code == 200
    bad_form = {"listing": "nope", "how": "sometimes", "source": "moon"}
    page = client.post(url("skills-accept", world), bad_form, **HTMX).content.decode()
    assert "Learnt" in page
    assert "Where" in page
    assert not world.person.skills.exists()


def test_occupation_skills_say_which_esco_lists_and_which_are_near(client, world, finder):
    client.force_login(world.worker)
    page = client.get(url("skills", world), {"occupation": WITH_RELATIONS}).content.decode()
    assert finder["occupation"] == WITH_RELATIONS
    assert "ESCO lists this skill for the occupation" in page
    assert "Close in meaning to the occupation (not listed by ESCO)" in page
    assert "ICT security administrator" in page
    data = posted_list(ELDERLY, MEALS, listing="occupation", occupation=WITH_RELATIONS, pick=[MEALS])
    again = client.post(url("skills-accept", world), data).content.decode()
    assert "ICT security administrator" in again
    assert f'name="pick" value="{ELDERLY}"' in again
    unknown = client.get(url("skills", world), {"occupation": "http://example.org/x" * 100})
    assert unknown.status_code == 200


def test_occupation_skills_from_the_real_finder(client, world):
    client.force_login(world.worker)
    page = client.get(url("skills", world), {"occupation": WITH_RELATIONS}).content.decode()
    assert "ESCO lists this skill for the occupation" in page
    found = client.get(url("skill-search", world), {"q": "security administrator", "kind": "occupation"})
    assert "Suggest skills for ICT security administrator" in found.content.decode()


def test_evidence_and_validation_status_are_edited_with_an_audit_row(client, world, finder):
    client.force_login(world.worker)
    skill = world.person.skills.create(uri=ELDERLY, label="tend to elderly people", esco_version="1.1.1")
    data = {"skill": skill.pk, "evidence": "Two years with her grandmother, every day", "validated": "yes"}
    response = client.post(url("skill-edit", world), data, **HTMX)
    assert response.status_code == 200
    assert "Two years with her grandmother" in response.content.decode()
    skill.refresh_from_db()
    assert skill.validated
    assert skill.evidence.startswith("Two years")
    event = AuditEvent.objects.get(action="skill.update")
    assert event.after["fields"] == ["evidence", "validated"]
    assert "grandmother" not in str(event.after)
    client.post(url("skill-edit", world), {**data, "validated": "no"})
    skill.refresh_from_db()
    assert not skill.validated


def test_keyword_only_notice_when_the_model_is_absent(client, world, finder, monkeypatch):
    client.force_login(world.worker)
    notice = "Suggestions use keyword search only"
    assert notice not in client.get(url("skills", world)).content.decode()
    monkeypatch.setattr(esco_lookup, "model_status", lambda: ModelStatus(False, ""))
    assert notice in client.get(url("skills", world)).content.decode()


@pytest.fixture
def model_switched_off(monkeypatch):
    monkeypatch.setenv(text_model.ENV_VARIABLE, "none")
    text_model.reset_text_model()
    skill_finder.reset()
    yield
    text_model.reset_text_model()
    skill_finder.reset()


def test_keyword_only_notice_with_the_model_switched_off(client, world, model_switched_off):
    client.force_login(world.worker)
    assert "Suggestions use keyword search only" in client.get(url("skills", world)).content.decode()
    page = client.post(url("skills", world), {"section": "care", "story": "I cooked for my family"})
    assert page.status_code == 200


@pytest.mark.parametrize("story", ["", "   ", "x" * 10_000])
def test_bad_stories_are_named_form_errors(client, world, story):
    client.force_login(world.worker)
    response = client.post(url("skills", world), {"section": "care", "story": story})
    assert response.status_code == 200
    assert "What the person tells you:" in response.content.decode()


@pytest.mark.parametrize(
    "story", ["qzxv jjjj prrrt", "Ich habe gekocht and I cleaned, y cuidé a mi abuela.", "🙂" * 500, "<b>"]
)
def test_odd_stories_get_an_answer(client, world, story):
    client.force_login(world.worker)
    response = client.post(url("skills", world), {"section": "work", "story": story})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ["", "qzxv", "x" * 10_000, "Schweißen cuidado de niños svetsning", "%' OR 1=1"]
)
def test_odd_searches_get_an_answer(client, world, query):
    client.force_login(world.worker)
    for headers in ({}, HTMX):
        response = client.get(url("skill-search", world), {"q": query}, **headers)
        assert response.status_code == 200
    if len(query) > forms.SEARCH_MAX:
        assert (
            f"Skill or occupation: write at most {forms.SEARCH_MAX} characters" in response.content.decode()
        )


def test_too_long_evidence_is_a_named_error(client, world):
    client.force_login(world.worker)
    skill = world.person.skills.create(uri=ELDERLY, label="tend to elderly people", esco_version="1.1.1")
    data = {"skill": skill.pk, "evidence": "x" * 10_000, "validated": "yes"}
    page = client.post(url("skill-edit", world), data, **HTMX).content.decode()
    assert "Evidence: write at most 2000 characters" in page
    missing = client.post(url("skill-edit", world), {**data, "evidence": "", "skill": 999999}, **HTMX)
    assert "That skill is not in the profile." in missing.content.decode()
    skill.refresh_from_db()
    assert not skill.validated


def test_another_organisation_sees_nothing_and_changes_nothing(client, world, finder):
    skill = world.person.skills.create(uri=ELDERLY, label="tend to elderly people", esco_version="1.1.1")
    for user in (world.stranger, world.helper):
        client.force_login(user)
        assert client.get(url("skills", world), {"occupation": WITH_RELATIONS}).status_code == 404
        assert client.get(url("skill-search", world), {"q": "care"}, **HTMX).status_code == 404
        accepted = client.post(url("skills-accept", world), posted_list(MEALS, pick=[MEALS]), **HTMX)
        assert accepted.status_code == 404
        edit = {"skill": skill.pk, "evidence": "changed", "validated": "yes"}
        assert client.post(url("skill-edit", world), edit, **HTMX).status_code == 404
    skill.refresh_from_db()
    assert not skill.validated
    assert skill.evidence == ""
    assert list(world.person.skills.values_list("uri", flat=True)) == [ELDERLY]
    assert not AuditEvent.objects.filter(action__startswith="skill.").exists()


def test_skills_add_is_all_or_nothing_and_leaves_held_skills_alone(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from matchmaking.participants import services

    world.person.skills.create(uri=ELDERLY, label="tend to elderly people", evidence="kept", esco_version="1")
    with pytest.raises(ValidationError):
        services.skills_add(
            actor=world.worker,
            participant=world.person,
            skills=[(MEALS, ""), ("http://data.europa.eu/esco/skill/not-there", "")],
            how="informal",
            source="care",
        )
    assert world.person.skills.count() == 1
    added = services.skills_add(
        actor=world.worker,
        participant=world.person,
        skills=[(ELDERLY, "new"), (MEALS, "cooked"), (MEALS, "twice")],
        how="formal",
        source="work",
    )
    assert [s.uri for s in added] == [MEALS]
    assert world.person.skills.get(uri=ELDERLY).evidence == "kept"
    with pytest.raises(PermissionDenied):
        services.skills_add(
            actor=world.stranger,
            participant=world.person,
            skills=[(CUSTOMERS, "")],
            how="formal",
            source="work",
        )


def test_a_posted_list_keeps_its_order_across_gaps_and_drops_what_is_not_an_esco_skill(db):
    from matchmaking.participants.skill_suggestions import posted

    data = posted_list(ELDERLY, MEALS, CUSTOMERS)
    del data["item-1-uri"]  # an item accepted earlier has left the page
    data["item-7-uri"] = "http://example.org/not-esco"
    data["item-8-uri"] = WITH_RELATIONS  # an occupation, not a skill
    data["item-2-why"] = "made-up"
    items = posted(data)
    assert [i.uri for i in items] == [ELDERLY, CUSTOMERS]
    assert items[0].sentence == "Har tagit hand om min mormor."
    assert items[1].why == ""


def test_skills_are_shown_in_the_readers_language_and_stored_with_the_esco_label(client, world, finder):
    client.force_login(world.worker)
    swedish(client)
    page = client.post(url("skills", world), {"section": "care", "story": STORY}).content.decode()
    assert "ta hand om äldre" in page  # the label a Swedish reader sees
    assert 'name="item-0-label" value="tend to elderly people"' in page  # what is stored stays ESCO's
    data = posted_list(ELDERLY, MEALS, pick=[ELDERLY], add="selected")
    page = client.post(url("skills-accept", world), data, **HTMX).content.decode()
    assert world.person.skills.get().label == "tend to elderly people"
    assert "ta hand om äldre" in page
    assert '<span lang="en">tend to elderly people</span>' in page  # ESCO's own label beside it
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(url("skills", world)).content.decode()
    assert "ältere Menschen betreuen" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url("skills", world)).content.decode()
    assert "tend to elderly people" in page
    assert "ta hand om äldre" not in page
    assert '<span lang="en">' not in page

"""The catalogue of notification kinds: every kind renders in each of the six languages from its code
and parameters, values are shown in the reader's language (dates, choice labels, code-list labels), rows
written before keep their stored text, and the matrix kind × role says who receives what."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from matchmaking.core.models import Notification
from matchmaking.core.notification_kinds import (
    CASE_WORKER,
    COORDINATOR,
    GROUPS,
    KINDS,
    ORG_ADMIN,
    ROLES,
    STAFF,
    matrix_markdown,
    receives,
    render_body,
    render_title,
)
from tests.factories import UserFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]

SAMPLE = {
    "org": "Borås Stad",
    "title": "Youth work in Borås",
    "start": "2027-03-01",
    "end": "2027-03-05",
    "date": "2027-03-05",
    "group_size": 4,
    "type": "job-shadowing",
    "name": "Youth workers",
    "event": "Spring contact seminar",
    "participant": "P-7K2Q",
    "placement": "Kitchen assistant",
    "round": "Spring round",
    "outcome": "upheld",
    "service": "Housing advice",
    "status": "accepted",
    "months": 4,
    "email": "new@example.org",
    "count": 5,
    "breached": 1,
    "deadlines": 1,
    "retention": 1,
    "referrals": 1,
    "steps": 1,
}


def _params(kind) -> dict:
    variants = kind.title if isinstance(kind.title, dict) else {"": None}
    return {**SAMPLE, "variant": next(iter(variants))}


def _slots(kind) -> set[str]:
    texts = list(kind.title.values()) if isinstance(kind.title, dict) else [kind.title]
    if kind.body is not None:
        texts.append(kind.body)
    with translation.override("en"):
        return {name for text in texts for name in re.findall(r"%\((\w+)\)", str(text))}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_kind_renders_in_every_language(code, language):
    kind = KINDS[code]
    with translation.override(language):
        title = render_title(code, _params(kind))
        body = render_body(code, _params(kind))
    assert title
    assert "%(" not in title
    assert body is not None
    assert "%(" not in body
    assert set(SAMPLE) >= _slots(kind), "the sample covers every slot"


def test_every_kind_is_in_a_group_and_reaches_somebody():
    for kind in KINDS.values():
        assert kind.group in GROUPS
        assert kind.roles or kind.involvement, kind.code
        assert kind.roles <= set(ROLES)


@pytest.mark.django_db
def test_values_show_in_the_readers_language():
    params = {**SAMPLE}
    with translation.override("en"):
        english = render_body("exchange.proposed", params)
        assert english == "Dates: 1 March 2027 to 5 March 2027."
        assert render_title("proposal.contest-answer", params).startswith(
            "Your contest has been answered: upheld"
        )
        assert render_title("mobility.expired", params) == "Your job shadowing has expired"
    with translation.override("de"):
        german = render_body("exchange.proposed", params)
    assert "1. März 2027" in german  # Django's own month names and date format
    with translation.override("sv"):
        assert "jobbskuggning" in render_title("mobility.expired", params)  # the code list's label


@pytest.mark.django_db
def test_variants_choose_the_sentence():
    with translation.override("en"):
        yes = render_title("event.request-answered", {**SAMPLE, "variant": "accepted"})
        no = render_title("event.request-answered", {**SAMPLE, "variant": "declined"})
    assert "accepted" in yes
    assert "declined" in no


@pytest.mark.django_db
def test_a_row_written_before_shows_its_stored_text_and_an_unknown_kind_too():
    user = UserFactory()
    old = Notification.objects.create(recipient=user, kind="exchange.proposed", title="Old title", body="Old")
    unknown = Notification.objects.create(recipient=user, kind="gone.kind", title="Kept", params={"x": 1})
    with translation.override("sv"):
        assert (old.display_title, old.display_body) == ("Old title", "Old")
        assert unknown.display_title == "Kept"


@pytest.mark.django_db
def test_the_words_a_person_wrote_stay_under_the_kinds_sentence():
    user = UserFactory()
    found = Notification.objects.create(
        recipient=user, kind="exchange.proposed", title="x", body="We would love to come.", params=SAMPLE
    )
    with translation.override("en"):
        assert found.display_title == "Borås Stad would like an exchange with you: Youth work in Borås"
        assert found.display_body.endswith("\n\nWe would love to come.")


def _translation_cases():
    for language in OTHER_LANGUAGES:
        for code in sorted(KINDS):
            yield pytest.param(language, code, id=f"{language}-{code}")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "code"), _translation_cases())
def test_every_kind_is_translated(language, code):
    """Each sentence of each kind (every variant, and the body) reads differently from the English."""
    kind = KINDS[code]
    variants = list(kind.title) if isinstance(kind.title, dict) else [""]
    for variant in variants:
        params = {**SAMPLE, "variant": variant}
        with translation.override("en"):
            english = (render_title(code, params), render_body(code, params))
        with translation.override(language):
            other = (render_title(code, params), render_body(code, params))
        assert other[0] != english[0], (variant, english[0])
        if english[1]:
            assert other[1] != english[1], english[1]


# --- Who receives what --------------------------------------------------------------------------

EXPECTED = {
    # kind prefix → roles that receive it
    "exchange.": {ORG_ADMIN, STAFF},
    "event.": {ORG_ADMIN, STAFF, COORDINATOR},
    "referral.sent": {ORG_ADMIN, CASE_WORKER},
    "referral.withdrawn": {ORG_ADMIN, CASE_WORKER},  # the service's organisation, consent revoked
    "application.": {COORDINATOR},
}


@pytest.mark.parametrize("code", sorted(KINDS))
@pytest.mark.parametrize("role", ROLES)
def test_the_matrix_kind_by_role(code, role):
    """Case workers never hear about exchanges, events or the network; participant and placement news
    goes only to the people involved (the key worker, who sent the referral), never to other members."""
    kind = KINDS[code]
    expected = next(
        (roles for prefix, roles in EXPECTED.items() if code.startswith(prefix) and kind.roles), None
    )
    if expected is not None:
        assert receives(code, role) == (role in expected)
    if role == CASE_WORKER:
        assert receives(code, role) == (code in ("referral.sent", "referral.withdrawn"))
    if kind.group == "caseload" or code.startswith(("referral.", "retention-", "youth-", "proposal.")):
        assert not receives(code, STAFF)
        assert not receives(code, COORDINATOR)


def test_the_matrix_prints_as_markdown():
    table = matrix_markdown()
    lines = table.splitlines()
    assert len(lines) == len(KINDS) + 2
    assert "| `exchange.proposed` | decisions | – | yes | yes | – | who proposed |" in lines
    assert "| `round.unplaced` | caseload | – | – | – | – | the key worker |" in lines


def test_a_sample_date_param_is_a_date_string():
    assert date.fromisoformat(SAMPLE["start"])


def test_the_docs_show_the_matrix():
    """After adding or changing a kind, paste ``matrix_markdown()`` into docs/notifications.md."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text()
    with translation.override("en"):
        assert matrix_markdown() in docs, "docs/notifications.md: paste matrix_markdown() again"

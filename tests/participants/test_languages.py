"""The Languages tab lists the person's own languages with their CEFR levels, named in the reader's
language; the interface's language switcher does not leak into it, and Remove acts on the person's list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.participants.models import ParticipantLanguage


@pytest.fixture
def spoken(world):
    world.person.languages.all().delete()
    ParticipantLanguage.objects.create(participant=world.person, code="es", level="B1")
    ParticipantLanguage.objects.create(participant=world.person, code="sv", level="C2")
    return world


def test_languages_tab_shows_the_persons_languages_not_the_interfaces(client, spoken):
    client.force_login(spoken.worker)
    page = client.get(reverse("participants:languages", args=[spoken.person.pseudonym]))
    rows = [(lang.code, lang.level) for lang in page.context["spoken_languages"]]
    assert rows == [("es", "B1"), ("sv", "C2")]
    body = page.content.decode()
    assert "Remove Spanish" in body
    assert "Remove Swedish" in body
    assert "Remove German" not in body  # an interface language the person does not speak


def test_language_names_follow_the_readers_language(client, spoken):
    client.force_login(spoken.worker)
    page = client.get(
        reverse("participants:participant-detail", args=[spoken.person.pseudonym]), HTTP_ACCEPT_LANGUAGE="sv"
    )
    names = [lang.name for lang in page.context["spoken_languages"]]
    assert names[0] != "Spanish"
    assert "svenska" in " ".join(names).lower()


def test_remove_acts_on_the_persons_list(client, spoken):
    client.force_login(spoken.worker)
    url = reverse("participants:languages", args=[spoken.person.pseudonym])
    client.post(url, {"remove": "es"})
    assert list(spoken.person.languages.values_list("code", flat=True)) == ["sv"]

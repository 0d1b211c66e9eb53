"""The skills autocomplete searches all ESCO skills and answers every keystroke (its speed is measured by
benchmarks/esco_search.py, not here)."""

from __future__ import annotations

from django.urls import reverse

from matchmaking.participants import esco_lookup

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_autocomplete_answers_every_keystroke(client, world):
    esco_lookup.warm()  # what the server does at start-up
    client.force_login(world.worker)
    url = reverse("participants:skill-search", args=[world.person.pseudonym])
    for word in ("customer service", "operate forklift", "care for elderly people", "weld"):
        for end in range(1, len(word) + 1):
            response = client.get(url, {"q": word[:end], "section": "work"}, **HTMX)
            assert response.status_code == 200, word[:end]
            assert response.templates[0].name == "participants/partials/suggestions.html"
    page = client.get(url, {"q": "operate forklift"}, **HTMX).content.decode()
    assert "operate forklift" in page
    assert "weld" in client.get(url, {"q": "weld", "section": "work"}, **HTMX).content.decode()


def test_occupation_autocomplete(client, world):
    client.force_login(world.worker)
    url = reverse("participants:skill-search", args=[world.person.pseudonym])
    page = client.get(url, {"q": "kitchen assis", "kind": "occupation"}, **HTMX).content.decode()
    assert "kitchen assistant" in page


def test_autocomplete_of_another_organisation_is_404(client, world):
    client.force_login(world.stranger)
    url = reverse("participants:skill-search", args=[world.person.pseudonym])
    assert client.get(url, {"q": "weld"}, **HTMX).status_code == 404

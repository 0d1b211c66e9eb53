"""Smaller defects of a person's pages: the plan page's fields each have their own label (no duplicated
``id_title``); the Languages tab and the width at 390 px are covered by test_languages.py and
tests/e2e/test_small_screens.py."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from django.urls import reverse

from matchmaking.pathways.models import Goal


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fields: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
            "radio",
            "checkbox",
        ):
            self.fields.append(str(found.get("id") or ""))
        if tag == "label" and found.get("for"):
            self.labels.add(str(found["for"]))


def test_plan_page_fields_have_unique_ids_and_their_own_labels(client, world):
    Goal.objects.create(participant=world.person, title="Find work", created_by=world.worker)
    client.force_login(world.worker)
    page = _Fields()
    page.feed(client.get(reverse("pathways:plan", args=[world.person.pseudonym])).content.decode())
    duplicated = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not duplicated
    assert "goal_title" in page.fields
    assert "step_title" in page.fields
    unlabelled = [f for f in page.fields if f not in page.labels]
    assert not unlabelled

"""Searching the published stories with case and accents ignored (see ``taxonomies.search_text``).

A story is found by its title and texts, its topics (labels in every language), the type of the
exchange, and the names, kinds, cities, regions and countries of both organisations. The library holds
the stories of reported exchanges (hundreds, not millions), so their words are read and folded here,
per search, in two queries: nothing to keep up to date when an organisation or a code list changes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from matchmaking.library.models import Story
from matchmaking.taxonomies import search_text

_SIDES = ("host", "visitor")
_FIELDS = (
    "title", "summary", "outcomes", "host_lessons", "visitor_lessons", "exchange__given_title",
    "exchange__type__code", "exchange__type__labels",
    *(
        f"exchange__{side}__{name}"
        for side in _SIDES
        for name in (
            "name", "city", "country", "region__code", "region__name", "kind__code", "kind__labels",
        )
    ),
)  # fmt: skip


def _words(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for v in value.values() if v]
    return [str(value)] if value else []


def story_search_texts(stories: QuerySet[Story]) -> dict[int, str]:
    """The folded search text of each story in ``stories``, by id."""
    parts: dict[int, list[str]] = defaultdict(list)
    for pk, *values in stories.values_list("pk", *_FIELDS):
        for name, value in zip(_FIELDS, values, strict=True):
            if name.endswith("__code") and value:
                value = str(value).replace("-", " ")
            if name.endswith("__country"):
                parts[pk] += search_text.country_words(value or "")
            else:
                parts[pk] += _words(value)
    for pk, code, labels in stories.values_list("pk", "topics__code", "topics__labels"):
        if code:
            parts[pk] += [code.replace("-", " "), *_words(labels)]
    return {pk: search_text.build(words) for pk, words in parts.items()}


def matching_story_ids(stories: QuerySet[Story], query: str) -> list[int]:
    """The ids of the stories in which every word of ``query`` is found."""
    words = search_text.search_words(query)
    if not words:
        return list(stories.values_list("pk", flat=True))
    return [pk for pk, text in story_search_texts(stories).items() if all(w in text for w in words)]

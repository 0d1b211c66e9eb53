"""The organisations' folded search text (see ``taxonomies.search_text``): what is in it, and its upkeep."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies import search_text


def organisation_search_text(organisation: Organisation, lists: dict[str, Any] | None = None) -> str:
    """Name, key, city, region, country, description and every label of its kind, target groups and
    topics (in every language). ``lists``: the code lists by field name, when they are not stored yet."""
    parts: list[str] = [organisation.name, organisation.key, organisation.city]
    parts += search_text.region_words(organisation.region)
    parts += search_text.country_words(organisation.country)
    parts += search_text.term_words(organisation.kind)
    for name in ("target_groups", "expertise", "interests"):
        terms = lists.get(name, []) if lists is not None else getattr(organisation, name).all()
        for term in terms:
            parts += search_text.term_words(term)
    parts.append(organisation.description)
    return search_text.build(parts)


def refresh_organisation_search(ids: Iterable[int]) -> None:
    """Recompute the search text of these organisations (after a write that may change it)."""
    wanted = list(ids)
    if not wanted:
        return
    rows = (
        Organisation.objects.filter(pk__in=wanted)
        .select_related("kind", "region")
        .prefetch_related("target_groups", "expertise", "interests")
    )
    changed = []
    for organisation in rows:
        text = organisation_search_text(organisation)
        if text != organisation.search_text:
            organisation.search_text = text
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["search_text"], batch_size=500)


def matching(words: list[tuple[str, str]], prefix: str = "") -> Q:
    """Rows where every (typed, folded) word is found: in the folded search text, or as typed in the
    name, city or description (rows written before their search text was filled are still found by those)."""
    condition = Q()
    for typed, folded in words:
        condition &= (
            Q(**{f"{prefix}search_text__contains": folded})
            | Q(**{f"{prefix}name__icontains": typed})
            | Q(**{f"{prefix}city__icontains": typed})
            | Q(**{f"{prefix}description__icontains": typed})
        )
    return condition


def query_words(query: str) -> list[tuple[str, str]]:
    """The user's words as typed and folded (at most ``search_text.MAX_WORDS``)."""
    pairs = [(word, search_text.fold(word)) for word in query.split()]
    return [(typed, folded) for typed, folded in pairs if folded][: search_text.MAX_WORDS]

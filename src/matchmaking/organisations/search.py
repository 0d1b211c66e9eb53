"""Organisation search: the folded search text (see ``taxonomies.search_text``), what is in it and its
upkeep, and the words of a query matched through the full-text index of the database in use
(``taxonomies.search_index``: PostgreSQL full-text search, SQLite FTS5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies import search_index, search_text

TABLE = Organisation._meta.db_table


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


def query_words(query: str) -> list[tuple[str, str]]:
    """The user's words as typed, each with one folded word of it (at most ``search_text.MAX_WORDS``):
    'Borås-Stad' → [('Borås-Stad', 'boras'), ('Borås-Stad', 'stad')]."""
    pairs = [(typed, word) for typed in query.split() for word in search_text.words(typed)]
    return pairs[: search_text.MAX_WORDS]


def word_matching(typed: str, word: str, field: str = "pk", *, common: bool = False) -> Q:
    """Organisations (``field``: their id, or a foreign key to them) in whose search text a word starts
    with ``word`` (the full-text index), or, for a row written without a search text, whose name, city
    or description has ``typed`` in it. ``common``: see ``search_index.word_in``."""
    unsearched = Organisation.objects.filter(search_text="").filter(
        Q(name__icontains=typed) | Q(city__icontains=typed) | Q(description__icontains=typed)
    )
    return search_index.word_in(field, TABLE, word, common=common) | (
        search_index.in_rows(field, unsearched.values("pk"), common=common)
    )


def matching(query: str) -> Q:
    """Organisations in which every word of ``query`` is found (accents and case ignored)."""
    condition = Q()
    for typed, word in query_words(query):
        condition &= word_matching(typed, word, common=search_index.is_common(TABLE, word))
    return condition

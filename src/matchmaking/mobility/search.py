"""Opportunity search: the folded search text (see ``taxonomies.search_text``) and its upkeep, matched
through the full-text index (``taxonomies.search_index``). The organisation's own words are searched in
the organisation's search text, so renaming an organisation needs no change here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import search as organisation_search
from matchmaking.taxonomies import search_index, search_text

TABLE = Opportunity._meta.db_table


def opportunity_search_text(opportunity: Opportunity, lists: dict[str, Any] | None = None) -> str:
    """Key, type, topics and target groups (labels in every language), description and support notes.
    ``lists``: the code lists by field name, when they are not stored yet."""
    parts: list[str] = [opportunity.key]
    parts += search_text.term_words(opportunity.type)
    for name in ("topics", "target_groups"):
        terms = lists.get(name, []) if lists is not None else getattr(opportunity, name).all()
        for term in terms:
            parts += search_text.term_words(term)
    parts += [opportunity.description, opportunity.support_notes]
    return search_text.build(parts)


def refresh_opportunity_search(ids: Iterable[int]) -> None:
    """Recompute the search text of these opportunities (after a write that may change it)."""
    wanted = list(ids)
    if not wanted:
        return
    rows = (
        Opportunity.objects.filter(pk__in=wanted)
        .select_related("type")
        .prefetch_related("topics", "target_groups")
    )
    changed = []
    for opportunity in rows:
        text = opportunity_search_text(opportunity)
        if text != opportunity.search_text:
            opportunity.search_text = text
            changed.append(opportunity)
    Opportunity.objects.bulk_update(changed, ["search_text"], batch_size=500)


def matching(query: str) -> Q:
    """Opportunities where every word of ``query`` is found in their own or their organisation's words
    (accents and case ignored; a word of the query matches the start of a word)."""
    condition = Q()
    for typed, word in organisation_search.query_words(query):
        unsearched = Opportunity.objects.filter(search_text="").filter(
            Q(description__icontains=typed) | Q(topics__code__icontains=typed)
        )
        common = any(search_index.is_common(table, word) for table in (TABLE, organisation_search.TABLE))
        condition &= (
            search_index.word_in("pk", TABLE, word, common=common)
            | search_index.in_rows("pk", unsearched.values("pk"), common=common)
            | organisation_search.word_matching(typed, word, field="organisation_id", common=common)
        )
    return condition

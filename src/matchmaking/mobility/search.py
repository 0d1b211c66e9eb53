"""The opportunities' folded search text (see ``taxonomies.search_text``) and its upkeep. The
organisation's own words are searched in the organisation's search text, so renaming an organisation
needs no change here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import search as organisation_search
from matchmaking.taxonomies import search_text


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
    (accents and case ignored), or as typed in the description."""
    condition = Q()
    for typed, folded in organisation_search.query_words(query):
        condition &= (
            Q(search_text__contains=folded)
            | Q(description__icontains=typed)
            | Q(topics__code__icontains=typed)
            | organisation_search.matching([(typed, folded)], prefix="organisation__")
        )
    return condition

"""The suggested skills a case worker ticks on the skills page: one shape for the three kinds of list.

A list comes from a search (each skill with why it was found), from the person's story (each skill
with the sentence of the story that supports it) or from an occupation (ESCO's own relation, or a skill
close in meaning). The page posts the whole list back when some are accepted, so that the rest can be
shown again without asking the finder twice; what is posted is only shown, never trusted: the skill
written into the profile takes its label from ESCO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchmaking.participants import esco_lookup

LISTS = ("story", "search", "occupation")
MAX_ITEMS = 50
"""A posted list is read up to its first 50 suggestions (the pages show 10 to 15)."""

WHY: dict[str, Promise] = {
    "keyword": _("Matches the words typed"),
    "model": _("Close in meaning to the words typed"),
    "both": _("Matches the words and is close in meaning"),
    "esco-relation": _("ESCO lists this skill for the occupation"),
    "nearest": _("Close in meaning to the occupation (not listed by ESCO)"),
    "story": _("From the story"),
}


@dataclass(frozen=True)
class Suggestion:
    uri: str
    label: str
    why: str  # a key of WHY
    sentence: str = ""  # the supporting part of the story, for story suggestions
    held: bool = False  # already in the profile (search results show it, marked so)

    @property
    def why_text(self) -> str:
        return str(WHY.get(self.why, ""))

    @property
    def key(self) -> str:
        """A stable, id-safe name of the skill (the last part of its ESCO address)."""
        return self.uri.rstrip("/").rsplit("/", 1)[-1]


def interface_language() -> str:
    """The interface language as the finder's hint: "sv", "nb", "de", "es", "ca" or "en"."""
    return (get_language() or "en").split("-")[0]


def _without(items: Iterable[Suggestion], held: set[str]) -> list[Suggestion]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.uri not in held and item.uri not in seen:
            seen.add(item.uri)
            kept.append(item)
    return kept


def from_search(query: str, *, held: set[str], limit: int = 10) -> list[Suggestion]:
    """Skills for the search box; those already in the profile stay in the answer, marked so."""
    hits = esco_lookup.find_skills(query, lang=interface_language(), limit=limit)
    return _without((Suggestion(h.uri, h.label, h.source, held=h.uri in held) for h in hits), set())


def from_story(story: str, *, held: set[str], limit: int = 12) -> list[Suggestion]:
    found = esco_lookup.suggest_from_story(story, lang=interface_language(), limit=limit)
    return _without((Suggestion(s.uri, s.label, "story", s.sentence.strip()) for s in found), held)


def from_occupation(uri: str, *, held: set[str], limit: int = 15) -> list[Suggestion]:
    found = esco_lookup.skills_for_occupation(uri, limit=limit)
    return _without((Suggestion(s.uri, s.label, s.source) for s in found), held)


def posted(data: Mapping[str, str]) -> list[Suggestion]:
    """The list a page posted back (``item-N-uri``, ``-label``, ``-why``, ``-sentence``), keeping only
    ESCO skills, in order. Numbers may be missing: accepted items leave the page."""
    items = []
    for n in range(MAX_ITEMS):
        uri = (data.get(f"item-{n}-uri") or "")[:200]
        if not uri or not esco_lookup.is_skill_uri(uri):
            continue
        why = data.get(f"item-{n}-why") or ""
        items.append(
            Suggestion(
                uri=uri,
                label=(data.get(f"item-{n}-label") or "")[:300] or esco_lookup.skill_label(uri),
                why=why if why in WHY else "",
                sentence=(data.get(f"item-{n}-sentence") or "")[:1000],
            )
        )
    return items

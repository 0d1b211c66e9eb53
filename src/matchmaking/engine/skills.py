"""Which ESCO skills count as *related*, honestly defined with the data we have.

ESCO as available here has no complete skill hierarchy and no complete occupation → skill relation
(see the ESCO data README). So "related" means one of two things we can actually compute:

1. **shared occupation** — both skills are listed for the same ESCO occupation in the relations we
   do have (``from_groups``: any grouping of skills, e.g. the occupation → skill lists available);
2. **similar labels** — the skills' preferred labels share most of their meaningful words
   (``from_labels``: Jaccard similarity of word sets ≥ a threshold, e.g. "use spreadsheets software"
   and "use word processing software" do not qualify at 0.5, "manage a team" and "manage staff
   team" do).

A related skill never fills a gap completely: it earns half credit, and the gap still lists the
required skill so a training step can close it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

from matchmaking.engine.text import words


class RelatedSkills:
    """A symmetric "is related to" relation between skill URIs."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.neighbours: dict[str, set[str]] = {}
        for a, b in pairs:
            if a != b:
                self.neighbours.setdefault(a, set()).add(b)
                self.neighbours.setdefault(b, set()).add(a)

    def related(self, uri: str) -> frozenset[str]:
        return frozenset(self.neighbours.get(uri, ()))

    def partial_matches(self, have: frozenset[str], missing: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """For each missing skill, the held skills related to it (only those with at least one)."""
        found = {}
        for skill in missing:
            near = sorted(self.neighbours.get(skill, set()) & have)
            if near:
                found[skill] = tuple(near)
        return found

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]], max_group: int = 60) -> RelatedSkills:
        """Skills listed together for one occupation are related (groups over ``max_group`` are skipped
        because a very long list relates everything to everything)."""
        pairs: list[tuple[str, str]] = []
        for group in groups:
            members = sorted(set(group))
            if len(members) <= max_group:
                pairs.extend(combinations(members, 2))
        return cls(pairs)

    @classmethod
    def from_labels(cls, labels: Mapping[str, str], threshold: float = 0.5) -> RelatedSkills:
        """Skills whose label word sets have Jaccard similarity ≥ ``threshold`` are related.

        Compared through an index of words so only skills sharing a word are ever compared.
        """
        word_sets = {uri: frozenset(words(label)) for uri, label in labels.items()}
        by_word: dict[str, list[str]] = {}
        for uri, ws in word_sets.items():
            for w in ws:
                by_word.setdefault(w, []).append(uri)
        pairs = set()
        for uri, ws in word_sets.items():
            candidates = {other for w in ws for other in by_word[w] if other > uri}
            for other in candidates:
                theirs = word_sets[other]
                if len(ws & theirs) / len(ws | theirs) >= threshold:
                    pairs.add((uri, other))
        return cls(pairs)

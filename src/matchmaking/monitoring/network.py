"""Who should meet whom: pairs of member organisations with a strong two-way fit that have never had
an exchange (in any state), with the reasons, for the coordinator to introduce them.

Two-way fit: each can show something the other wants to learn (one's expertise topics against the
other's learning interests, both ways). The score counts the topics both ways and adds one for a
working language in common; only pairs with a topic each way are listed. Reasons are kept as codes
(topics, languages) and put into words in the reader's language by the template.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Model, Q

from matchmaking.exchanges.models import Exchange
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term


@dataclass(frozen=True)
class Introduction:
    first: Organisation
    second: Organisation
    first_shows: tuple[str, ...]  # topic labels the first can show and the second wants to learn
    second_shows: tuple[str, ...]
    languages: tuple[str, ...]
    score: int


def _codes(through: type[Model], ids: set[int]) -> dict[int, set[str]]:
    """Each organisation's codes in one of its many-to-many code lists (its ``through`` table)."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = through._default_manager.filter(organisation_id__in=ids).values_list(
        "organisation_id", "term__code"
    )
    for org, code in rows:
        out[org].add(code)
    return out


def who_should_meet(*, limit: int = 30) -> list[Introduction]:
    """The ``limit`` pairs with the strongest two-way fit that have never exchanged, strongest first."""
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .exclude(kind__code="network")
        .select_related("region")
    }
    ids = set(organisations)
    expertise = _codes(Organisation.expertise.through, ids)
    interests = _codes(Organisation.interests.through, ids)
    languages = _codes(Organisation.languages.through, ids)
    met = {
        frozenset(pair)
        for pair in Exchange.objects.filter(Q(host_id__in=ids) | Q(visitor_id__in=ids))
        .values_list("host_id", "visitor_id")
        .order_by()
        .distinct()
    }
    labels = {t.code: t.label for t in Term.objects.of("practice-topics")}
    language_labels = {t.code: t.label for t in Term.objects.of("languages")}
    candidates: list[tuple[int, int, int, set[str], set[str], set[str]]] = []
    order = sorted(ids)
    for i, a in enumerate(order):
        if not expertise[a] or not interests[a]:
            continue
        for b in order[i + 1 :]:
            a_shows = expertise[a] & interests[b]
            if not a_shows:
                continue
            b_shows = expertise[b] & interests[a]
            if not b_shows or frozenset((a, b)) in met:
                continue
            common = languages[a] & languages[b]
            candidates.append(
                (len(a_shows) + len(b_shows) + (1 if common else 0), a, b, a_shows, b_shows, common)
            )
    candidates.sort(key=lambda c: (-c[0], organisations[c[1]].name, organisations[c[2]].name))
    return [
        Introduction(
            first=organisations[a],
            second=organisations[b],
            first_shows=tuple(sorted(labels.get(c, c) for c in a_shows)),
            second_shows=tuple(sorted(labels.get(c, c) for c in b_shows)),
            languages=tuple(sorted(language_labels.get(c, c) for c in common)),
            score=score,
        )
        for score, a, b, a_shows, b_shows, common in candidates[:limit]
    ]

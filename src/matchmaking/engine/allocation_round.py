"""One allocation round from files: score every pair, build preferences, allocate, explain, audit.

Used by ``matchmaking allocate`` and usable on its own. Scores come from ``people.match`` on the
``Participant`` records only; the ``Monitoring`` columns reach the floor and the fairness audit and
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matchmaking.engine.allocation import optimal_allocation, stable_allocation
from matchmaking.engine.allocation_files import ParticipantsFile, PlacementsFile
from matchmaking.engine.fairness import FairnessAudit, fairness_audit
from matchmaking.engine.optimal import CandidatePairs
from matchmaking.engine.people import PlacementMatch, match
from matchmaking.engine.reasons import Reason
from matchmaking.engine.skills import RelatedSkills

STABLE = "stable"
OPTIMAL = "optimal"
Step = Callable[[int, int], None]


@dataclass(frozen=True)
class RoundResult:
    """Who got what, with the score, the choice number, the skill gap and an explanation each."""

    rows: list[dict[str, str]]
    placed: int
    unplaced: int
    seats: int
    audit: FairnessAudit
    reasons: tuple[Reason, ...]


def score_all(
    people: ParticipantsFile,
    places: PlacementsFile,
    related: RelatedSkills | None = None,
    step: Step | None = None,
) -> list[list[PlacementMatch]]:
    """``matches[i][j]``: participant i at placement j (eligibility, score, gap, reasons)."""
    matches = []
    total = len(people.participants)
    for number, person in enumerate(people.participants, start=1):
        matches.append([match(person, place, related=related) for place in places.placements])
        if step is not None:
            step(number, total)
    return matches


def acceptable_lists(
    matches: list[list[PlacementMatch]], people: ParticipantsFile, places: PlacementsFile
) -> tuple[list[list[int]], list[list[int]]]:
    """Both sides' preference lists over eligible pairs.

    A stated ``preferences`` column is followed (ineligible entries dropped); otherwise a side ranks
    every eligible counterpart by score, best first, ties in file order.
    """
    place_index = {p.id: j for j, p in enumerate(places.placements)}
    person_index = {p.id: i for i, p in enumerate(people.participants)}
    participant_lists = []
    for i, row in enumerate(matches):
        stated = people.preferences[i]
        if stated is not None:
            order = [place_index[pid] for pid in stated]
        else:
            order = sorted(range(len(row)), key=lambda j, row=row: (-row[j].score, j))  # type: ignore[misc]
        participant_lists.append([j for j in order if row[j].eligible])
    placement_lists = []
    for j in range(len(places.placements)):
        stated = places.preferences[j]
        if stated is not None:
            order = [person_index[pid] for pid in stated]
        else:
            order = sorted(range(len(matches)), key=lambda i, j=j: (-matches[i][j].score, i))  # type: ignore[misc]
        placement_lists.append([i for i in order if matches[i][j].eligible])
    return participant_lists, placement_lists


def run_round(
    people: ParticipantsFile,
    places: PlacementsFile,
    method: str,
    *,
    floor: int = 0,
    related: RelatedSkills | None = None,
    step: Step | None = None,
) -> RoundResult:
    """Allocate with ``method`` (``stable`` or ``optimal``) and explain every participant's outcome."""
    matches = score_all(people, places, related, step)
    participant_lists, placement_lists = acceptable_lists(matches, people, places)
    capacities = [p.seats for p in places.placements]
    reasons: tuple[Reason, ...] = ()
    if method == STABLE:
        assignment = stable_allocation(participant_lists, placement_lists, capacities)
    elif method == OPTIMAL:
        mutual = [set(lst) for lst in placement_lists]
        pairs = [(i, j) for i, lst in enumerate(participant_lists) for j in lst if i in mutual[j]]
        candidates = CandidatePairs.of(
            [i for i, _ in pairs], [j for _, j in pairs], [matches[i][j].score for i, j in pairs]
        )
        result = optimal_allocation(
            len(people.participants),
            capacities,
            candidates,
            fewer_opportunities=[m.fewer_opportunities for m in people.monitoring],
            floor=floor,
        )
        assignment, reasons = result.assignment, result.reasons
    else:
        raise ValueError(f"unknown method {method!r} (use stable or optimal)")
    rows = [_row(people, places, matches, participant_lists, i, int(j)) for i, j in enumerate(assignment)]
    placed = int(np.sum(assignment >= 0))
    audit = fairness_audit(assignment, [m.group for m in people.monitoring])
    return RoundResult(rows, placed, len(rows) - placed, sum(capacities), audit, reasons)


def _row(
    people: ParticipantsFile,
    places: PlacementsFile,
    matches: list[list[PlacementMatch]],
    lists: list[list[int]],
    i: int,
    j: int,
) -> dict[str, str]:
    person = people.participants[i]
    if j >= 0:
        found = matches[i][j]
        return {
            "participant": person.id,
            "placement": places.placements[j].id,
            "score": f"{found.score:.1f}",
            "choice": str(lists[i].index(j) + 1),
            "skill_gap": ";".join(found.skill_gap),
            "explanation": " | ".join(r.text for r in found.reasons),
        }
    return {
        "participant": person.id,
        "placement": "",
        "score": "",
        "choice": "",
        "skill_gap": "",
        "explanation": _unplaced_explanation(matches[i], lists[i]),
    }


def _unplaced_explanation(row: list[PlacementMatch], listed: list[int]) -> str:
    if listed:
        return (
            f"Not placed: all {len(listed)} placement(s) this participant could take filled their seats "
            "with participants they ranked higher or that the allocation placed there"
        )
    if not row:
        return "Not placed: there are no placements"
    closest = min(row, key=lambda m: (len(m.reasons), -m.score))
    why = "; ".join(r.text for r in closest.reasons)
    return f"Not placed: no placement meets the hard rules (closest, {closest.placement}: {why})"

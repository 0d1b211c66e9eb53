"""One allocation round: score every pair, build both sides' lists, allocate, explain, audit.

The one pipeline behind the web app's allocation rounds and ``matchmaking allocate``, so both give the
same allocation for the same records. Scores come from ``people.match`` on ``Participant`` records
only; ``Monitoring`` reaches the optimal allocation's floor and the fairness audits and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from matchmaking.engine.allocation import stable_allocation
from matchmaking.engine.fairness import MIN_GROUP, FairnessAudit, fairness_audit
from matchmaking.engine.optimal import CandidatePairs, optimal_allocation
from matchmaking.engine.people import Participant, Placement, PlacementMatch, match
from matchmaking.engine.reasons import Labeller, Reason, reason_template
from matchmaking.engine.tiebreak import UIntArray, id_numbers, pair_numbers

STABLE = "stable"
OPTIMAL = "optimal"

# Why a participant is not placed (codes and English templates; the web app translates them).
UNPLACED_FULL = reason_template(
    "unplaced-full",
    "Not placed: all {count} placement(s) this participant could take filled their seats "
    "with participants they ranked higher or that the allocation placed there",
)
UNPLACED_NONE = reason_template("unplaced-none", "Not placed: there are no placements")
UNPLACED_RULES = reason_template(
    "unplaced-rules", "Not placed: no placement meets the hard rules (closest, {placement}: {why})"
)
UNPLACED_FIT = reason_template(
    "unplaced-fit",
    "No suitable placement: no placement reaches the minimum fit of {min_fit} "
    "(best, {placement}: fit {score})",
)
Step = Callable[[int, int], None]
Stated = Sequence[Sequence[str] | None]


@dataclass(frozen=True)
class Monitoring:
    """What is known about a participant for monitoring only, kept apart from ``Participant``.

    Parameters
    ----------
    fewer_opportunities : bool
        Counts towards the optimal allocation's floor; never towards a score.
    groups : Mapping[str, str | None]
        The participant's group in each fairness audit, by audit name; ``None`` leaves them out of
        that audit.

    Examples
    --------
    >>> Monitoring(True, {"region": "north"}).groups["region"]
    'north'
    """

    fewer_opportunities: bool = False
    groups: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One participant's result of a round, with everything needed to explain it.

    Parameters
    ----------
    participant : str
        The participant's id.
    placement : int
        Index of the placement given, or -1 when not placed.
    score : float or None
        The pair's score (``None`` when not placed).
    choice : int or None
        Where the placement is on the participant's own list (1 = first choice).
    skill_gap : tuple of str
        Required skills of the placement the participant lacks.
    reasons : tuple of Reason
        Why this pair scored as it did, or why the participant was not placed.
    options : tuple of int
        Every placement the participant could take, in the participant's order (for waiting lists).
    """

    participant: str
    placement: int
    score: float | None
    choice: int | None
    skill_gap: tuple[str, ...]
    reasons: tuple[Reason, ...]
    options: tuple[int, ...]

    @property
    def placed(self) -> bool:
        return self.placement >= 0


@dataclass(frozen=True)
class RoundResult:
    """The outcome of every participant, the fairness audits and the allocation's own reasons.

    Parameters
    ----------
    outcomes : tuple of Outcome
        One per participant, in input order.
    seats : int
        Seats offered by all placements together.
    audits : Mapping[str, FairnessAudit]
        One audit per group name found in the monitoring data.
    reasons : tuple of Reason
        Reasons about the whole allocation (for example whether the floor was met).
    """

    outcomes: tuple[Outcome, ...]
    seats: int
    audits: Mapping[str, FairnessAudit]
    reasons: tuple[Reason, ...]

    @property
    def assignment(self) -> list[int]:
        """Each participant's placement index, or -1."""
        return [o.placement for o in self.outcomes]

    @property
    def placed(self) -> int:
        return sum(1 for o in self.outcomes if o.placed)

    @property
    def unplaced(self) -> int:
        return len(self.outcomes) - self.placed


def score_all(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    *,
    labels: Labeller | None = None,
    step: Step | None = None,
) -> list[list[PlacementMatch]]:
    """Score every participant against every placement.

    Parameters
    ----------
    people, placements : sequences of Participant and Placement
    labels : callable, optional
        Turns skill and occupation codes into the labels shown in reasons.
    step : callable, optional
        Called as ``step(done, total)`` after each participant, for progress bars.

    Returns
    -------
    list of list of PlacementMatch
        ``matches[i][j]`` for participant ``i`` at placement ``j``.

    Examples
    --------
    >>> found = score_all([Participant("p1")], [Placement("q1"), Placement("q2")])
    >>> [m.placement for m in found[0]]
    ['q1', 'q2']
    """
    matches = []
    total = len(people)
    for number, person in enumerate(people, start=1):
        matches.append([match(person, place, labels=labels) for place in placements])
        if step is not None:
            step(number, total)
    return matches


def preference_lists(
    matches: Sequence[Sequence[PlacementMatch]],
    participant_preferences: Stated | None = None,
    placement_preferences: Stated | None = None,
) -> tuple[list[list[int]], list[list[int]]]:
    """Both sides' lists of the counterparts they would accept, most preferred first.

    A stated list (of ids) is followed, with the ineligible pairs dropped, because a person's own
    order counts more than the score; without one, a side ranks every eligible counterpart by score,
    equal scores by the pair's tie-break number (``tiebreak``: drawn from the two ids alone), so
    the outcome depends neither on the input order nor on anything but the data.

    Parameters
    ----------
    matches : ``matches[i][j]`` as returned by ``score_all``
    participant_preferences, placement_preferences : sequences of id lists or ``None``, optional
        One entry per participant (placement): the placement (participant) ids in the order wanted,
        or ``None`` to rank by score.

    Returns
    -------
    tuple of two lists of lists of int
        The participants' lists of placement indices and the placements' lists of participant
        indices.

    Examples
    --------
    >>> from matchmaking.engine.people import Skill
    >>> cook = Placement("q1", required_skills=("cook",))
    >>> people = [Participant("p1"), Participant("p2", skills=(Skill("cook"),))]
    >>> preference_lists(score_all(people, [cook, Placement("q2")]))
    ([[0, 1], [0, 1]], [[1, 0], [1, 0]])

    Both score 0 at q2; the pairs' tie-break numbers, not the input order, put p2 first there.
    """
    n = len(matches)
    m = len(matches[0]) if n else 0
    place_index = {matches[0][j].placement: j for j in range(m)} if n else {}
    person_index = {row[0].participant: i for i, row in enumerate(matches)} if m else {}
    ties = _pair_ties(matches).reshape(n, m).tolist()
    participant_lists = []
    for i, row in enumerate(matches):
        stated = participant_preferences[i] if participant_preferences is not None else None
        if stated is not None:
            order = [_index(place_index, pid, "placement") for pid in stated]
        else:
            order = sorted(range(m), key=lambda j, i=i, row=row: (-row[j].score, ties[i][j]))  # type: ignore[misc]
        participant_lists.append([j for j in order if row[j].eligible])
    placement_lists = []
    for j in range(m):
        stated = placement_preferences[j] if placement_preferences is not None else None
        if stated is not None:
            order = [_index(person_index, pid, "participant") for pid in stated]
        else:
            order = sorted(range(n), key=lambda i, j=j: (-matches[i][j].score, ties[i][j]))  # type: ignore[misc]
        placement_lists.append([i for i in order if matches[i][j].eligible])
    return participant_lists, placement_lists


def _pair_ties(
    matches: Sequence[Sequence[PlacementMatch]], pairs: tuple[list[int], list[int]] | None = None
) -> UIntArray:
    """Tie-break numbers of the given pairs (default: every pair, row by row) from the ids in ``matches``."""
    n = len(matches)
    m = len(matches[0]) if n else 0
    people = id_numbers([row[0].participant for row in matches]) if m else id_numbers([])
    places = id_numbers([matches[0][j].placement for j in range(m)]) if n else id_numbers([])
    if pairs is None:
        rows = np.repeat(np.arange(n, dtype=np.int64), m)
        cols = np.tile(np.arange(m, dtype=np.int64), n)
    else:
        rows, cols = np.asarray(pairs[0], dtype=np.int64), np.asarray(pairs[1], dtype=np.int64)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.uint64)
    return pair_numbers(people, places, rows, cols)


def _index(known: Mapping[str, int], key: str, what: str) -> int:
    try:
        return known[key]
    except KeyError:
        raise ValueError(f"a stated preference names an unknown {what} id {key!r}") from None


def run_round(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    monitoring: Sequence[Monitoring],
    method: str,
    *,
    floor: int = 0,
    min_fit: float = 0.0,
    participant_preferences: Stated | None = None,
    placement_preferences: Stated | None = None,
    labels: Labeller | None = None,
    step: Step | None = None,
) -> RoundResult:
    """Allocate participants to placements and explain every outcome.

    Monitoring data is taken as its own argument so that it can reach the floor and the audits
    while the scores provably see only the ``Participant`` records.

    Parameters
    ----------
    people, placements : sequences of Participant and Placement
        Each placement's ``seats`` are the seats this round may fill.
    monitoring : sequence of Monitoring
        One per participant, in the same order.
    method : {"stable", "optimal"}
        Stable: nobody would both rather be together. Optimal: most placed, then best total score.
    floor : int, optional
        Optimal only: place at least this many participants flagged ``fewer_opportunities``.
    min_fit : float, optional
        No pair scoring below this is ever proposed; a person with no pair at or above it is not
        placed, with the reason ``unplaced-fit`` and the skill gap of their best pair.
    participant_preferences, placement_preferences : optional
        Stated lists of ids, see ``preference_lists``.
    labels : callable, optional
        Code → label for the reasons' text.
    step : callable, optional
        ``step(done, total)`` while scoring, for progress bars.

    Returns
    -------
    RoundResult

    Examples
    --------
    >>> from matchmaking.engine.people import Skill
    >>> people = [Participant("p1", skills=(Skill("cook"),)), Participant("p2")]
    >>> kitchen = Placement("q1", seats=1, required_skills=("cook",))
    >>> result = run_round(people, [kitchen], [Monitoring(), Monitoring()], "stable")
    >>> [(o.participant, o.placement, o.score) for o in result.outcomes]
    [('p1', 0, 60.0), ('p2', -1, None)]
    >>> result.outcomes[1].reasons[0].code
    'unplaced-full'
    """
    if len(monitoring) != len(people):
        raise ValueError(f"{len(monitoring)} monitoring records for {len(people)} participants")
    matches = score_all(people, placements, labels=labels, step=step)
    return allocate_scored(
        matches,
        [p.id for p in people],
        [p.seats for p in placements],
        monitoring,
        method,
        floor=floor,
        min_fit=min_fit,
        participant_preferences=participant_preferences,
        placement_preferences=placement_preferences,
    )


def allocate_scored(
    matches: Sequence[Sequence[PlacementMatch]],
    participants: Sequence[str],
    capacities: Sequence[int],
    monitoring: Sequence[Monitoring],
    method: str,
    *,
    floor: int = 0,
    min_fit: float = 0.0,
    participant_preferences: Stated | None = None,
    placement_preferences: Stated | None = None,
) -> RoundResult:
    """The second half of ``run_round``: allocate and explain pairs that are already scored.

    Parameters
    ----------
    matches : ``matches[i][j]`` as returned by ``score_all``
    participants : sequence of str
        The participants' ids, in the order of ``matches``.
    capacities : sequence of int
        Seats per placement, in the order of ``matches[i]``.
    monitoring, method, floor, min_fit, participant_preferences, placement_preferences
        As for ``run_round``.

    Returns
    -------
    RoundResult

    Examples
    --------
    >>> matches = score_all([Participant("p1"), Participant("p2")], [Placement("q1")])
    >>> allocate_scored(matches, ["p1", "p2"], [1], [Monitoring(), Monitoring()], "optimal").placed
    1
    """
    if not len(monitoring) == len(participants) == len(matches):
        raise ValueError(f"{len(monitoring)} monitoring records for {len(participants)} participants")
    if not participants:  # nobody to place (everyone left the round, say): nothing to allocate
        return RoundResult((), sum(capacities), _audits([], [], monitoring), ())
    participant_lists, placement_lists = preference_lists(
        matches, participant_preferences, placement_preferences
    )
    if min_fit > 0:  # a pair below the minimum fit is never proposed, whatever the lists say
        participant_lists = [
            [j for j in lst if matches[i][j].score >= min_fit] for i, lst in enumerate(participant_lists)
        ]
        placement_lists = [
            [i for i in lst if matches[i][j].score >= min_fit] for j, lst in enumerate(placement_lists)
        ]
    return allocate_lists(
        matches,
        participant_lists,
        placement_lists,
        participants,
        capacities,
        monitoring,
        method,
        floor=floor,
        min_fit=min_fit,
        tie_break=lambda rows, cols: _pair_ties(matches, (rows, cols)),
    )


def allocate_lists(
    matches: Sequence[Sequence[PlacementMatch]],
    participant_lists: list[list[int]],
    placement_lists: list[list[int]],
    participants: Sequence[str],
    capacities: Sequence[int],
    monitoring: Sequence[Monitoring],
    method: str,
    *,
    floor: int,
    min_fit: float,
    tie_break: Callable[[list[int], list[int]], UIntArray],
) -> RoundResult:
    """Allocate on preference lists already cut to the allowed pairs, and explain every outcome.

    Shared by the full pipeline and the shortlisted one, so both apply the same method switch, the
    same mutual-pair rule and the same reasons. ``matches[i][j]`` needs only index access (a
    shortlisted row is a mapping by placement number). ``tie_break(rows, cols)`` numbers the pairs.
    """
    reasons: tuple[Reason, ...] = ()
    if method == STABLE:
        assignment = [int(j) for j in stable_allocation(participant_lists, placement_lists, capacities)]
    elif method == OPTIMAL:
        mutual = [set(lst) for lst in placement_lists]
        pairs = [(i, j) for i, lst in enumerate(participant_lists) for j in lst if i in mutual[j]]
        rows, cols = [i for i, _ in pairs], [j for _, j in pairs]
        candidates = CandidatePairs.of(rows, cols, [matches[i][j].score for i, j in pairs])
        result = optimal_allocation(
            len(participants),
            capacities,
            candidates,
            fewer_opportunities=[m.fewer_opportunities for m in monitoring],
            floor=floor,
            tie_break=tie_break(rows, cols),
        )
        assignment, reasons = [int(j) for j in result.assignment], result.reasons
    else:
        raise ValueError(f"unknown method {method!r} (use stable or optimal)")
    outcomes = tuple(
        _outcome(matches[i], participant_lists[i], j, participants[i], min_fit)
        for i, j in enumerate(assignment)
    )
    scores = [o.score for o in outcomes]
    return RoundResult(outcomes, sum(capacities), _audits(assignment, scores, monitoring), reasons)


def _outcome(
    row: Sequence[PlacementMatch], listed: list[int], j: int, participant: str, min_fit: float = 0.0
) -> Outcome:
    if j >= 0:
        found = row[j]
        return Outcome(
            participant, j, found.score, listed.index(j) + 1, found.skill_gap, found.reasons, tuple(listed)
        )
    below = [m for m in row if m.eligible]
    if not listed and below and min_fit > 0:
        # Only pairs below the minimum fit: "no suitable placement", with the gaps of the best of them.
        best = max(below, key=lambda m: (m.score, -len(m.skill_gap)))
        reason = UNPLACED_FIT.of(
            min_fit=_number(min_fit), placement=best.placement, score=_number(best.score)
        )
        return Outcome(participant, -1, None, None, best.skill_gap, (reason.with_parts(best.reasons),), ())
    return Outcome(participant, -1, None, None, (), (_unplaced(row, listed),), tuple(listed))


def _number(value: float) -> int | float:
    """A score as written in a sentence: 40, not 40.0."""
    return int(value) if float(value).is_integer() else round(value, 1)


def _unplaced(row: Sequence[PlacementMatch], listed: list[int]) -> Reason:
    if listed:
        return UNPLACED_FULL.of(count=len(listed))
    if not row:
        return UNPLACED_NONE.of()
    closest = min(row, key=lambda m: (len(m.reasons), -m.score))
    return UNPLACED_RULES.of(
        placement=closest.placement, why="; ".join(r.text for r in closest.reasons)
    ).with_parts(closest.reasons)


def _audits(
    assignment: list[int], scores: Sequence[float | None], monitoring: Sequence[Monitoring]
) -> dict[str, FairnessAudit]:
    """Placement rates and fit of the placed, per group of each kind; groups under MIN_GROUP suppressed."""
    names = list(dict.fromkeys(name for m in monitoring for name in m.groups))
    return {
        name: fairness_audit(
            assignment, [m.groups.get(name) for m in monitoring], scores=scores, min_group=MIN_GROUP
        )
        for name in names
    }

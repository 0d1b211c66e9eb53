"""Rounds at real size: a shortlist per person by the sparse ranking, the explained score only there.

Scoring every pair with ``people.match`` costs about 115 µs and 1.8 KB a pair, so 20,000 people ×
2,000 placements (40 million pairs) would need over an hour and tens of gigabytes. The round
instead runs in three steps:

1. **Rank.** ``score_features`` writes the score as a product of two sparse matrices: people ×
   items (skills and occupations of interest) and placements × items (the points each item earns).
   ``ranking.top_k`` finds each person's ``2 k`` best placements by this *linear score*.
2. **Keep what the hard rules allow.** ``PlacementRules`` checks the hard rules of
   ``people.exclusions`` (languages, dates, support, going abroad) on whole arrays at once. The
   first ``k`` allowed candidates are the shortlist. A person with fewer than ``k`` allowed
   candidates (most candidates broken by a hard rule, or few placements with any fit) is ranked
   again against every placement, densely, with the rules applied, so nobody loses a placement
   they could take because of the ranking.
3. **Explain.** ``people.match`` scores and explains the shortlisted pairs only; the allocation
   (``allocate_shortlisted``) runs on those pairs exactly as ``allocation_round.allocate_scored``
   runs on all of them.

The relation between the two scores: for a pair that meets the hard rules, the explained score is
the linear score rounded to 0.1 (the linear score adds the same points, in float32); for a pair
that breaks one, the explained score is 0 and the pair is never proposed. So the linear score is
an upper bound of the explained score, equal to it (up to rounding) on every pair that can be
proposed, and the shortlist is the ``k`` best pairs a person can take, ties at the ``k``-th place
broken by placement order. When ``k`` is at least the number of placements every pair is scored
and the allocation is the one ``allocate_scored`` gives (a test checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matchmaking.engine.allocation_round import (
    Monitoring,
    RoundResult,
    _audits,
    allocate_lists,
)
from matchmaking.engine.languages import cefr_rank, language_family
from matchmaking.engine.people import Participant, Placement, PlacementMatch, PlacementWeights, match
from matchmaking.engine.ranking import TopK, top_k
from matchmaking.engine.reasons import Labeller
from matchmaking.engine.tiebreak import id_numbers, pair_numbers

SHORTLIST = 20  # placements per person scored and explained
EXPLAIN_UNPLACED = 3  # pairs explained for a person no placement is open to (the closest ones)
Step = Callable[[int, int], None]
Ranker = Callable[..., TopK]
BoolArray = npt.NDArray[np.bool_]


def score_features(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    weights: PlacementWeights | None = None,
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """People × items and placements × items, so that ``A @ W.T`` is the score before the hard rules.

    Skills and occupations get separate columns (a skill and an occupation with the same code never
    meet), and each placement's row holds the points of ``people.match``: required skills share the
    required weight, desired skills the desired weight, the occupation takes the interest weight.

    Examples
    --------
    >>> from matchmaking.engine.people import Skill
    >>> a, w = score_features([Participant("p", skills=(Skill("cook"),))],
    ...                       [Placement("q", required_skills=("cook", "serve"))])
    >>> (a @ w.T).toarray().tolist()
    [[30.0]]
    """
    parts = (weights or PlacementWeights()).parts()
    total = sum(max(v, 0.0) for v in parts.values()) or 1.0
    w_req, w_des, w_occ = (
        100.0 * max(parts[name], 0.0) / total
        for name in ("required_skills", "desired_skills", "occupation_interest")
    )
    vocabulary: dict[tuple[str, str], int] = {}
    cells: dict[tuple[int, int], float] = {}
    for r, place in enumerate(placements):
        groups = (
            ({("s", s) for s in place.required_skills}, w_req),
            ({("s", s) for s in place.desired_skills}, w_des),
            ({("o", place.occupation)} if place.occupation else set(), w_occ),
        )
        for items, share in groups:
            for item in items:
                c = vocabulary.setdefault(item, len(vocabulary))
                cells[(r, c)] = cells.get((r, c), 0.0) + share / len(items)
    w = sp.csr_matrix(
        (
            np.fromiter(cells.values(), dtype=np.float32, count=len(cells)),
            ([rc[0] for rc in cells], [rc[1] for rc in cells]),
        ),
        shape=(len(placements), len(vocabulary)),
        dtype=np.float32,
    )
    rows: list[int] = []
    cols: list[int] = []
    for r, person in enumerate(people):
        held = {("s", s.uri) for s in person.skills} | {("o", o) for o in person.occupation_interests}
        for c in {vocabulary[x] for x in held if x in vocabulary}:
            rows.append(r)
            cols.append(c)
    a = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(people), len(vocabulary)),
        dtype=np.float32,
    )
    return a, w


FAR = 10**9  # a day number beyond any date, for open-ended availability and placements


@dataclass(frozen=True)
class PlacementRules:
    """The hard rules of ``people.exclusions``, as arrays over the placements, checked in bulk.

    ``allowed(people)`` is ``True`` exactly where ``people.exclusions`` is empty (a property test
    compares them on generated records).
    """

    families: dict[str, int]
    need: npt.NDArray[np.int8]  # placements × language families: CEFR rank needed, -1 none
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    support: dict[str, int]
    lacking: npt.NDArray[np.float32]  # placements × support codes: 1 where not offered
    countries: dict[str, int]
    country: npt.NDArray[np.int64]  # 0 for none

    @classmethod
    def of(cls, placements: Sequence[Placement]) -> PlacementRules:
        families: dict[str, int] = {}
        support: dict[str, int] = {}
        countries: dict[str, int] = {"": 0}
        for place in placements:
            for lang in place.languages:
                families.setdefault(language_family(lang.code), len(families))
            for code in sorted(place.support_offered):
                support.setdefault(code, len(support))
            countries.setdefault(place.country, len(countries))
        m = len(placements)
        need = np.full((m, len(families)), -1, dtype=np.int8)
        lacking = np.ones((m, len(support)), dtype=np.float32)
        for j, place in enumerate(placements):
            for lang in place.languages:
                f = families[language_family(lang.code)]
                need[j, f] = max(need[j, f], cefr_rank(lang.level))
            for code in place.support_offered:
                lacking[j, support[code]] = 0.0
        start = np.array([p.start.toordinal() if p.start else FAR for p in placements], dtype=np.int64)
        end = np.array([p.end.toordinal() if p.end else -FAR for p in placements], dtype=np.int64)
        country = np.array([countries[p.country] for p in placements], dtype=np.int64)
        return cls(families, need, start, end, support, lacking, countries, country)

    def allowed(
        self, people: Sequence[Participant], columns: npt.NDArray[np.intp] | None = None
    ) -> BoolArray:
        """People × placements: ``True`` where no hard rule is broken.

        ``columns`` (people × c, placement numbers) checks each person against their own
        placements only; without it, against every placement.
        """
        cols = np.arange(len(self.start))[None, :] if columns is None else columns
        n = len(people)
        have = np.full((n, len(self.families)), -1, dtype=np.int8)
        wants = np.zeros((n, len(self.support)), dtype=np.float32)
        impossible = np.zeros(n, dtype=bool)  # asks for support no placement offers
        begin = np.empty(n, dtype=np.int64)
        until = np.empty(n, dtype=np.int64)
        home = np.zeros(n, dtype=np.int64)
        willing = np.zeros(n, dtype=bool)
        for i, person in enumerate(people):
            levels = {language_family(lang.code): cefr_rank(lang.level) for lang in person.languages}
            for family, rank in levels.items():
                if family in self.families:
                    have[i, self.families[family]] = rank
            for code in person.support_requirements:
                if code in self.support:
                    wants[i, self.support[code]] = 1.0
                else:
                    impossible[i] = True
            begin[i] = person.available_from.toordinal() if person.available_from else -FAR
            until[i] = person.available_until.toordinal() if person.available_until else FAR
            home[i] = self.countries.get(person.home_country, -1) if person.home_country else 0
            willing[i] = person.willing_to_go_abroad
        ok = np.ones((n, cols.shape[1]), dtype=bool)
        for f in range(len(self.families)):
            ok &= have[:, f, None] >= self.need[cols, f]
        ok &= ~(self.start[cols] < begin[:, None])
        ok &= ~(self.end[cols] > until[:, None])
        if len(self.support):
            if columns is None:
                ok &= (wants @ self.lacking.T) == 0
            else:
                ok &= np.einsum("ns,ncs->nc", wants, self.lacking[cols]) == 0
        ok &= ~impossible[:, None]
        place_country = self.country[cols]
        abroad = (place_country != 0) & (home[:, None] != 0) & (place_country != home[:, None])
        ok &= ~(abroad & ~willing[:, None])
        return ok


def shortlist(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    *,
    k: int = SHORTLIST,
    weights: PlacementWeights | None = None,
    chunk_rows: int = 2000,
    ranker: Ranker = top_k,
    step: Step | None = None,
) -> list[list[int]]:
    """Each person's placements to score and explain: the ``k`` best they can take, by linear score.

    With ``k`` at least the number of placements, every placement (allowed or not). A person who
    can take none gets the ``EXPLAIN_UNPLACED`` closest placements by linear score, so the reason
    for not placing them names one.

    Parameters
    ----------
    people, placements : sequences of Participant and Placement
    k : int, optional
    weights : PlacementWeights, optional
    chunk_rows : int, optional
        People ranked and checked together (bounded memory).
    ranker : callable, optional
        ``ranker(A, W, k, chunk_rows=..., progress=...)`` returning ``TopK``; ``ranking.top_k`` by
        default, ``distributed.top_k_dask`` bound to a client to rank on a cluster.
    step : callable, optional
        ``step(done, len(people))`` while ranking.

    Returns
    -------
    list of list of int
        Placement indices per person, best first.
    """
    n, m = len(people), len(placements)
    if k >= m:
        if step is not None:
            step(n, n)
        return [list(range(m)) for _ in range(n)]
    a, w = score_features(people, placements, weights)
    found = ranker(a, w, min(2 * k, m), chunk_rows=chunk_rows, progress=step)
    rules = PlacementRules.of(placements)
    out: list[list[int]] = []
    for start in range(0, n, chunk_rows):
        block = people[start : start + chunk_rows]
        cand = found.placements[start : start + chunk_rows]
        ok = rules.allowed(block, np.maximum(cand, 0).astype(np.intp)) & (cand >= 0)
        short = np.flatnonzero(ok.sum(axis=1) < k)
        lists = [cand[r][ok[r]][:k].tolist() for r in range(len(block))]
        if len(short):
            dense = _dense_lists([block[int(r)] for r in short], a[start + short], w, rules, k)
            for r, lst in zip(short.tolist(), dense, strict=True):
                lists[r] = lst
        out.extend(lists)
    return out


def _dense_lists(
    people: Sequence[Participant], rows: sp.csr_matrix, w: sp.csr_matrix, rules: PlacementRules, k: int
) -> list[list[int]]:
    """Rank against every placement, hard rules applied: the ``k`` best allowed (score ≥ 0), or the
    closest ones when none is allowed."""
    scores = np.asarray((rows @ w.T).todense(), dtype=np.float32)
    allowed = rules.allowed(people)
    masked = np.where(allowed, scores, np.float32(-1.0))
    out = []
    for r in range(len(people)):
        if allowed[r].any():
            order = np.argsort(-masked[r], kind="stable")[: min(k, int(allowed[r].sum()))]
        else:
            order = np.argsort(-scores[r], kind="stable")[:EXPLAIN_UNPLACED]
        out.append(order.tolist())
    return out


class ScoredRow:
    """One person's explained pairs, indexed by placement number, iterated in placement order.

    Stands in for a full row of ``score_all`` (``row[j]``, ``for m in row``) with only the
    shortlisted pairs.
    """

    __slots__ = ("by_placement",)

    def __init__(self, matches: dict[int, PlacementMatch]) -> None:
        self.by_placement = dict(sorted(matches.items()))

    def __getitem__(self, j: int) -> PlacementMatch:
        return self.by_placement[j]

    def __iter__(self) -> Iterator[PlacementMatch]:
        return iter(self.by_placement.values())

    def __len__(self) -> int:
        return len(self.by_placement)


def score_shortlisted(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    lists: Sequence[Sequence[int]],
    *,
    labels: Labeller | None = None,
    step: Step | None = None,
) -> list[ScoredRow]:
    """``people.match`` on the shortlisted pairs only."""
    out = []
    total = len(people)
    for number, (person, js) in enumerate(zip(people, lists, strict=True), start=1):
        out.append(ScoredRow({j: match(person, placements[j], labels=labels) for j in js}))
        if step is not None:
            step(number, total)
    return out


def allocate_shortlisted(
    rows: Sequence[ScoredRow],
    participants: Sequence[str],
    placements: Sequence[str],
    capacities: Sequence[int],
    monitoring: Sequence[Monitoring],
    method: str,
    *,
    floor: int = 0,
    min_fit: float = 0.0,
) -> RoundResult:
    """``allocate_scored`` on the shortlisted pairs: the same lists, rules, tie-breaks and reasons.

    A placement ranks the people who shortlisted it; a person ranks their shortlist. With every
    pair shortlisted this is ``allocate_scored`` exactly.
    """
    if not len(monitoring) == len(participants) == len(rows):
        raise ValueError(f"{len(monitoring)} monitoring records for {len(participants)} participants")
    if not participants:
        return RoundResult((), sum(capacities), _audits([], [], monitoring), ())
    people_no, place_no = id_numbers(list(participants)), id_numbers(list(placements))
    pi = np.array([i for i, row in enumerate(rows) for _ in row.by_placement], dtype=np.int64)
    pj = np.array([j for row in rows for j in row.by_placement], dtype=np.int64)
    ties = pair_numbers(people_no, place_no, pi, pj).tolist() if len(pi) else []
    tie = {(int(i), int(j)): t for i, j, t in zip(pi.tolist(), pj.tolist(), ties, strict=True)}
    participant_lists: list[list[int]] = []
    by_place: list[list[int]] = [[] for _ in placements]
    for i, row in enumerate(rows):
        eligible = [j for j, m in row.by_placement.items() if m.eligible and m.score >= min_fit]
        eligible.sort(key=lambda j, i=i, row=row: (-row[j].score, tie[(i, j)]))  # type: ignore[misc]
        participant_lists.append(eligible)
        for j in eligible:
            by_place[j].append(i)
    placement_lists = [
        sorted(lst, key=lambda i, j=j: (-rows[i][j].score, tie[(i, j)]))  # type: ignore[misc]
        for j, lst in enumerate(by_place)
    ]
    return allocate_lists(
        rows,  # type: ignore[arg-type]  # a ScoredRow is indexed by placement number like a list
        participant_lists,
        placement_lists,
        participants,
        capacities,
        monitoring,
        method,
        floor=floor,
        min_fit=min_fit,
        tie_break=lambda r, c: np.array([tie[p] for p in zip(r, c, strict=True)], dtype=np.uint64),
    )


def shortlist_and_score(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    *,
    k: int = SHORTLIST,
    labels: Labeller | None = None,
    ranker: Ranker = top_k,
    step: Step | None = None,
) -> list[ScoredRow]:
    """Each person's ``k`` best placements they can take, explained: the rows a round allocates on.

    ``step(done, total)`` counts the people explained; while ranking, ``done`` is 0 after each chunk,
    so a progress bar moves (and a watchdog sees the work alive) before the first person is explained.
    """
    n = len(people)
    lists = shortlist(
        people,
        placements,
        k=k,
        ranker=ranker,
        step=None if step is None else (lambda _done, _total: step(0, n)),
    )
    return score_shortlisted(people, placements, lists, labels=labels, step=step)


def run_round_shortlisted(
    people: Sequence[Participant],
    placements: Sequence[Placement],
    monitoring: Sequence[Monitoring],
    method: str,
    *,
    k: int = SHORTLIST,
    floor: int = 0,
    min_fit: float = 0.0,
    labels: Labeller | None = None,
    ranker: Ranker = top_k,
    step: Step | None = None,
) -> RoundResult:
    """``allocation_round.run_round`` for large rounds: shortlist, explain, allocate.

    ``step(done, total)`` counts the people explained; while ranking, ``done`` is 0 after each chunk.
    """
    rows = shortlist_and_score(people, placements, k=k, labels=labels, ranker=ranker, step=step)
    return allocate_shortlisted(
        rows,
        [p.id for p in people],
        [p.id for p in placements],
        [p.seats for p in placements],
        monitoring,
        method,
        floor=floor,
        min_fit=min_fit,
    )

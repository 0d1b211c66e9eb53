"""Partner suggestions for many opportunities at once: array scores, the top cut, then the reasons.

``PartnerBatch`` gives, for each opportunity, the list ``partners.suggest_partners`` gives (same
suggestions, scores, order, reasons), but works in three steps:

1. the candidates of ``PartnerIndex`` (and the kind and group-size rules, ``PartnerArrays.compatible``)
   are scored as arrays, a chunk of opportunities at a time (``PartnerArrays.scores``);
2. the list is cut to the ``top`` before any sentence is written (``select``): sorted by score (ties by
   organisation and opportunity id), and, with the country spread, by the spread's ordering value;
3. only the kept pairs are scored again by ``partners.score_pair`` for their breakdown and reasons; the
   array score of each is checked against it (a pair that differs sends the opportunity through the
   per-pair scorer, counted in ``stats["fallbacks"]``).

The country spread (``partners.spread_across_countries``) is greedy: each pick lowers the ordering
value of the rest of its country by the penalty. The suggestion ranked ``r``-th in its country is
picked with the value ``score - penalty * r`` (every better one of its country is picked before it,
and the value of a country's best left is the largest of that country), so the greedy order is the
candidates sorted by that value, ties by their place in the score order. ``select`` sorts by it
directly, on the best-scoring prefix that provably holds the first ``top``.

Organisations to invite (``invites``) take their candidates from the index, whose set of
organisations with an open opportunity is computed once per network, not once per list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from matchmaking.engine.network import Network
from matchmaking.engine.partner_arrays import PartnerArrays
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.engine.partner_reasons import COUNTRY_SPREAD
from matchmaking.engine.partner_rules import too_big
from matchmaking.engine.partners import (
    DEFAULT_WEIGHTS,
    PartnerSuggestion,
    PartnerWeights,
    _finish,
    _score_profile,
    score_pair,
    suggest_partners,
    wished_place,
)
from matchmaking.engine.places import PlacePreference

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CHUNK_PAIRS = 200_000
"""About how many pairs are scored in one array operation (memory: about 1 KB a pair)."""


def select(
    scores: FloatArray, tie_rank: IntArray, country: IntArray, top: int, penalty: float
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """The first ``top`` of a list after sorting and the country spread, and which of them moved up.

    Parameters
    ----------
    scores : array of float
    tie_rank : array of int
        Order of ties (by organisation and opportunity id).
    country : array of int
    top : int
    penalty : float
        Points off the ordering value per better suggestion of the same country; 0: no spread.

    Returns
    -------
    (array of int, array of bool)
        Indices into the inputs, best first, and for each whether it stands higher than its place
        in the score order (it then says so in its reasons).

    Examples
    --------
    >>> picked, moved = select(np.array([80.0, 75, 70]), np.arange(3), np.array([0, 0, 1]), 3, 10)
    >>> picked.tolist(), moved.tolist()
    ([0, 2, 1], [False, True, False])
    """
    n = len(scores)
    order = np.lexsort((tie_rank, -scores))
    if penalty <= 0 or n == 0:
        chosen = order[:top]
        return chosen, np.zeros(len(chosen), dtype=bool)
    size = min(n, max(4 * top, 64))
    while True:
        prefix = order[:size]
        ranks = _rank_in_group(country[prefix])
        value = scores[prefix] - penalty * ranks
        ordered = np.lexsort((np.arange(len(prefix)), -value))[:top]
        # Anything past the prefix scores at most scores[order[size]], and its value no more.
        if size == n or (len(ordered) == top and value[ordered[-1]] >= scores[order[size]]):
            break
        size = min(n, 2 * size)
    return prefix[ordered], ordered > np.arange(len(ordered))


def _rank_in_group(groups: IntArray) -> IntArray:
    """For each element, how many before it share its group (``[0, 0, 1, 0, 2]`` for ``a b a c a``)."""
    by_group = np.argsort(groups, kind="stable")
    sorted_groups = groups[by_group]
    starts = np.r_[0, np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    ranks = np.empty(len(groups), dtype=np.int64)
    ranks[by_group] = np.arange(len(groups)) - run_start
    return ranks


class PartnerBatch:
    """Suggestions for many opportunities of one network, scored as arrays.

    Parameters
    ----------
    network : Network
    index : PartnerIndex, optional
        Built on the same network (default: built here).
    arrays : PartnerArrays, optional
        Built on the same network and index (default: built here).

    Examples
    --------
    >>> from matchmaking.engine.network import Opportunity, Organisation
    >>> network = Network(
    ...     [Organisation("a", expertise=("mentoring",)), Organisation("b", interests=("mentoring",))],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", topics=("outreach",), languages=("en",)),
    ...     ],
    ... )
    >>> found = PartnerBatch(network).suggest(["want", "give"])
    >>> [(s.opportunity, s.score) for s in found["want"]], [s.opportunity for s in found["give"]]
    ([('give', 71.4)], ['want'])
    """

    def __init__(
        self, network: Network, index: PartnerIndex | None = None, arrays: PartnerArrays | None = None
    ) -> None:
        self.network = network
        self.index = index if index is not None else PartnerIndex(network)
        self.arrays = arrays if arrays is not None else PartnerArrays(network, self.index)
        self._places: dict[int, PlacePreference] = {}
        self.stats: Counter[str] = Counter()
        self.thresholds: dict[str, float] = {}
        """Per opportunity, the ordering value a candidate must reach to enter its list."""
        self.kept: dict[str, frozenset[str]] = {}
        """Per opportunity, the opportunities of its list (before ``keep`` and ``limit``)."""

    def place(self, row: int) -> PlacePreference:
        """What the opportunity of ``row`` asks for (read once per batch)."""
        found = self._places.get(row)
        if found is None:
            found = self._places[row] = wished_place(self.network, self.arrays.opportunities[row])
        return found

    def known_places(self, opportunity_ids: Iterable[str]) -> dict[int, PlacePreference]:
        """The places already read of these opportunities, by row (what a forked copy hands back)."""
        rows = (self.index.position[key] for key in opportunity_ids)
        return {row: self._places[row] for row in rows if row in self._places}

    def add_places(self, places: Mapping[int, PlacePreference]) -> None:
        """Places read by a copy of this batch (same network, same rows)."""
        self._places.update(places)

    def candidate_rows(self, opportunity_id: str) -> IntArray:
        """Rows that break no hard rule with ``opportunity_id``."""
        rows = self.index.candidate_rows(opportunity_id)
        ours = self.index.position[opportunity_id]
        return rows[self.arrays.compatible(ours, rows)]

    def scored(self, opportunity_ids: Sequence[str], weights: PartnerWeights = DEFAULT_WEIGHTS) -> Iterable[
        tuple[str, IntArray, FloatArray]
    ]:  # fmt: skip
        """(opportunity, candidate rows, their scores) of each opportunity, scored in chunks."""
        pending: list[tuple[str, IntArray]] = []
        size = 0
        for key in opportunity_ids:
            rows = self.candidate_rows(key)
            pending.append((key, rows))
            size += len(rows)
            if size >= CHUNK_PAIRS:
                yield from self._score(pending, weights)
                pending, size = [], 0
        yield from self._score(pending, weights)

    def _score(
        self, pending: list[tuple[str, IntArray]], weights: PartnerWeights
    ) -> Iterable[tuple[str, IntArray, FloatArray]]:
        if not pending:
            return
        ours = np.concatenate(
            [np.full(len(rows), self.index.position[key], dtype=np.int64) for key, rows in pending]
        )
        theirs = np.concatenate([rows for _, rows in pending])
        scores = self.arrays.scores(ours, theirs, self.place, weights)
        start = 0
        for key, rows in pending:
            yield key, rows, scores[start : start + len(rows)]
            start += len(rows)

    def suggest(
        self,
        opportunity_ids: Sequence[str],
        *,
        top: int = 10,
        weights: PartnerWeights = DEFAULT_WEIGHTS,
        keep: Container[str] | None = None,
        limit: int | None = None,
    ) -> dict[str, list[PartnerSuggestion]]:
        """``partners.suggest_partners`` of each opportunity (the same lists), by opportunity id.

        With ``keep``, only the suggestions of those opportunities are kept from each list, and
        with ``limit`` only that many of them: the same as filtering and cutting the lists, but
        without explaining what is dropped.
        """
        found: dict[str, list[PartnerSuggestion]] = {}
        for key, rows, scores in self.scored(opportunity_ids, weights):
            found[key] = self.finish(key, rows, scores, top=top, weights=weights, keep=keep, limit=limit)
        return found

    def rank(
        self, opportunity_ids: Sequence[str], *, top: int = 10, weights: PartnerWeights = DEFAULT_WEIGHTS
    ) -> int:
        """Score and cut the lists of these opportunities without explaining or returning them: what a
        change refresh needs to know of each list (``thresholds``, ``kept``). Returns the pairs scored."""
        pairs = 0
        for key, rows, scores in self.scored(opportunity_ids, weights):
            country = self.arrays.country[rows]
            picked, _ = select(scores, self.arrays.tie_rank[rows], country, top, weights.country_spread)
            self._remember(key, rows, scores, picked, country, top, weights)
            pairs += len(rows)
        return pairs

    def finish(
        self,
        key: str,
        rows: IntArray,
        scores: FloatArray,
        *,
        top: int,
        weights: PartnerWeights,
        keep: Container[str] | None = None,
        limit: int | None = None,
    ) -> list[PartnerSuggestion]:
        """The kept suggestions of one opportunity from its candidates' array scores, explained."""
        chosen = self.picks(key, rows, scores, top=top, weights=weights, keep=keep, limit=limit)
        return self.explain(key, rows, scores, chosen, top=top, weights=weights, keep=keep, limit=limit)

    def picks(
        self,
        key: str,
        rows: IntArray,
        scores: FloatArray,
        *,
        top: int,
        weights: PartnerWeights,
        keep: Container[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[int, bool]]:
        """What ``finish`` keeps of one list, before any sentence is written: (index into ``rows``,
        moved up by the country spread) of each suggestion, best first. A refresh compares them with
        the stored list, and explains and writes only a list that changed."""
        country = self.arrays.country[rows]
        picked, moved = select(scores, self.arrays.tie_rank[rows], country, top, weights.country_spread)
        self._remember(key, rows, scores, picked, country, top, weights)
        chosen: list[tuple[int, bool]] = []
        for at, up in zip(picked.tolist(), moved.tolist(), strict=True):
            if keep is not None and self.arrays.opportunities[int(rows[at])].id not in keep:
                continue
            if limit is not None and len(chosen) >= limit:
                break
            chosen.append((at, up))
        self.stats["scored"] += len(rows)
        return chosen

    def explain(
        self,
        key: str,
        rows: IntArray,
        scores: FloatArray,
        chosen: list[tuple[int, bool]],
        *,
        top: int,
        weights: PartnerWeights,
        keep: Container[str] | None = None,
        limit: int | None = None,
    ) -> list[PartnerSuggestion]:
        """The suggestions ``picks`` chose, scored pair by pair for their breakdown and reasons. A pair
        whose score differs from its array score sends the whole list through the per-pair scorer."""
        ours = self.network.opportunity(key)
        place = self.place(self.index.position[key])
        kept: list[PartnerSuggestion] = []
        for at, up in chosen:
            theirs = self.arrays.opportunities[int(rows[at])]
            found = score_pair(self.network, ours, theirs, weights, place)
            if found.score != scores[at]:
                self.stats["fallbacks"] += 1
                listed = suggest_partners(
                    self.network, key, top=top, weights=weights, candidates=self.index.candidates(key)
                )
                return [s for s in listed if keep is None or s.opportunity in keep][:limit]
            if up:
                country = found.country
                found = replace(found, reasons=(*found.reasons, COUNTRY_SPREAD.of(country=country)))
            kept.append(found)
        self.stats["explained"] += len(kept)
        return kept

    def entering(
        self, opportunity_id: str, weights: PartnerWeights = DEFAULT_WEIGHTS
    ) -> tuple[list[str], FloatArray]:
        """The opportunities that have ``opportunity_id`` among their candidates, and its score in
        each of their lists (what a change refresh compares with their thresholds)."""
        theirs = self.index.position[opportunity_id]
        lists = np.array(
            [self.index.position[k] for k in self.index.interested_in(opportunity_id)], dtype=np.int64
        )
        lists = lists[self.arrays.compatible(lists, np.full(len(lists), theirs, dtype=np.int64))]
        scores = self.arrays.scores(lists, np.full(len(lists), theirs, dtype=np.int64), self.place, weights)
        return [self.index.ids[int(row)] for row in lists], scores

    def _remember(
        self,
        key: str,
        rows: IntArray,
        scores: FloatArray,
        picked: IntArray,
        country: IntArray,
        top: int,
        weights: PartnerWeights,
    ) -> None:
        """Keep what a later change needs to know of this list: the ordering value a newcomer must
        reach to enter it (minus infinity while the list is not full) and what it holds. A newcomer's
        ordering value is at most its score, so one scoring below the threshold cannot enter."""
        if len(picked) < top:
            self.thresholds[key] = -np.inf
        else:
            last = int(picked[-1])
            same = int(np.count_nonzero(country[picked[:-1]] == country[last]))
            self.thresholds[key] = float(scores[last]) - max(weights.country_spread, 0.0) * same
        self.kept[key] = frozenset(self.index.ids[int(row)] for row in rows[picked])

    def invites(
        self, opportunity_id: str, *, top: int = 10, weights: PartnerWeights = DEFAULT_WEIGHTS
    ) -> list[PartnerSuggestion]:
        """``partners.organisations_to_invite`` (the same list), with the index's candidates."""
        ours = self.network.opportunity(opportunity_id)
        place = self.place(self.index.position[opportunity_id])
        they_host = ours.direction != "offer"
        found = []
        for key in self.index.invite_candidates(opportunity_id):
            org = self.network.organisations[key]
            if they_host and too_big(ours.group_size, org.hosting_capacity):
                continue
            found.append(_score_profile(self.network, ours, org, weights, place))
        return _finish(found, top, weights)

"""Partner scores as array work: the network encoded once, every candidate pair scored at once.

``PartnerArrays`` encodes what a partner score reads of each opportunity (and of its organisation)
into numpy arrays, rows in ``PartnerIndex`` order: the topics the visiting side wants (weighted by
rarity) and those the host can show, target groups, the organisation's expertise and interests,
country and region, kind, group size, the TF-IDF vectors of the descriptions (a sparse matrix) and
the description vectors of the text model. ``scores`` then scores any list of (ours, theirs) pairs
with vectorised operations and returns exactly the scores ``partners.score_pair`` gives, penalties
included: the same fits, the same weighting, and the same rounding (Python's ``round`` on the
decimal value, not numpy's; the few values within a hair of a rounding tie are rounded by Python).
The sums of more than two topic weights or shared words may add up in another order, which can only
matter at an exact rounding tie; ``tests/engine/test_partner_arrays.py`` compares the two scorers on
random networks.

Which pairs to score is the business of ``PartnerIndex`` (and of ``compatible`` here, for the
rules the index leaves out: the kind of opportunity and the hard limit on group size).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matchmaking.engine.network import OFFER, REQUEST, Network, Opportunity, Organisation
from matchmaking.engine.partner_fits import SATURATION, SEMANTIC_FLOOR, SEMANTIC_FULL, TEXT_FULL
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.engine.partner_rules import CAPACITY_HARD_RATIO, neighbouring_types
from matchmaking.engine.partners import DEFAULT_WEIGHTS, PartnerWeights, wished_place
from matchmaking.engine.places import PlacePreference

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# The parts of a score in the order their points are added up (``partners.PartnerWeights.parts``).
PART_ORDER = ("topics", "target_groups", "reciprocity", "text", "semantic", "place", "novelty")

_TIE = 1e-9


def py_round(values: FloatArray, digits: int) -> FloatArray:
    """Python's ``round(x, digits)`` of every value: numpy's rounding, except at a hair of a tie.

    numpy rounds ``x * 10**digits``, which is itself rounded, so a value such as 51.15 (stored just
    below) goes up where Python, rounding the stored value, goes down. The values that close to a
    tie are rounded one by one by Python.

    Examples
    --------
    >>> py_round(np.array([51.15, 2.675, 0.125, 7.04]), 1).tolist()
    [51.1, 2.7, 0.1, 7.0]
    >>> [round(51.15, 1), round(2.675, 1), round(0.125, 1)]
    [51.1, 2.7, 0.1]
    """
    scale = 10.0**digits
    scaled = values * scale
    out: FloatArray = np.rint(scaled) / scale
    near = np.abs(scaled - np.floor(scaled) - 0.5) < _TIE * np.maximum(1.0, np.abs(scaled))
    if near.any():
        out[near] = [round(v, digits) for v in values[near].tolist()]
    return out


def _dedup(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


class PartnerArrays:
    """What partner scores read of a network, as arrays in the rows of a ``PartnerIndex``.

    Parameters
    ----------
    network : Network
    index : PartnerIndex
        Built on the same network; its rows are the rows here.

    Examples
    --------
    >>> from matchmaking.engine.network import Opportunity, Organisation
    >>> from matchmaking.engine.partners import score_pair
    >>> network = Network(
    ...     [Organisation("a", expertise=("mentoring",)), Organisation("b", interests=("mentoring",))],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", topics=("outreach",), languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", topics=("outreach",), languages=("en",)),
    ...     ],
    ... )
    >>> arrays = PartnerArrays(network, PartnerIndex(network))
    >>> arrays.scores(np.array([0]), np.array([1])).tolist()
    [71.4]
    >>> score_pair(network, network.opportunity("want"), network.opportunity("give")).score
    71.4
    """

    def __init__(self, network: Network, index: PartnerIndex) -> None:
        self.network = network
        self.index = index
        opportunities = [network.opportunities[key] for key in index.ids]
        self.opportunities = opportunities
        owners = [network.organisation(o.organisation) for o in opportunities]
        topics = sorted(
            {t for o in opportunities for t in o.topics}
            | {t for org in network.organisations.values() for t in (*org.expertise, *org.interests)}
        )
        groups = sorted(
            {g for o in opportunities for g in o.target_groups}
            | {g for org in network.organisations.values() for g in org.target_groups}
        )
        self._topic = {t: i for i, t in enumerate(topics)}
        self._group = {g: i for i, g in enumerate(groups)}
        n = len(opportunities)
        k, g = max(len(topics), 1), max(len(groups), 1)
        self.wanted = np.zeros((n, k))
        self.wanted_total = np.zeros(n)
        self.shown = np.zeros((n, k))
        self.visitor_groups = np.zeros((n, g))
        self.visitor_group_count = np.zeros(n)
        self.host_groups = np.zeros((n, g))
        self.interests = np.zeros((n, k))
        self.interest_count = np.zeros(n)
        self.expertise = np.zeros((n, k))
        self._packed: dict[str, tuple[FloatArray, npt.NDArray[np.uint64]]] = {}
        self._wanted_order: list[tuple[int, ...]] = [()] * n
        self._ordered: tuple[list[tuple[int, ...]], IntArray, FloatArray] | None = None
        for row, (opp, org) in enumerate(zip(opportunities, owners, strict=True)):
            self._encode_profile(row, opp, org)
        org_ids = sorted({o.id for o in owners} | set(network.organisations))
        self._org = {key: i for i, key in enumerate(org_ids)}
        self.org: IntArray = np.array([self._org[o.id] for o in owners], dtype=np.int64)
        countries = sorted({o.country for o in owners})
        regions = sorted({o.region or "" for o in owners})
        self.countries = countries
        self.country: IntArray = np.array([countries.index(o.country) for o in owners], dtype=np.int64)
        self.region: IntArray = np.array([regions.index(o.region or "") for o in owners], dtype=np.int64)
        self._regions = regions
        types = sorted({o.type for o in opportunities})
        self._types = types
        self.type: IntArray = np.array([types.index(o.type) for o in opportunities], dtype=np.int64)
        self.neighbours = np.array([[neighbouring_types(a, b) for b in types] for a in types], dtype=bool)
        self.meets = self.neighbours | np.eye(len(types), dtype=bool)
        self.group_size: IntArray = np.array([o.group_size for o in opportunities], dtype=np.int64)
        self.offer: BoolArray = np.array([o.direction == OFFER for o in opportunities], dtype=bool)
        self.request: BoolArray = np.array([o.direction == REQUEST for o in opportunities], dtype=bool)
        tie_order = sorted(range(n), key=lambda i: (opportunities[i].organisation, opportunities[i].id))
        self.tie_rank: IntArray = np.empty(n, dtype=np.int64)
        self.tie_rank[tie_order] = np.arange(n)
        self._text_matrix([f"opp:{o.id}" for o in opportunities])
        self._vector_matrix([f"opp:{o.id}" for o in opportunities])
        self._past = np.array(
            sorted(
                self._pair_key(self._org[min(pair)], self._org[max(pair)])
                for pair in network.past_exchanges
                if pair and all(key in self._org for key in pair)
            ),
            dtype=np.int64,
        )

    def _encode_profile(self, row: int, opp: Opportunity, org: Organisation) -> None:
        """Fill the topic and target-group rows of ``row`` (zero before, or cleared here)."""
        network = self.network
        for matrix in (self.wanted, self.shown, self.visitor_groups, self.host_groups, self.interests,
                       self.expertise):  # fmt: skip
            matrix[row] = 0.0
        wanted = _dedup(opp.topics or org.interests)
        for t in wanted:
            self.wanted[row, self._topic[t]] = network.topic_weight(t)
        self._wanted_order[row] = tuple(self._topic[t] for t in wanted)
        self.wanted_total[row] = sum(network.topic_weight(t) for t in wanted)
        self._mark(self.shown, row, self._topic, (*opp.topics, *org.expertise))
        visitor_groups = _dedup(opp.target_groups or org.target_groups)
        self._mark(self.visitor_groups, row, self._group, visitor_groups)
        self.visitor_group_count[row] = len(visitor_groups)
        self._mark(self.host_groups, row, self._group, (*opp.target_groups, *org.target_groups))
        interests = _dedup(org.interests)
        self._mark(self.interests, row, self._topic, interests)
        self.interest_count[row] = len(interests)
        self._mark(self.expertise, row, self._topic, org.expertise)

    _PER_ROW = ("wanted", "wanted_total", "shown", "visitor_groups", "visitor_group_count", "host_groups",
                "interests", "interest_count", "expertise", "country", "region", "type", "group_size",
                "offer", "request")  # fmt: skip

    def patched(self, network: Network, index: PartnerIndex, rows: Iterable[int]) -> PartnerArrays | None:
        """The arrays of ``network``, which differs from this one only in the records of ``rows`` (and
        their organisations), with the network-wide statistics (topic counts, descriptions) unchanged:
        a copy with those rows encoded again, this one untouched. ``None`` when a changed record
        names a topic, country, region or kind this network has no column for (a new target group
        gets a column of its own: target groups are counted in no network-wide statistic)."""
        rows = sorted(set(rows))
        opportunities = [network.opportunities[key] for key in index.ids]
        owners = {row: network.organisation(opportunities[row].organisation) for row in rows}
        for row in rows:
            opp, org = opportunities[row], owners[row]
            topics = (*opp.topics, *org.expertise, *org.interests)
            if (
                any(t not in self._topic for t in topics)
                or org.country not in self.countries
                or (org.region or "") not in self._regions
                or opp.type not in self._types
            ):
                return None
        new = copy.copy(self)
        new.network, new.index, new.opportunities = network, index, opportunities
        new._wanted_order = list(self._wanted_order)
        for name in self._PER_ROW:
            setattr(new, name, getattr(self, name).copy())
        added = sorted(
            {g for row in rows for g in _groups_of(opportunities[row], owners[row])} - set(self._group)
        )
        if added:
            first = self.visitor_groups.shape[1]
            new._group = {**self._group, **{g: first + i for i, g in enumerate(added)}}
            more = np.zeros((len(opportunities), len(added)))
            new.visitor_groups = np.hstack([new.visitor_groups, more])
            new.host_groups = np.hstack([new.host_groups, more])
        for row in rows:
            opp, org = opportunities[row], owners[row]
            new._encode_profile(row, opp, org)
            new.country[row] = self.countries.index(org.country)
            new.region[row] = self._regions.index(org.region or "")
            new.type[row] = self._types.index(opp.type)
            new.group_size[row] = opp.group_size
            new.offer[row] = opp.direction == OFFER
            new.request[row] = opp.direction == REQUEST
        return new

    def _wanted_shown(self, visitor: IntArray, host: IntArray) -> FloatArray:
        """For each pair, the rarity weights of the visitor's wanted topics that the host shows, added
        in the order the visitor lists them, as ``partner_fits.topic_fit`` adds them: the same sum,
        bit for bit (adding 0.0 for a topic not shown changes nothing). A product of the weight and
        0/1 rows added the weights in another order and gathered rows of floats 30–70 MB a chunk."""
        order, weight = self._wanted_rows()
        shown = self._bits("shown")
        topics, weights = order[visitor], weight[visitor]
        found = np.zeros(len(visitor))
        for j in range(topics.shape[1]):
            topic = topics[:, j]
            listed = topic >= 0
            if not listed.any():
                break
            topic = np.where(listed, topic, 0)
            words = shown[host, topic >> 6]
            hit = ((words >> (topic & 63).astype(np.uint64)) & np.uint64(1)).astype(bool) & listed
            found = found + np.where(hit, weights[:, j], 0.0)
        return found

    def _wanted_rows(self) -> tuple[IntArray, FloatArray]:
        """Each row's wanted topics (column numbers, in the order listed, -1 after the last) and their
        weights, made once per set of rows."""
        kept = self._ordered
        if kept is not None and kept[0] is self._wanted_order:
            return kept[1], kept[2]
        rows = self._wanted_order
        width = max((len(r) for r in rows), default=0) or 1
        order = np.full((len(rows), width), -1, dtype=np.int64)
        for row, topics in enumerate(rows):
            order[row, : len(topics)] = topics
        weight = np.where(order >= 0, np.take_along_axis(self.wanted, np.maximum(order, 0), axis=1), 0.0)
        self._ordered = (rows, order, weight)
        return order, weight

    def _bits(self, name: str) -> npt.NDArray[np.uint64]:
        """The 0/1 matrix ``name`` with each row packed into 64-bit words, made once per matrix: what
        two sides share is then counted by ``_shared`` on one or two words a pair, where the rows of
        floats gathered for 200,000 pairs were 30–70 MB each (a quarter of the array scoring)."""
        matrix = getattr(self, name)
        kept = self._packed.get(name)
        if kept is not None and kept[0] is matrix:
            return kept[1]
        # Column j is bit j % 64 of word j // 64 (little-endian bits and bytes, on any machine).
        packed = np.packbits(matrix.astype(bool), axis=1, bitorder="little")
        words = -(-packed.shape[1] // 8)
        padded = np.zeros((packed.shape[0], words * 8), dtype=np.uint8)
        padded[:, : packed.shape[1]] = packed
        bits = padded.view(np.dtype("<u8")).astype(np.uint64)
        self._packed = {**self._packed, name: (matrix, bits)}
        return bits

    @staticmethod
    def _mark(matrix: FloatArray, row: int, columns: dict[str, int], codes: Iterable[str]) -> None:
        for code in codes:
            matrix[row, columns[code]] = 1.0

    def _pair_key(self, a: int, b: int) -> int:
        return min(a, b) * len(self._org) + max(a, b)

    def _text_matrix(self, keys: Sequence[str]) -> None:
        vectors = self.network.text.vectors
        vocabulary: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for row, key in enumerate(keys):
            for word, value in vectors.get(key, {}).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                vals.append(value)
        shape = (len(keys), max(len(vocabulary), 1))
        self.text = sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)

    def _vector_matrix(self, keys: Sequence[str]) -> None:
        vectors = self.network.vectors
        found = [vectors.get(key) for key in keys]
        self.has_vector: BoolArray = np.array([v is not None for v in found], dtype=bool)
        first = next((v for v in found if v is not None), None)
        size, dtype = (0, np.float32) if first is None else (len(first), first.dtype)
        self.vectors = np.zeros((len(keys), size), dtype=dtype)
        for row, v in enumerate(found):
            if v is not None:
                self.vectors[row] = v

    # --- which pairs --------------------------------------------------------------------------------

    def compatible(self, ours: int | IntArray, theirs: IntArray) -> BoolArray:
        """The rules ``PartnerIndex`` leaves out: kinds that can meet, a group at most twice the room."""
        ours_rows = np.broadcast_to(np.asarray(ours, dtype=np.int64), theirs.shape)
        visitor, host = self.sides(ours_rows, theirs)
        group, room = self.group_size[visitor], self.group_size[host]
        too_big = (room > 0) & (group > CAPACITY_HARD_RATIO * room)
        return np.asarray(self.meets[self.type[ours_rows], self.type[theirs]] & ~too_big, dtype=bool)

    def sides(self, ours: IntArray, theirs: IntArray) -> tuple[IntArray, IntArray]:
        """The visiting (request) and hosting (offer) row of each pair (``partner_rules.roles``)."""
        they_visit = self.offer[ours] & self.request[theirs]
        return np.where(they_visit, theirs, ours), np.where(they_visit, ours, theirs)

    # --- scores -------------------------------------------------------------------------------------

    def scores(
        self,
        ours: IntArray,
        theirs: IntArray,
        places: Callable[[int], PlacePreference] | None = None,
        weights: PartnerWeights = DEFAULT_WEIGHTS,
    ) -> FloatArray:
        """The score of every pair (``ours[k]``, ``theirs[k]``), as ``partners.score_pair`` gives it.

        ``places(row)`` is the place our opportunity asks for (default: read from its description,
        ``partners.wished_place``); ``weights`` a ``PartnerWeights`` (default: the default weights).
        """
        if places is None:
            places = self.wished_place
        if len(ours) == 0:
            return np.zeros(0)
        visitor, host = self.sides(ours, theirs)
        fits: dict[str, FloatArray] = {}
        present: dict[str, BoolArray] = {}
        everywhere = np.ones(len(ours), dtype=bool)
        numerator = self._wanted_shown(visitor, host)
        total = self.wanted_total[visitor]
        fits["topics"] = np.where(total > 0, numerator / np.where(total > 0, total, 1.0), 0.0)
        found = _shared(self._bits("visitor_groups")[visitor], self._bits("host_groups")[host])
        fits["target_groups"] = _coverage(found, self.visitor_group_count[visitor])
        found = _shared(self._bits("interests")[host], self._bits("expertise")[visitor])
        fits["reciprocity"] = _coverage(found, self.interest_count[host])
        present["reciprocity"] = self.interest_count[host] > 0
        text = np.asarray(self.text[ours].multiply(self.text[theirs]).sum(axis=1)).ravel()
        fits["text"] = np.minimum(1.0, np.minimum(1.0, text) / TEXT_FULL)
        fits["semantic"], present["semantic"] = self._semantic(ours, theirs)
        fits["place"], present["place"] = self._place(ours, theirs, places)
        pair_keys = np.minimum(self.org[ours], self.org[theirs]) * len(self._org) + np.maximum(
            self.org[ours], self.org[theirs]
        )
        fits["novelty"] = np.where(np.isin(pair_keys, self._past), 0.0, 1.0)
        all_weights = weights.parts()
        weight_total = np.zeros(len(ours))
        for name in PART_ORDER:
            applies = present.get(name, everywhere)
            weight_total = weight_total + np.where(applies, max(all_weights[name], 0.0), 0.0)
        weight_total = np.where(weight_total == 0, 1.0, weight_total)
        score = np.zeros(len(ours))
        for name in PART_ORDER:
            applies = present.get(name, everywhere)
            points = py_round(100.0 * max(all_weights[name], 0.0) * fits[name] / weight_total, 2)
            score = score + np.where(applies, points, 0.0)
        score = py_round(score, 1)
        neighbouring = self.neighbours[self.type[ours], self.type[theirs]]
        group, room = self.group_size[visitor], self.group_size[host]
        excess = np.maximum(0, group - room)
        ratio = np.where(room > 0, excess / np.where(room > 0, room, 1), 0.0)
        share_neighbour = min(max(weights.neighbouring_type, 0.0), 1.0)
        share_group = min(max(weights.oversized_group, 0.0), 1.0)
        keep = np.where(neighbouring, 1.0 - share_neighbour, 1.0)
        keep = keep * np.where(excess > 0, 1.0 - share_group * np.minimum(ratio, 1.0), 1.0)
        # penalty_share rounds the share to 4 decimals: a share that rounds to 0 takes nothing off.
        penalised = py_round(1.0 - keep, 4) > 0
        if penalised.any():
            left = score[penalised]
            n = neighbouring[penalised]
            left = left - np.where(n, py_round(left * share_neighbour, 1), 0.0)
            e = excess[penalised] > 0
            cut = share_group * np.minimum(ratio[penalised], 1.0)
            left = left - np.where(e, py_round(left * cut, 1), 0.0)
            score[penalised] = py_round(np.maximum(left, 0.0), 1)
        return score

    def _semantic(self, ours: IntArray, theirs: IntArray) -> tuple[FloatArray, BoolArray]:
        applies = self.has_vector[ours] & self.has_vector[theirs]
        if not applies.any():
            return np.zeros(len(ours)), applies
        cosine = np.einsum("ij,ij->i", self.vectors[ours], self.vectors[theirs]).astype(np.float64)
        raw = np.minimum(1.0, np.maximum(0.0, (cosine - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR)))
        # The engine's cosine is a float32 dot product of the two vectors; another summation order
        # moves its last bits, which matters only near a rounding tie: those pairs are redone its way.
        scaled = raw * 1e4
        unsure = applies & (np.abs(scaled - np.floor(scaled) - 0.5) < 0.2) & (raw > 0) & (raw < 1)
        for k in np.flatnonzero(unsure):
            exact = float(np.dot(self.vectors[ours[k]], self.vectors[theirs[k]]))
            raw[k] = min(1.0, max(0.0, (exact - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR)))
        return np.where(applies, py_round(raw, 4), 0.0), applies

    def _place(
        self, ours: IntArray, theirs: IntArray, places: Callable[[int], PlacePreference]
    ) -> tuple[FloatArray, BoolArray]:
        fit = np.zeros(len(ours))
        stated = np.zeros(len(ours), dtype=bool)
        for row in np.unique(ours):
            place = places(int(row))
            if not place.stated:
                continue
            at = ours == row
            stated[at] = True
            countries = np.array([c in place.countries for c in self.countries], dtype=bool)
            regions = np.array([r != "" and r in place.regions for r in self._regions], dtype=bool)
            fits = countries[self.country[theirs[at]]] | regions[self.region[theirs[at]]]
            fit[at] = np.where(fits, 1.0, 0.0)
        return fit, stated

    def wished_place(self, row: int) -> PlacePreference:
        """The place the opportunity of ``row`` asks for (``partners.wished_place``)."""
        return wished_place(self.network, self.opportunities[row])


def _groups_of(opp: Opportunity, org: Organisation) -> tuple[str, ...]:
    return (*opp.target_groups, *org.target_groups)


def _shared(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> FloatArray:
    """How many codes each pair of packed rows shares: the same whole numbers the dot product of the
    0/1 rows gives."""
    counts: FloatArray = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64).astype(np.float64)
    return counts


def _coverage(found: FloatArray, wanted: FloatArray) -> FloatArray:
    """``partner_fits.coverage`` with ``SATURATION``: found / min(wanted, 2), at most 1; 0 if none."""
    denominator = np.minimum(wanted, SATURATION)
    return np.where(wanted > 0, np.minimum(1.0, found / np.where(wanted > 0, denominator, 1.0)), 0.0)

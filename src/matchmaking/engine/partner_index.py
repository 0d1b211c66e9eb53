"""Candidate generation for partner suggestions: which pairs are worth scoring at all.

Scoring a pair is pure Python and costs tens of microseconds; scoring every opportunity against every
other grows with the square of the network. ``PartnerIndex`` holds the fields of the hard rules in
numpy arrays and answers, for one opportunity, the opportunities that *may* pass them:

* another organisation;
* directions that complement each other (an offer and a request), or a project partnership on
  either side (partnerships meet whatever their directions);
* at least one shared language (Norwegian variants matching, as ``languages.shared_languages``);
* date windows whose common part is at least as long as the visit needs (open ends never exclude).

The answer is a *superset* of the pairs ``partner_rules.explain_exclusion`` lets through (it does not
look at the type, the group size or the capacity, which may be soft rules): ``suggest_partners`` still
checks every candidate exactly, so passing the candidates gives the same result as scoring the whole
network, only faster. The same goes for organisations to invite (another organisation, no open
opportunity, a shared language).

The rules above are symmetric except the visit length of two partnerships in the same direction
(ours is then the visit), so the index also answers the reverse question an incremental refresh asks:
which opportunities have this one among their candidates (``interested_in``), and which would invite
this organisation (``inviting``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from matchmaking.engine.languages import language_family
from matchmaking.engine.network import OFFER, PROJECT_PARTNERSHIP, REQUEST, Network, Opportunity

_NO_START = np.iinfo(np.int64).min // 4
_NO_END = np.iinfo(np.int64).max // 4

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class PartnerIndex:
    """The hard-rule fields of every opportunity and organisation of a network, as arrays.

    Parameters
    ----------
    network : Network

    Examples
    --------
    >>> from matchmaking.engine.network import Organisation
    >>> network = Network(
    ...     [Organisation("a"), Organisation("b"), Organisation("c"), Organisation("d", languages=("en",))],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", languages=("en", "sv")),
    ...         Opportunity("also-want", "b", "job-shadowing", "request", languages=("en",)),
    ...         Opportunity("german", "c", "job-shadowing", "offer", languages=("de",)),
    ...     ],
    ... )
    >>> index = PartnerIndex(network)
    >>> index.candidates("want"), index.interested_in("give")
    (['give'], ['want'])
    >>> index.invite_candidates("want"), index.inviting("d")
    (['d'], ['want', 'give', 'also-want'])
    """

    def __init__(self, network: Network) -> None:
        opportunities = list(network.opportunities.values())
        self.ids = [o.id for o in opportunities]
        self.position = {key: i for i, key in enumerate(self.ids)}
        families = sorted(
            {language_family(c) for o in opportunities for c in o.languages}
            | {language_family(c) for o in network.organisations.values() for c in o.languages}
        )
        self._family = {f: i for i, f in enumerate(families)}
        org_ids = sorted({o.organisation for o in opportunities} | set(network.organisations))
        self._org = {key: i for i, key in enumerate(org_ids)}
        self.org_ids = list(network.organisations)
        self._org_row = {key: i for i, key in enumerate(self.org_ids)}
        self._directions = {d: i for i, d in enumerate(sorted({o.direction for o in opportunities}))}
        n = len(opportunities)
        self.organisation: IntArray = np.array(
            [self._org[o.organisation] for o in opportunities], dtype=np.int64
        )
        self.offer: BoolArray = np.array([o.direction == OFFER for o in opportunities], dtype=bool)
        self.request: BoolArray = np.array([o.direction == REQUEST for o in opportunities], dtype=bool)
        self.direction: IntArray = np.array(
            [self._directions[o.direction] for o in opportunities], dtype=np.int64
        )
        self.partnership: BoolArray = np.array(
            [o.type == PROJECT_PARTNERSHIP for o in opportunities], dtype=bool
        )
        self.earliest: IntArray = np.array(
            [o.earliest.toordinal() if o.earliest else _NO_START for o in opportunities], dtype=np.int64
        )
        self.latest: IntArray = np.array(
            [o.latest.toordinal() if o.latest else _NO_END for o in opportunities], dtype=np.int64
        )
        self.open_start: BoolArray = np.array([o.earliest is None for o in opportunities], dtype=bool)
        self.open_end: BoolArray = np.array([o.latest is None for o in opportunities], dtype=bool)
        self.duration: IntArray = np.array([o.duration_days for o in opportunities], dtype=np.int64)
        self.languages: BoolArray = self._language_matrix([o.languages for o in opportunities], n)
        orgs = [network.organisations[key] for key in self.org_ids]
        self.org_position: IntArray = np.array([self._org[o.id] for o in orgs], dtype=np.int64)
        self.org_languages: BoolArray = self._language_matrix([o.languages for o in orgs], len(orgs))
        busy = network.with_open_opportunities()
        self.org_busy: BoolArray = np.array([o.id in busy for o in orgs], dtype=bool)
        self._opportunities = network.opportunities

    _PER_ROW = ("offer", "request", "direction", "partnership", "earliest", "latest", "open_start",
                "open_end", "duration", "languages")  # fmt: skip

    def patched(self, network: Network, rows: Iterable[int], org_rows: Iterable[int]) -> PartnerIndex | None:
        """The index of ``network``, which has this one's opportunities and organisations (each
        opportunity with the same organisation) and differs only in the opportunities of ``rows`` and
        the organisations of ``org_rows``: a copy with those rows encoded again, this one untouched.
        ``None`` when a changed opportunity has a direction this index has no code for (or the
        network speaks no language at all)."""
        rows, org_rows = sorted(set(rows)), sorted(set(org_rows))
        opps = [network.opportunities[self.ids[row]] for row in rows]
        orgs = [network.organisations[self.org_ids[row]] for row in org_rows]
        if not self._family or any(o.direction not in self._directions for o in opps):
            return None
        codes = [c for o in opps for c in o.languages] + [c for org in orgs for c in org.languages]
        added = sorted({language_family(c) for c in codes} - set(self._family))
        new = copy.copy(self)
        for name in self._PER_ROW:
            setattr(new, name, getattr(self, name).copy(order="K"))  # "K": languages stay column-major
        new.org_languages = self.org_languages.copy(order="K")
        if added:
            # A language nobody spoke: a column of its own (the order of columns means nothing).
            first = self.languages.shape[1]
            new._family = {**self._family, **{f: first + i for i, f in enumerate(added)}}
            more = np.zeros((len(self.ids), len(added)), dtype=bool)
            new.languages = np.asfortranarray(np.hstack([new.languages, more]))
            more = np.zeros((len(self.org_ids), len(added)), dtype=bool)
            new.org_languages = np.asfortranarray(np.hstack([new.org_languages, more]))
        for row, o in zip(rows, opps, strict=True):
            new.offer[row], new.request[row] = o.direction == OFFER, o.direction == REQUEST
            new.direction[row] = self._directions[o.direction]
            new.partnership[row] = o.type == PROJECT_PARTNERSHIP
            new.earliest[row] = o.earliest.toordinal() if o.earliest else _NO_START
            new.latest[row] = o.latest.toordinal() if o.latest else _NO_END
            new.open_start[row], new.open_end[row] = o.earliest is None, o.latest is None
            new.duration[row] = o.duration_days
            new.languages[row] = new._language_matrix([o.languages], 1)[0]
        for row, org in zip(org_rows, orgs, strict=True):
            new.org_languages[row] = new._language_matrix([org.languages], 1)[0]
        new._opportunities = network.opportunities
        return new

    def _language_matrix(self, lists: list[tuple[str, ...]], n: int) -> BoolArray:
        """Who speaks which language family, a column per family, kept column-major (``_speaks``)."""
        matrix = np.zeros((n, max(len(self._family), 1)), dtype=bool, order="F")
        for row, codes in enumerate(lists):
            for code in codes:
                matrix[row, self._family[language_family(code)]] = True
        return matrix

    def _families(self, codes: Iterable[str]) -> list[int]:
        return sorted({self._family[f] for f in map(language_family, codes) if f in self._family})

    def _speaks(self, matrix: BoolArray, codes: Iterable[str]) -> BoolArray:
        """The rows that speak one of ``codes``: the columns of their families or-ed together. Each
        column of a column-major matrix is one contiguous run (2 µs for 30,000 rows, where picking
        the columns out of a row-major one and testing each row took 100 µs, once per list)."""
        columns = self._families(codes)
        if not columns:
            return np.zeros(matrix.shape[0], dtype=bool)
        found: BoolArray = matrix[:, columns[0]].copy()
        for column in columns[1:]:
            found |= matrix[:, column]
        return found

    def _compatible(self, ours: Opportunity, *, reverse: bool) -> IntArray:
        """Rows of the opportunities that may pass the hard rules with ``ours``: as their partner
        (``reverse``) or as ours, in row order.

        The shared language is tested first, on every row; the other rules only on the rows that
        share one (about one in ten in a network of ten languages), which is most of what a list's
        candidates cost at network size."""
        rows = np.flatnonzero(self._speaks(self.languages, ours.languages)).astype(np.int64)
        mask = self.organisation[rows] != self._org.get(ours.organisation, -1)
        if ours.type != PROJECT_PARTNERSHIP:
            mask &= self.partnership[rows] | (
                self.direction[rows] != self._directions.get(ours.direction, -1)
            )
        # The visit is the request of an offer/request pair, else the side that asks ("ours" when we
        # ask, "theirs" in the reverse question).
        if reverse:
            they_visit = ~(self.offer[rows] & (ours.direction == REQUEST))
        else:
            they_visit = (ours.direction == OFFER) & self.request[rows]
        needed = np.where(they_visit, self.duration[rows], ours.duration_days)
        start = np.maximum(self.earliest[rows], ours.earliest.toordinal() if ours.earliest else _NO_START)
        end = np.minimum(self.latest[rows], ours.latest.toordinal() if ours.latest else _NO_END)
        unbounded = (self.open_start[rows] & (ours.earliest is None)) | (
            self.open_end[rows] & (ours.latest is None)
        )
        mask &= unbounded | (end - start + 1 >= needed)
        found: IntArray = rows[mask]
        return found

    def candidate_rows(self, opportunity_id: str) -> IntArray:
        """Rows (positions in ``ids``) of ``candidates``."""
        return self._compatible(self._opportunities[opportunity_id], reverse=False)

    def candidates(self, opportunity_id: str) -> list[str]:
        """Opportunities that may be suggested to ``opportunity_id`` (a superset of those that are)."""
        ours = self._opportunities[opportunity_id]
        return [self.ids[i] for i in self._compatible(ours, reverse=False)]

    def interested_in(self, opportunity_id: str) -> list[str]:
        """Opportunities that have ``opportunity_id`` among their candidates."""
        ours = self._opportunities[opportunity_id]
        return [self.ids[i] for i in self._compatible(ours, reverse=True)]

    def invite_candidates(self, opportunity_id: str) -> list[str]:
        """Organisations that may be suggested to invite for ``opportunity_id``: another organisation,
        no open opportunity, a shared language."""
        ours = self._opportunities[opportunity_id]
        mask = ~self.org_busy & (self.org_position != self._org.get(ours.organisation, -1))
        mask &= self._speaks(self.org_languages, ours.languages)
        return [self.org_ids[i] for i in np.flatnonzero(mask)]

    def inviting(self, organisation_id: str) -> list[str]:
        """Opportunities that may suggest inviting ``organisation_id`` (none while it has an open one)."""
        if organisation_id not in self._org:
            return []
        row = self._org_row.get(organisation_id, -1)
        if row < 0 or self.org_busy[row]:
            return []
        mask = self.organisation != self._org[organisation_id]
        mask &= np.asarray(self.languages[:, self.org_languages[row]].any(axis=1))
        return [self.ids[i] for i in np.flatnonzero(mask)]

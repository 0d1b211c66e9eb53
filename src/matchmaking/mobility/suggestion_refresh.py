"""Refreshing stored partner suggestions: all of them, or only those one change can affect.

The network is read once; ``PartnerIndex`` (engine) gives each opportunity the counterparts and the
organisations that may pass the hard rules, and ``PartnerBatch`` scores only those, as arrays, a
chunk of opportunities at a time, cuts each list to its top and writes reasons for the kept pairs
only (the result is the one scoring the whole network pair by pair gives). Rows are written per chunk of
opportunities: one short transaction deletes the chunk's old suggestions and inserts the new
ones, so readers never wait long and a refresh stopped half-way leaves every opportunity either old
or new, never half-written. A refresh of many lists shares its chunks between processes forked from
the one that read the network (``SUGGESTION_REFRESH_PROCESSES``, default the cores up to 2): each list
is scored on its own, so the result is the same, and two cores take about half the time.

An incremental refresh (``affected``) re-scores the changed organisation's own listings, the
listings whose candidate set a changed listing is in, those whose stored suggestions name it (it may
have left their candidate set), and, for an organisation without an open listing, those that may
suggest inviting it. Network-wide statistics (how rare a topic is, which words are distinctive)
shift a little with a change of topics or descriptions (``suggestion_cache``); the nightly full
refresh brings every score back in line.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from matchmaking.engine.network import Network
from matchmaking.engine.network import Opportunity as Listing
from matchmaking.engine.partner_batch import PartnerBatch
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.engine.partners import PartnerSuggestion
from matchmaking.engine.places import PlacePreference
from matchmaking.mobility import matching, suggestion_rows
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.organisations.models import Organisation

logger = logging.getLogger(__name__)

CHUNK = 200
PARALLEL_FROM = 100
"""A refresh of fewer lists runs in one process."""
STATUS_KEY = "mobility:suggestions-refresh"
STATUS_SECONDS = 24 * 3600

Progress = Callable[[int, int], None]

NOT_CLOSED = (Opportunity.Status.OPEN, Opportunity.Status.DRAFT, Opportunity.Status.PAUSED)


@dataclass(frozen=True)
class RefreshStatus:
    """The last (or the running) full refresh, as the worker reported it."""

    done: int
    total: int
    running: bool
    started: float
    seconds: float

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


def refresh_status() -> RefreshStatus | None:
    """Progress of the running full refresh, or the figures of the last one (None: none recorded)."""
    found = cache.get(STATUS_KEY)
    return RefreshStatus(**found) if isinstance(found, dict) else None


def _report(done: int, total: int, started: float, running: bool) -> None:
    status = {
        "done": done,
        "total": total,
        "running": running,
        "started": started,
        "seconds": round(time.time() - started, 1),
    }
    cache.set(STATUS_KEY, status, STATUS_SECONDS)


def refresh_targets(keys: Iterable[str] | None = None) -> list[Opportunity]:
    """The opportunities to refresh (only what writing their rows needs)."""
    qs = Opportunity.objects.filter(status__in=NOT_CLOSED).only("pk", "key")
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    return list(qs)


def network() -> Network:
    """The network every refresh scores against: active organisations, open opportunities, and the
    drafts and paused ones (their suggestions are kept ready too). The same for a full and a partial
    refresh, so re-scoring one opportunity gives what a full refresh would."""
    extras = Opportunity.objects.filter(status__in=NOT_CLOSED).exclude(
        status=Opportunity.Status.OPEN, organisation__status=Organisation.Status.ACTIVE
    )
    return matching.build_network(extras)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block (nested blocks are fine).

    A network of 30,000 opportunities is millions of objects that live as long as the refresh; each
    full pass of the collector walks all of them, and the many small objects a refresh makes trigger
    such passes: a quarter of a full refresh's time at 6,000 opportunities. What the block makes is
    freed as usual when no longer referenced; cycles it leaves are collected when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refresh(
    opportunities: Iterable[Opportunity] | None = None,
    *,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    scored: tuple[Network, PartnerIndex] | PartnerBatch | None = None,
    as_of: datetime | None = None,
    rewrite: bool = False,
) -> int:
    """Recompute and store the suggestions of ``opportunities`` (default: every one not closed).

    ``progress(done, total)`` is called after each chunk is written; ``scored`` passes a network and
    its index already built, read from the database at ``as_of`` (no time given: its lists are all
    written, and will all be written again by the next refresh). A list that ranks as the stored one
    does, none of its records saved since, is confirmed rather than written again, unless ``rewrite``.
    Returns the number of opportunities refreshed (confirmed or written).
    """
    with collector_paused():
        return _refresh(
            opportunities, progress=progress, chunk=chunk, scored=scored, as_of=as_of, rewrite=rewrite
        )


@dataclass
class _Job:
    """What every chunk of one refresh needs; a forked process inherits it (nothing is pickled)."""

    batch: PartnerBatch
    chunks: list[list[Opportunity]]
    open_keys: set[str]
    orgs: dict[str, int]
    opps: dict[str, int]
    opp_saved: dict[str, datetime]
    org_saved: dict[str, datetime]
    """When the records saved since the oldest stored list were saved (``saved_since_lists``)."""
    version: str
    """What the lists' fingerprints depend on beside the records: the scoring's weights and lengths."""
    as_of: datetime | None
    """When the network was read (None: not known, so nothing is confirmed against it later)."""
    rewrite: bool
    present: suggestion_rows.Present
    """What existed when ``orgs`` and ``opps`` were read (a row naming one deleted since is not written)."""


_JOB: _Job | None = None
_IN_POOL = False


def _in_pool() -> None:
    global _IN_POOL  # this process is one of a refresh's forked processes
    _IN_POOL = True


def _refresh(
    opportunities: Iterable[Opportunity] | None,
    *,
    progress: Progress | None,
    chunk: int,
    scored: tuple[Network, PartnerIndex] | PartnerBatch | None,
    as_of: datetime | None,
    rewrite: bool,
) -> int:
    if scored is None:
        as_of = timezone.now()  # before the network is read: anything saved later is not in it
    targets = refresh_targets() if opportunities is None else list(opportunities)
    if not targets:
        return 0
    if isinstance(scored, PartnerBatch):
        batch = scored
    else:
        batch = batch_of(*(scored if scored is not None else network_and_index()))
    targets = [t for t in targets if t.key in batch.network.opportunities]
    # Counted before the ids are read: a record deleted in between is in neither.
    present = suggestion_rows.Present.now()
    # The listings a list may suggest (open, of an active organisation), with their ids for the rows.
    open_ids = dict(
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, organisation__status=Organisation.Status.ACTIVE
        )
        .order_by()  # a dict: the model's ordering would sort 30,000 rows for nothing (208 → 89 ms)
        .values_list("key", "pk")
    )
    opp_saved, org_saved = suggestion_rows.saved_since_lists()
    job = _Job(
        batch=batch,
        chunks=[targets[start : start + chunk] for start in range(0, len(targets), chunk)],
        open_keys=set(open_ids),
        orgs=dict(Organisation.objects.order_by().values_list("key", "pk")),
        opps=open_ids,
        opp_saved=opp_saved,
        org_saved=org_saved,
        version=repr((matching.WEIGHTS, matching.TOP_PARTNERS, matching.TOP_INVITES)),
        as_of=as_of,
        rewrite=rewrite,
        present=present,
    )
    processes = _processes(len(targets))
    done = 0
    for count, learned in _run(job, processes):
        if processes > 1:  # learned by a forked process's copy of the batch
            batch.thresholds.update(learned[0])
            batch.kept.update(learned[1])
            for name, value in learned[2].items():
                batch.stats[name] = batch.stats.get(name, 0) + value
            batch.add_places(learned[3])
        done += count
        if progress is not None:
            progress(done, len(targets))
    if batch.stats["fallbacks"]:
        logger.warning("%s suggestion lists scored pair by pair", batch.stats["fallbacks"])
    return done


Learned = tuple[dict[str, float], dict[str, frozenset[str]], dict[str, int], dict[int, PlacePreference]]
"""What a chunk taught its batch: each list's threshold and listings, counts, and the places its
listings ask for (kept by the worker, so that the refresh after a change need not read them again)."""


def _run(job: _Job, processes: int) -> Iterator[tuple[int, Learned]]:
    """Each chunk scored, explained and written, here or in ``processes`` forked processes, in any
    order; with what the batch learned of each list (a forked process's batch is its own copy)."""
    global _JOB  # read by the forked processes, which inherit it
    _JOB = job
    try:
        if processes <= 1:
            yield from (_write_chunk(i) for i in range(len(job.chunks)))
            return
        # A forked process must not share the parent's database connection: each opens its own.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_in_pool) as pool:
            yield from pool.imap_unordered(_write_chunk, range(len(job.chunks)))
    finally:
        _JOB = None


def _write_chunk(index: int) -> tuple[int, Learned]:
    job = _JOB
    assert job is not None
    part, batch = job.chunks[index], job.batch
    before = dict(batch.stats)
    at = timezone.now()
    now = suggestion_rows.prepared_now(at)
    as_of = suggestion_rows.prepared_now(job.as_of) if job.as_of is not None else None
    stored = suggestion_rows.stored_lists([t.pk for t in part])
    rows: list[suggestion_rows.Row] = []
    runs: list[suggestion_rows.Row] = []
    confirmed: list[int] = []
    by_key = {t.key: t for t in part}
    top, limit = matching.TOP_PARTNERS + 10, matching.TOP_PARTNERS
    for key, candidates, scores in batch.scored(list(by_key), matching.WEIGHTS):
        target = by_key[key]
        chosen = batch.picks(
            key, candidates, scores, top=top, weights=matching.WEIGHTS, keep=job.open_keys, limit=limit
        )
        theirs = [batch.arrays.opportunities[int(candidates[i])] for i, _ in chosen]
        invites = batch.invites(key, top=matching.TOP_INVITES, weights=matching.WEIGHTS)
        digest = suggestion_rows.fingerprint(
            [(o.id, float(scores[i]), up) for o, (i, up) in zip(theirs, chosen, strict=True)],
            [(s.organisation, s.score) for s in invites],
            job.version,
        )
        earlier = None if job.rewrite else stored.get(target.pk)
        if earlier is not None and suggestion_rows.unchanged(
            target.pk,
            digest,
            len(chosen) + len(invites),
            earlier,
            _saved(job, batch, key, theirs, invites),
            at,
        ):
            confirmed.append(target.pk)
            continue
        partners = batch.explain(
            key,
            candidates,
            scores,
            chosen,
            top=top,
            weights=matching.WEIGHTS,
            keep=job.open_keys,
            limit=limit,
        )
        rows += suggestion_rows.suggestion_rows(target.pk, partners, job.orgs, job.opps, now)
        rows += suggestion_rows.suggestion_rows(target.pk, invites, job.orgs, job.opps, now)
        runs.append((target.pk, now, len(partners), as_of, digest))
    batch.stats["unchanged"] += len(confirmed)
    same = set(confirmed)
    written = [t.pk for t in part if t.pk not in same]
    suggestion_rows.write(written, rows, runs, confirmed=confirmed, confirmed_at=at, present=job.present)
    keys = [t.key for t in part]
    learned: Learned = (
        {k: batch.thresholds[k] for k in keys if k in batch.thresholds},
        {k: batch.kept[k] for k in keys if k in batch.kept},
        {name: value - before.get(name, 0) for name, value in batch.stats.items()},
        batch.known_places(keys) if _IN_POOL else {},
    )
    if _IN_POOL:
        connection.close()  # a forked process's own connection, not left for the pool to cut
    return len(part), learned


def _saved(
    job: _Job, batch: PartnerBatch, key: str, theirs: list[Listing], invites: list[PartnerSuggestion]
) -> list[datetime | None]:
    """When each record a list concerns was saved, if since the oldest stored list (else None): the
    listing, its organisation, the suggested listings and their organisations, those to invite."""
    ours = batch.network.opportunity(key)
    saved = [job.opp_saved.get(key), job.org_saved.get(ours.organisation)]
    saved += [job.opp_saved.get(o.id) for o in theirs] + [job.org_saved.get(o.organisation) for o in theirs]
    return saved + [job.org_saved.get(s.organisation) for s in invites]


def _processes(lists: int) -> int:
    """How many processes a refresh of ``lists`` lists uses: ``SUGGESTION_REFRESH_PROCESSES`` (default:
    the machine's cores, at most 2) when forking helps and is safe. Not for a few lists (forking
    costs more than it saves), not inside a transaction (the processes would not see its rows), not on
    an in-memory database (they would not see it at all), and only where ``fork`` exists."""
    wanted = getattr(settings, "SUGGESTION_REFRESH_PROCESSES", None) or min(2, os.cpu_count() or 1)
    if wanted <= 1 or lists < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if connection.in_atomic_block:
        return 1
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and (not name or ":memory:" in name or "mode=memory" in name):
        return 1
    return int(wanted)


_BATCHES: WeakKeyDictionary[Network, PartnerBatch] = WeakKeyDictionary()


def batch_of(the_network: Network, index: PartnerIndex) -> PartnerBatch:
    """The network's arrays for scoring (built once per network and index)."""
    found = _BATCHES.get(the_network)
    if found is None or found.index is not index:
        found = _BATCHES[the_network] = PartnerBatch(the_network, index)
    return found


def network_and_index() -> tuple[Network, PartnerIndex]:
    with collector_paused():
        the_network = network()
        return the_network, PartnerIndex(the_network)


def refresh_all(
    *,
    progress: Progress | None = None,
    scored: PartnerBatch | None = None,
    as_of: datetime | None = None,
    rewrite: bool = False,
) -> int:
    """The full refresh, with its progress recorded for the coordinator (``refresh_status``): every
    list scored, those that changed written (all of them with ``rewrite``; see ``refresh``)."""
    started = time.time()
    targets = refresh_targets()
    _report(0, len(targets), started, True)

    def step(done: int, total: int) -> None:
        _report(done, total, started, done < total)
        if progress is not None:
            progress(done, total)

    try:
        count = refresh(targets, progress=step, scored=scored, as_of=as_of, rewrite=rewrite)
    finally:
        status = refresh_status()
        _report(status.done if status else 0, len(targets), started, False)
    if removed := suggestion_rows.naming_nothing_delete():
        logger.warning("%s stored suggestions named a record deleted outside the app; removed", removed)
    suggestion_rows.table_statistics()
    logger.info("suggestions refreshed for %s opportunities in %.1f s", count, time.time() - started)
    return count


def affected(
    *,
    organisations: Iterable[str] = (),
    opportunities: Iterable[str] = (),
    scored: tuple[Network, PartnerIndex],
) -> list[str]:
    """Keys of the opportunities (not closed) whose suggestions the changed ``organisations`` (their
    profile) and ``opportunities`` can change, the changed ones included."""
    the_network, index = scored
    org_keys, opp_keys = set(organisations), set(opportunities)
    changed = set(
        Opportunity.objects.filter(Q(organisation__key__in=org_keys) | Q(key__in=opp_keys)).values_list(
            "key", flat=True
        )
    )
    # An organisation that posts its first opportunity is no longer one to invite, and one whose last
    # one closes may become one.
    owners = set(Opportunity.objects.filter(key__in=opp_keys).values_list("organisation__key", flat=True))
    # Listings that name a changed one among their suggestions: it may have left their candidates.
    found = naming(opportunities=changed, organisations=org_keys, invited=owners)
    for key in changed:
        if key in the_network.opportunities:
            found.add(key)
            found.update(index.interested_in(key))
    for org in org_keys | owners:
        found.update(index.inviting(org))
    return sorted(
        Opportunity.objects.filter(key__in=found, status__in=NOT_CLOSED).values_list("key", flat=True)
    )


def naming(*, opportunities: Iterable[str], organisations: Iterable[str], invited: Iterable[str]) -> set[str]:
    """Keys of the listings whose stored suggestions name one of ``opportunities`` or (any row) one of
    ``organisations``, or suggest inviting one of ``invited``. Three queries along the foreign keys'
    indexes: one query joining and OR-ing the three read every stored row (8 s at 750,000 rows)."""
    opp_ids = list(Opportunity.objects.filter(key__in=list(opportunities)).values_list("pk", flat=True))
    org_ids = list(Organisation.objects.filter(key__in=list(organisations)).values_list("pk", flat=True))
    invited_ids = list(Organisation.objects.filter(key__in=list(invited)).values_list("pk", flat=True))
    ids: set[int] = set()
    for rows in (
        Suggestion.objects.filter(their_opportunity_id__in=opp_ids),
        Suggestion.objects.filter(organisation_id__in=org_ids),
        Suggestion.objects.filter(organisation_id__in=invited_ids, their_opportunity__isnull=True),
    ):
        ids.update(rows.values_list("opportunity_id", flat=True).distinct())
    return set(Opportunity.objects.filter(pk__in=ids).values_list("key", flat=True))


def refresh_changed(*, organisations: Iterable[str] = (), opportunities: Iterable[str] = ()) -> int:
    """Re-score only what the changes can affect (see ``affected``)."""
    as_of = timezone.now()
    scored = network_and_index()
    keys = affected(organisations=organisations, opportunities=opportunities, scored=scored)
    if not keys:
        return 0
    return refresh(refresh_targets(keys), scored=scored, as_of=as_of)

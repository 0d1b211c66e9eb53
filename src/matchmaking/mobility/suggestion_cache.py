"""The network a worker keeps between refreshes, and the refresh after a change that uses it.

Reading the network from the database is most of what a refresh after one change costs (tens of
seconds at 30,000 opportunities). The worker keeps the last network it read, with its candidate
index and arrays (``engine.partner_batch.PartnerBatch``), in memory. A change reads only the changed
organisations and opportunities and swaps them into the kept records: when their topics and
descriptions are unchanged (so are the network-wide statistics), only their rows of the index and
arrays are encoded again (``engine.partner_patch``); otherwise the network, index and arrays are
rebuilt from memory. Anything else changed since (seen by ``updated_at``) is swapped in too, and if
that is a lot, or an organisation or opportunity came or went, the network is read again.

What is re-scored after a change (``affected``):

* the changed listings themselves (and a changed organisation's listings);
* the lists that hold one of them (it may have left, or its score changed), read from the stored
  suggestions and from the lists this worker kept (drafts and paused listings are kept but not
  stored, and with the country spread they still move the others);
* the lists whose candidates a changed listing is among *and* that it could enter: its new score
  (or its score before the change) in that list at least the list's threshold
  (``PartnerBatch.thresholds``: the ordering value of the last suggestion kept, which a newcomer
  must reach, and which anything kept scores at least; a list whose threshold this worker has not
  seen is re-scored). Below it, a listing neither enters nor stands above anything kept;
* for an organisation without an open listing, the lists that may invite it.

Network-wide statistics (how rare a topic is, which words are distinctive) change only when topics
or descriptions change; they are then recomputed with the network and shift a little for everyone
(a topic's weight ``1 + ln((N + 1) / (n + 1))`` moves by at most ``ln((n + 2) / (n + 1))`` when one
organisation starts or stops mentioning it), and lists not re-scored keep the scores of their last
refresh until the nightly full refresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Q
from django.utils import timezone

from matchmaking.engine import partner_patch
from matchmaking.engine.network import Network
from matchmaking.engine.partner_batch import PartnerBatch
from matchmaking.engine.partner_index import PartnerIndex
from matchmaking.mobility import matching, network_records, suggestion_refresh
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation

logger = logging.getLogger(__name__)

MAX_SWAPPED = 200
"""More changes than this since the last read (not named by the task): read the network again."""

_LOCK = threading.Lock()


@dataclass
class Kept:
    """A network held by this worker, the time of its read, and what its refreshes learnt."""

    batch: PartnerBatch
    read_at: datetime | None
    synced: datetime
    """When the kept network last matched the database (read, or patched with every change since)."""
    thresholds: dict[str, float] = field(default_factory=dict)
    kept: dict[str, frozenset[str]] = field(default_factory=dict)


_KEPT: Kept | None = None


def _last_change() -> datetime | None:
    latest = [
        Opportunity.objects.aggregate(at=Max("updated_at"))["at"],
        Organisation.objects.aggregate(at=Max("updated_at"))["at"],
    ]
    found = [at for at in latest if at is not None]
    return max(found) if found else None


def read() -> PartnerBatch:
    """Read the network from the database and keep it (with its index and arrays) in this worker."""
    global _KEPT
    synced = timezone.now()
    read_at = _last_change()
    with suggestion_refresh.collector_paused():
        the_network, index = suggestion_refresh.network_and_index()
        batch = PartnerBatch(the_network, index)
    with _LOCK:
        _KEPT = Kept(batch=batch, read_at=read_at, synced=synced)
    return batch


def forget() -> None:
    """Drop the kept network (the next change reads it again)."""
    global _KEPT
    with _LOCK:
        _KEPT = None


def kept() -> Kept | None:
    return _KEPT


def learn(batch: PartnerBatch) -> None:
    """Remember the thresholds and lists of the refreshes done with ``batch``."""
    current = _KEPT
    if current is not None and current.batch is batch:
        current.thresholds.update(batch.thresholds)
        current.kept.update(batch.kept)


def _changed_since(read_at: datetime | None, organisations: set[str], opportunities: set[str]) -> tuple[
    set[str], set[str]
]:  # fmt: skip
    """Organisations and opportunities saved since ``read_at`` that the task does not name."""
    if read_at is None:
        return set(), set()
    orgs = set(
        Organisation.objects.filter(updated_at__gt=read_at)
        .exclude(key__in=organisations)
        .values_list("key", flat=True)[: MAX_SWAPPED + 1]
    )
    opps = set(
        Opportunity.objects.filter(updated_at__gt=read_at)
        .exclude(key__in=opportunities)
        .values_list("key", flat=True)[: MAX_SWAPPED + 1]
    )
    return orgs, opps


def _same_members(current: Kept, organisations: set[str], opportunities: set[str]) -> bool:
    """Does the database hold the kept network's organisations and opportunities (the changed ones
    aside)? Not after an import or a restore, say, which may leave ``updated_at`` in the past."""
    the_network = current.batch.network
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by()
    orgs = set(active.values_list("key", flat=True))
    not_closed = Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED).order_by()
    opps = set(not_closed.values_list("key", flat=True))
    return orgs - organisations == set(the_network.organisations) - organisations and (
        opps - opportunities == set(the_network.opportunities) - opportunities
    )


def patched(current: Kept, organisations: set[str], opportunities: set[str]) -> PartnerBatch | None:
    """The kept network with these organisations and opportunities read again; ``None`` when the set
    of organisations or opportunities changed (then the whole network is read)."""
    old = current.batch.network
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE, key__in=organisations)
    org_rows = {o.id: o for o in network_records.organisation_records(active)}
    if set(org_rows) != organisations & set(old.organisations) or organisations - set(old.organisations):
        return None
    wanted = Opportunity.objects.filter(
        Q(key__in=opportunities) | Q(organisation__key__in=organisations),
        status__in=suggestion_refresh.NOT_CLOSED,
    )
    opp_rows = {o.id: o for o in network_records.opportunity_records(wanted)}
    named_in_network = {k for k in opportunities if k in old.opportunities}
    owned = {k for k, o in old.opportunities.items() if o.organisation in organisations}
    if set(opp_rows) != named_in_network | owned:
        return None
    new_orgs, new_opps = list(org_rows.values()), list(opp_rows.values())
    # Topics and descriptions unchanged: the kept arrays re-encoded for the changed rows only.
    in_place = partner_patch.patched_batch(current.batch, new_orgs, new_opps)
    if in_place is not None:
        return in_place
    orgs = {**old.organisations, **{o.id: o for o in new_orgs}}
    opps = {**old.opportunities, **{o.id: o for o in new_opps}}
    the_network = Network(
        orgs.values(),
        opps.values(),
        past_exchanges=[(min(p), max(p)) for p in old.past_exchanges],
        labels=old.labels,
        region_names=old.region_names,
    )
    vectors = dict(old.vectors)
    changed_docs = {f"org:{k}" for k in org_rows} | {f"opp:{k}" for k in opp_rows}
    texts = [(key, text) for key, text in the_network.description_texts() if key in changed_docs]
    for key, _ in texts:
        vectors.pop(key, None)
    vectors.update(matching.description_vectors(texts))
    the_network.vectors = vectors
    return PartnerBatch(the_network, PartnerIndex(the_network))


def current(
    organisations: Iterable[str] = (), opportunities: Iterable[str] = ()
) -> tuple[PartnerBatch, Kept | None]:
    """The network after these changes, from memory when this worker keeps one, and what the
    worker knew before them (``None``: the network was read afresh)."""
    global _KEPT
    orgs, opps = set(organisations), set(opportunities)
    before = _KEPT
    if before is None:
        return read(), None
    synced = timezone.now()
    more_orgs, more_opps = _changed_since(before.read_at, orgs, opps)
    if len(more_orgs) > MAX_SWAPPED or len(more_opps) > MAX_SWAPPED or not _same_members(before, orgs, opps):
        return read(), None
    read_at = _last_change()
    with suggestion_refresh.collector_paused():
        batch = patched(before, orgs | more_orgs, opps | more_opps)
    if batch is None:
        return read(), None
    with _LOCK:
        _KEPT = Kept(
            batch=batch, read_at=read_at, synced=synced, thresholds=before.thresholds, kept=before.kept
        )
    return batch, before


def affected(
    batch: PartnerBatch,
    before: Kept | None,
    *,
    organisations: Iterable[str] = (),
    opportunities: Iterable[str] = (),
) -> list[str]:
    """Keys of the opportunities (not closed) to re-score after these changes (see the module)."""
    if before is None:
        return suggestion_refresh.affected(
            organisations=organisations, opportunities=opportunities, scored=(batch.network, batch.index)
        )
    the_network = batch.network
    org_keys, opp_keys = set(organisations), set(opportunities)
    changed = {
        k for k in opp_keys if k in the_network.opportunities or k in before.batch.network.opportunities
    }
    changed |= {k for k, o in the_network.opportunities.items() if o.organisation in org_keys}
    owners = {the_network.opportunities[k].organisation for k in changed if k in the_network.opportunities}
    found = suggestion_refresh.naming(opportunities=changed, organisations=org_keys, invited=owners)
    # Lists that held a changed listing (drafts and paused ones too, which are kept but not stored:
    # with the country spread they still move the others).
    found.update(other for other, held in before.kept.items() if held & changed)
    for key in changed:
        if key in the_network.opportunities:
            found.add(key)
            found.update(_reached(batch, key, before.thresholds))
        if key in before.batch.network.opportunities:
            # Where it stood before: a listing above a list's threshold that was not kept (its country
            # already well served) still counts in the order of the others.
            found.update(_reached(before.batch, key, before.thresholds))
    for org in org_keys | owners:
        found.update(batch.index.inviting(org))
    return sorted(
        Opportunity.objects.filter(key__in=found, status__in=suggestion_refresh.NOT_CLOSED).values_list(
            "key", flat=True
        )
    )


def _reached(batch: PartnerBatch, key: str, thresholds: dict[str, float]) -> set[str]:
    """The lists that have ``key`` among their candidates with a score at or above their threshold
    (or whose threshold is not known)."""
    lists, scores = batch.entering(key, matching.WEIGHTS)
    return {
        other
        for other, score in zip(lists, scores.tolist(), strict=True)
        if score >= thresholds.get(other, -float("inf")) - 1e-9
    }


def refresh_changed(*, organisations: Iterable[str] = (), opportunities: Iterable[str] = ()) -> int:
    """Re-score what these changes can affect, with the network this worker keeps in memory."""
    orgs, opps = sorted(set(organisations)), sorted(set(opportunities))
    # The whole step with the cycle collector paused: one full pass over the kept network's millions
    # of objects costs about as much as the rest of a change refresh.
    with suggestion_refresh.collector_paused():
        batch, before = current(orgs, opps)
        keys = affected(batch, before, organisations=orgs, opportunities=opps)
        if not keys:
            return 0
        count = suggestion_refresh.refresh(
            suggestion_refresh.refresh_targets(keys), scored=batch, as_of=synced(batch)
        )
        learn(batch)
    return count


def refresh_all(*, rewrite: bool = False) -> int:
    """The full refresh, reading the network afresh and keeping it for the changes that follow."""
    batch = read()
    count = suggestion_refresh.refresh_all(scored=batch, as_of=synced(batch), rewrite=rewrite)
    learn(batch)
    return count


def synced(batch: PartnerBatch) -> datetime | None:
    """When ``batch`` last matched the database, if it is the network this worker keeps."""
    current = _KEPT
    return current.synced if current is not None and current.batch is batch else None

"""A kept network after a few records changed, without building it again.

Building a ``Network`` computes statistics over all of it (how many organisations mention each topic,
the TF-IDF weights of every description's words), and ``PartnerIndex`` and ``PartnerArrays`` encode
every opportunity: seconds at 30,000 opportunities, for a change to one organisation's profile.
``patched_batch`` gives the ``PartnerBatch`` of the network with some organisations and opportunities
replaced by their new versions, sharing what did not change and re-encoding only the changed rows.

It applies only when the change leaves every network-wide statistic exactly as it was: the same
organisations and opportunities (each opportunity with the same organisation), the same set of
topics for each organisation concerned (its expertise, interests and its opportunities' topics: the
topic counts), the same descriptions (the text index and the description vectors), and no topic,
language, country, region, kind or direction the arrays have no column for (a new target group gets
a column). The places the unchanged listings ask for are kept too while the members' countries and
regions stay the same. Then the
result is exactly what building the network, index and arrays again gives (the scores too; a test
compares them). Otherwise it returns ``None`` and the caller builds them again.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.partner_batch import PartnerBatch
from matchmaking.engine.partners import _places_of


def patched_batch(
    batch: PartnerBatch, organisations: Iterable[Organisation] = (), opportunities: Iterable[Opportunity] = ()
) -> PartnerBatch | None:
    """The batch of ``batch.network`` with these records replaced (``batch`` untouched), or ``None``
    when the change moves a network-wide statistic (see the module).

    Examples
    --------
    >>> from dataclasses import replace
    >>> network = Network(
    ...     [Organisation("a", languages=("en",)), Organisation("b", hosting_capacity=2)],
    ...     [
    ...         Opportunity("want", "a", "job-shadowing", "request", languages=("en",)),
    ...         Opportunity("give", "b", "job-shadowing", "offer", languages=("en",)),
    ...     ],
    ... )
    >>> batch = PartnerBatch(network)
    >>> patched_batch(batch, [replace(network.organisations["b"], hosting_capacity=3)]) is not None
    True
    >>> patched_batch(batch, [replace(network.organisations["b"], description="new words")]) is None
    True
    """
    old = batch.network
    orgs = {o.id: o for o in organisations}
    opps = {o.id: o for o in opportunities}
    if any(key not in old.organisations for key in orgs) or any(
        key not in old.opportunities or o.organisation != old.opportunities[key].organisation
        for key, o in opps.items()
    ):
        return None
    if any(o.description != old.organisations[key].description for key, o in orgs.items()) or any(
        o.description != old.opportunities[key].description for key, o in opps.items()
    ):
        return None
    new_orgs = {**old.organisations, **orgs}
    new_opps = {**old.opportunities, **opps}
    concerned = set(orgs) | {o.organisation for o in opps.values()}
    if _topics_by_org(old, concerned) != _topics_by_org(old, concerned, new_orgs, new_opps):
        return None
    network = copy.copy(old)
    network.organisations, network.opportunities = new_orgs, new_opps
    index = batch.index
    rows = {index.position[key] for key in opps}
    rows |= {index.position[key] for key, o in new_opps.items() if o.organisation in orgs}
    org_rows = {index._org_row[key] for key in orgs if key in index._org_row}
    new_index = index.patched(network, rows, org_rows)
    if new_index is None:
        return None
    arrays = batch.arrays.patched(network, new_index, rows)
    if arrays is None:
        return None
    patched = PartnerBatch(network, new_index, arrays)
    # The place a listing asks for reads its description, its organisation's country and the
    # members' countries and regions: kept for every unchanged listing while those sets stay.
    if _places_of(network) == _places_of(old):
        patched._places = {row: p for row, p in batch._places.items() if row not in rows}
    return patched


def _topics_by_org(
    network: Network,
    concerned: set[str],
    organisations: dict[str, Organisation] | None = None,
    opportunities: dict[str, Opportunity] | None = None,
) -> dict[str, set[str]]:
    """The topics each concerned organisation mentions (what ``Network.topic_counts`` counts)."""
    organisations = network.organisations if organisations is None else organisations
    opportunities = network.opportunities if opportunities is None else opportunities
    found: dict[str, set[str]] = {key: set() for key in concerned}
    for key in concerned:
        org = organisations.get(key)
        if org is not None:
            found[key].update(org.expertise, org.interests)
    for opp in opportunities.values():
        if opp.organisation in found:
            found[opp.organisation].update(opp.topics)
    return found

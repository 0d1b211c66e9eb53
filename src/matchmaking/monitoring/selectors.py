"""Reads of the monitoring pages: the cockpit's figures, the organisations and regions its filters
offer, targets and learner counts. The per-mobility export is in ``mobilities``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.monitoring import disclosure, facts
from matchmaking.monitoring.access import cockpit_scope, mobility_export_organisations
from matchmaking.monitoring.cockpit import (
    Cockpit,
    CockpitFilters,
    Progress,
    exchanges_by_status,
    exchanges_by_type,
    fewer_opportunities_share,
    mobility_flags,
    participants_by_activity,
    vet_learners,
)
from matchmaking.monitoring.event_indicators import matchmaking_events
from matchmaking.monitoring.exchange_indicators import (
    completion_reporting,
    cooperation_followed,
    reciprocity,
    region_flows,
    staff_flows,
    time_to_agreement,
)
from matchmaking.monitoring.fact_reader import FactReader
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.monitoring.pathway_indicators import (
    allocation_fairness,
    drop_out_reasons,
    exits,
    placed_by_labour_market,
    referrals,
    retention,
    youth_guarantee,
)
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser
from matchmaking.taxonomies.models import Region


def export_organisations(*, user: AnyUser) -> list[Organisation]:
    """The organisations ``user`` may filter the per-mobility export by, by name."""
    scope = mobility_export_organisations(user)
    qs = Organisation.objects.order_by("name")
    return list(qs if scope is None else qs.filter(pk__in=scope))


def cockpit_organisations(*, user: AnyUser | None) -> list[Organisation]:
    """The organisations the cockpit's filter offers ``user`` (None: the command line, all), with their
    key and name only (the coordinator's list is the whole network)."""
    scope = None if user is None else cockpit_scope(user)
    qs = Organisation.objects.only("pk", "key", "name").order_by("name")
    return list(qs if scope is None else qs.filter(pk__in=scope))


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def cockpit(*, user: AnyUser | None, filters: CockpitFilters, live: bool = False) -> Cockpit:
    """Every indicator over what ``user`` may see (None: the command line, the whole network).

    The figures of exchanges and of people travelling come from the pre-aggregated tables once they
    have been built (``facts.py``, read by ``fact_reader.py``), else, or with ``live``, from the live
    tables; ``figures_as_of`` says which."""
    scope = None if user is None else cockpit_scope(user)
    today = timezone.localdate()
    refreshed = None if live else facts.last_refresh()
    agg = FactReader(filters, scope) if refreshed is not None and facts.usable(filters) else None
    tables = [
        exchanges_by_type(filters, scope, agg=agg),
        exchanges_by_status(filters, scope, agg=agg),
        participants_by_activity(filters, scope, agg=agg),
        vet_learners(filters, scope, agg=agg),
        fewer_opportunities_share(filters, scope, agg=agg),
        mobility_flags(filters, scope, agg=agg),
        staff_flows(filters, scope, agg=agg),
        reciprocity(filters, scope, agg=agg),
        time_to_agreement(filters, scope, agg=agg),
        completion_reporting(filters, scope, today, agg=agg),
        cooperation_followed(filters, scope, agg=agg),
        placed_by_labour_market(filters, scope),
        youth_guarantee(filters, scope),
        exits(filters, scope),
        retention(filters, scope),
        drop_out_reasons(filters, scope),
        referrals(filters, scope),
        allocation_fairness(filters, scope),
        matchmaking_events(filters, scope),
    ]
    by_code = {t.code: t for t in tables}
    flows = region_flows(filters, scope, agg=agg)
    return Cockpit(
        filters=filters,
        tables=by_code,
        progress=_progress(by_code),
        flows=flows,
        context_flows=_context_flows(filters, scope, flows, agg),
        computed_at=timezone.now(),
        figures_as_of=refreshed.refreshed_at if agg is not None and refreshed is not None else None,
        k=disclosure.threshold(),
    )


def _context_flows(
    filters: CockpitFilters,
    scope: set[int] | None,
    flows: list[tuple[str, str, int]],
    agg: FactReader | None,
) -> list[tuple[str, str, int]]:
    """With a place filter, the other flows of the same period, type and target group (what the
    caller may see), for context on the map; without one, none."""
    if not filters.has_place:
        return []
    shown = {(a, b) for a, b, _n in flows}
    if agg is not None:
        wide = agg.region_flows(everywhere=True)  # read by the same query as ``flows``
    else:
        wider = CockpitFilters(
            date_from=filters.date_from,
            date_to=filters.date_to,
            activity_type=filters.activity_type,
            target_group=filters.target_group,
        )
        wide = region_flows(wider, scope)
    return [flow for flow in wide if (flow[0], flow[1]) not in shown]


def _progress(tables: dict) -> list[Progress]:
    """The latest year of each indicator with targets, against every target set for it."""
    out = []
    for code, title, column in (
        ("vet-learners-on-mobility", _("VET learners on mobility"), 3),
        ("fewer-opportunities-share", _("Mobilities for people with fewer opportunities"), 4),
    ):
        table = tables[code]
        rows = [r for r in table.rows if r[column] is not None]
        if not rows:
            continue
        year, value = rows[-1][0], rows[-1][column]
        targets = [
            (t.source, t.year, t.value)
            for t in Target.objects.filter(indicator=code, year__gte=year).order_by("year", "source")
        ]
        seen: set[str] = set()
        firsts = [t for t in targets if not (t[0] in seen or seen.add(t[0]))]  # type: ignore[func-returns-value]
        out.append(Progress(code=code, title=title, year=int(year), value=value, targets=firsts))
    return out


def targets() -> QuerySet[Target]:
    return Target.objects.order_by("indicator", "year", "source")


def learner_counts() -> QuerySet[LearnerCount]:
    return LearnerCount.objects.select_related("region", "organisation").order_by(
        "-year", "region__code", "organisation__name"
    )

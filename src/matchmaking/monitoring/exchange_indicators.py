"""Indicators of the exchanges between organisations: flows between regions, reciprocity, time to
agreement, completion and reporting, and whether cooperation followed. Only the staff counts of the
flows count people and are disclosure-controlled; the rest count exchanges, organisations or answers.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import HOLDING_STATES, CompletionReport, Exchange, FollowUp, State
from matchmaking.monitoring import disclosure
from matchmaking.monitoring import labels as names
from matchmaking.monitoring.cockpit import Table, exchange_rows
from matchmaking.monitoring.fact_reader import STAFF_VISIT_TYPES, FactReader
from matchmaking.monitoring.facts import accepted_at
from matchmaking.monitoring.filters import CockpitFilters, period
from matchmaking.monitoring.sql import DaysBetweenTimes


def region_flows(
    f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None
) -> list[tuple[str, str, int]]:
    """Exchanges holding places by (sending region, receiving region), the largest first."""
    if agg:
        return agg.region_flows()
    qs = (
        exchange_rows(f, scope)
        .filter(period(f, "start"), visitor__region__isnull=False, host__region__isnull=False)
        .values_list("visitor__region__code", "host__region__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "visitor__region__code", "host__region__code")
    )
    return [(a, b, n) for a, b, n in qs]


def staff_flows(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    if agg:
        rows = agg.staff_flows()
    else:
        rows = list(
            exchange_rows(f, scope)
            .filter(period(f, "start"), type__code__in=STAFF_VISIT_TYPES)
            .values_list("visitor__region__code", "host__region__code")
            .annotate(
                exchanges=Count("pk", distinct=True),
                staff=Count("visitors", filter=Q(visitors__kind="staff", visitors__accompanying=False)),
            )
            .order_by("visitor__region__code", "host__region__code")
        )
    table = Table(
        "staff-flows",
        _("Staff job shadowing and study visits by region pair"),
        [
            ("from_region", _("From region")),
            ("to_region", _("To region")),
            ("exchanges", _("Exchanges")),
            ("staff", _("Staff travelling")),
        ],
        people=True,
        labels=names.region_label,
        labelled=2,
    )
    if not rows:
        return table
    staff = disclosure.protect([[r[3]] for r in rows], row_totals=False).shown()
    table.rows = [
        [a or "none", b or "none", n, s[0]] for (a, b, n, _s), s in zip(rows, staff[:-1], strict=True)
    ]
    table.total = ["total", "", sum(r[2] for r in rows), staff[-1][0]]
    return table


SMALL_IN_LIST = 300


def reciprocity(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    table = Table(
        "reciprocity-rate",
        _("Reciprocity rate"),
        [("measure", _("Measure")), ("value", _("Value"))],
        labels=names.MEASURES,
    )
    if agg:
        n, both, anything = agg.reciprocity()
        if anything:
            table.rows = [
                ["pairs", n],
                ["reciprocal_pairs", both],
                ["rate_percent", round(100 * both / n, 1) if n else None],
            ]
        return table
    pairs = set(
        exchange_rows(f, scope).filter(period(f, "start")).values_list("visitor_id", "host_id").distinct()
    )
    if not pairs:
        return table
    orgs = {o for pair in pairs for o in pair}
    every = Exchange.objects.filter(state__in=HOLDING_STATES)
    if len(orgs) <= SMALL_IN_LIST:
        # Past a few hundred organisations, reading every pair is faster than two long IN lists.
        every = every.filter(visitor_id__in=orgs, host_id__in=orgs)
    directed = set(every.values_list("visitor_id", "host_id").order_by().distinct())
    undirected = {frozenset(p) for p in pairs if p[0] != p[1]}
    both = sum(1 for p in undirected if len({(a, b) for a in p for b in p if a != b} - directed) == 0)
    table.rows = [
        ["pairs", len(undirected)],
        ["reciprocal_pairs", both],
        ["rate_percent", round(100 * both / len(undirected), 1) if undirected else None],
    ]
    return table


def time_to_agreement(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    if agg:
        days = agg.agreement_days()
    else:
        qs = (
            exchange_rows(f, scope, holding=False)
            .annotate(accepted_at=accepted_at())
            .filter(accepted_at__isnull=False)
        )
        if f.date_from:
            qs = qs.filter(accepted_at__date__gte=f.date_from)
        if f.date_to:
            qs = qs.filter(accepted_at__date__lte=f.date_to)
        # The days in the database (as the pre-aggregated tables hold them), so that both agree.
        between = qs.annotate(days=DaysBetweenTimes(F("created_at"), F("accepted_at")))
        days = sorted(max(d, 0.0) for d in between.values_list("days", flat=True))
    table = Table(
        "time-to-agreement",
        _("Time from proposal to agreed exchange"),
        [("measure", _("Measure")), ("value", _("Value"))],
        labels=names.MEASURES,
    )
    if not days:
        return table
    table.rows = [
        ["exchanges_agreed", len(days)],
        ["median_days", round(_quantile(days, 0.5), 1)],
        ["p90_days", round(_quantile(days, 0.9), 1)],
    ]
    return table


def _quantile(values: list[float], q: float) -> float:
    """The q-quantile of sorted ``values``, linear between the two nearest ranks."""
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def completion_reporting(
    f: CockpitFilters, scope: set[int] | None, today: date, agg: FactReader | None = None
) -> Table:
    if agg:
        n, completed, reported = agg.completion(today)
        counts = {"n": n, "completed": completed, "reported": reported}
    else:
        qs = exchange_rows(f, scope).filter(period(f, "end"), end__lt=today)
        counts = qs.aggregate(
            n=Count("pk"),
            completed=Count("pk", filter=Q(state__in=(State.COMPLETED, State.REPORTED))),
            reported=Count("pk", filter=Q(state=State.REPORTED)),
        )
    table = Table(
        "completion-reporting",
        _("Completion and reporting rates"),
        [("measure", _("Measure")), ("value", _("Value"))],
        labels=names.MEASURES,
    )
    n = counts["n"]
    if not n:
        return table
    table.rows = [
        ["exchanges_ended", n],
        ["completed", counts["completed"]],
        ["completion_rate_percent", round(100 * counts["completed"] / n, 1)],
        ["reported", counts["reported"]],
        ["reporting_rate_percent", round(100 * counts["reported"] / n, 1)],
    ]
    return table


def cooperation_followed(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    if agg:
        host, visitors = agg.follow_ups()
    else:
        reports = CompletionReport.objects.filter(
            exchange__in=exchange_rows(f, scope).filter(period(f, "start")).values("pk")
        )
        host = Counter(
            dict(
                reports.exclude(host_follow_up="")
                .values_list("host_follow_up")
                .annotate(n=Count("pk"))
                .order_by()
            )
        )
        visitors = Counter(
            dict(
                reports.exclude(visitor_follow_up="")
                .values_list("visitor_follow_up")
                .annotate(n=Count("pk"))
                .order_by()
            )
        )
    table = Table(
        "cooperation-followed",
        _("Did cooperation follow? (six months later)"),
        [
            ("answer", _("Answer")),
            ("hosts", _("Hosts")),
            ("visiting_organisations", _("Visiting organisations")),
        ],
        labels=names.FOLLOW_UPS,
    )
    if not host and not visitors:
        return table
    table.rows = [[a.value, host.get(a.value, 0), visitors.get(a.value, 0)] for a in FollowUp]
    table.total = ["total", sum(host.values()), sum(visitors.values())]
    return table

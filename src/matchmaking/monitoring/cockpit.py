"""The reads of the monitoring cockpit: every indicator of ``indicators/definitions.json`` computed
with SQL aggregates over what the caller may see, filtered, and disclosure-controlled before it leaves.

Each indicator is a ``Table``: stable column keys (the exports' and the command line's headers),
labels for the page, and rows of figures as they may be shown (suppressed). Exact counts of people
never leave this module, except to the charts as the same suppressed figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import HOLDING_STATES, Exchange, State, Visitor
from matchmaking.monitoring import disclosure
from matchmaking.monitoring import labels as names
from matchmaking.monitoring.fact_reader import FactReader
from matchmaking.monitoring.filters import CockpitFilters, either_side, period, side
from matchmaking.monitoring.indicators import definitions
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.monitoring.sql import DaysBetween, Year
from matchmaking.placements.models import MobilityRecord

LEARNER_KINDS = (Visitor.Kind.VET_LEARNER, Visitor.Kind.APPRENTICE)
MIN_LEARNER_DAYS = 10

Value = int | str | float | Decimal | None


@dataclass
class Table:
    code: str
    title: str | Promise
    columns: list[tuple[str, str | Promise]]  # (key, label); the first column labels the rows
    rows: list[list[Value]] = field(default_factory=list)
    total: list[Value] | None = None  # the totals row, when the table has one
    people: bool = False
    note: str | Promise = ""
    # Names the codes of the first ``labelled`` columns in the reader's language (the page shows the
    # names, the downloads both); None where those columns hold no codes (years, months, names).
    labels: Callable[[Any], str] | None = None
    labelled: int = 1

    @property
    def empty(self) -> bool:
        return not self.rows

    def label(self, value: Value) -> Value:
        """``value`` of a labelled column as the reader reads it."""
        return self.labels(value) if self.labels and value is not None else value

    @property
    def definition(self) -> Any:
        return definitions().indicators.get(self.code)

    def records(self) -> list[list[Value]]:
        return [*self.rows, *([self.total] if self.total else [])]


@dataclass
class Progress:
    """One indicator's latest value against its targets, for a progress bar."""

    code: str
    title: str | Promise
    year: int
    value: Value
    targets: list[tuple[str, int, Decimal]]  # (source, target year, value)

    @property
    def hidden(self) -> bool:
        """Too few people behind the figure to show it (it reads "<k")."""
        return isinstance(self.value, str)


@dataclass
class Cockpit:
    filters: CockpitFilters
    tables: dict[str, Table]
    progress: list[Progress]
    flows: list[tuple[str, str, int]]  # (sending region, receiving region, exchanges)
    # With a place filter: the flows of the same period and type without it, drawn faintly for context.
    context_flows: list[tuple[str, str, int]]
    computed_at: Any
    k: int
    # When the pre-aggregated tables the counts came from were built; None: computed live.
    figures_as_of: Any = None

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables.values())


# --- Row sets -----------------------------------------------------------------------------------


def exchange_q(f: CockpitFilters, scope: set[int] | None, prefix: str = "", holding: bool = True) -> Q:
    """The exchanges the filters keep, as a condition on ``prefix`` (an exchange's field path)."""
    q = either_side(f, scope, f"{prefix}visitor", f"{prefix}host")
    if holding:
        q &= Q(**{f"{prefix}state__in": HOLDING_STATES})
    if f.activity_type:
        q &= Q(**{f"{prefix}type__code": f.activity_type})
    if f.target_group:
        q &= Q(
            **{
                f"{prefix}pk__in" if prefix else "pk__in": Exchange.objects.filter(
                    Q(offer__target_groups__code=f.target_group)
                    | Q(request__target_groups__code=f.target_group)
                    | Q(visitor__target_groups__code=f.target_group)
                ).values("pk")
            }
        )
    return q


def exchange_rows(f: CockpitFilters, scope: set[int] | None, holding: bool = True) -> Any:
    return Exchange.objects.filter(exchange_q(f, scope, holding=holding))


def _visitors(f: CockpitFilters, scope: set[int] | None) -> Any:
    """People travelling in exchanges (accompanying persons left out), with ``first`` and ``last``."""
    return (
        Visitor.objects.filter(exchange_q(f, scope, "exchange__"), accompanying=False)
        .annotate(first=Coalesce("start", "exchange__start"), last=Coalesce("end", "exchange__end"))
        .filter(period(f, "first"))
    )


def _records(f: CockpitFilters, scope: set[int] | None) -> Any:
    """Placements abroad (accompanying persons left out)."""
    qs = MobilityRecord.objects.filter(either_side(f, scope, "sending", "receiving"), accompanying=False)
    qs = qs.filter(start__isnull=False).filter(period(f, "start"))
    if f.activity_type and f.activity_type != "learner-placement":
        return qs.none()
    if f.target_group:
        qs = qs.filter(sending__target_groups__code=f.target_group)
    return qs


def _days() -> DaysBetween:
    return DaysBetween(F("first"), F("last"))


# --- Indicators ---------------------------------------------------------------------------------


def exchanges_by_type(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    if agg:
        counts = agg.by_type()
    else:
        qs = exchange_rows(f, scope).filter(period(f, "start"))
        counts = dict(qs.values_list("type__code").annotate(n=Count("pk")).order_by("type__code"))
    table = Table(
        "exchanges-by-type",
        _("Exchanges by type"),
        [("type", _("Type")), ("exchanges", _("Exchanges"))],
        labels=names.EXCHANGE_TYPES,
    )
    table.rows = [[code, n] for code, n in counts.items()]
    table.total = ["total", sum(counts.values())] if counts else None
    return table


def exchanges_by_status(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    if agg:
        counts = agg.by_status()
    else:
        qs = exchange_rows(f, scope, holding=False).filter(period(f, "start"))
        counts = dict(qs.values_list("state").annotate(n=Count("pk")).order_by())
    table = Table(
        "exchanges-by-status",
        _("Exchanges by status"),
        [("status", _("Status")), ("exchanges", _("Exchanges"))],
        labels=names.EXCHANGE_STATES,
    )
    table.rows = [[state.value, counts[state.value]] for state in State if counts.get(state.value)]
    table.total = ["total", sum(counts.values())] if counts else None
    return table


def participants_by_activity(
    f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None
) -> Table:
    """People by Erasmus+ activity code; sent and received by the filter's places when there is one."""
    focus = f.has_place or scope is not None
    grouped: Any = None
    if agg:
        grouped = [(r[1], r[7] if r[5] else 0, r[7] if r[6] else 0) for r in agg.people]
        if not focus:
            grouped = [(code, n) for code, n, _r in grouped]
    visitors = _visitors(f, scope).values_list("exchange__activity_code")
    records = _records(f, scope).values_list("activity_code")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    columns: list[tuple[str, str | Promise]]
    if focus:
        sent_v = side(f, scope, "exchange__visitor")
        got_v = side(f, scope, "exchange__host")
        live = visitors.annotate(s=Count("pk", filter=sent_v), r=Count("pk", filter=got_v)).order_by()
        for code, sent, got in grouped if agg else live:
            counts[code or "none"][0] += sent
            counts[code or "none"][1] += got
        for code, sent, got in records.annotate(
            s=Count("pk", filter=side(f, scope, "sending")), r=Count("pk", filter=side(f, scope, "receiving"))
        ).order_by():
            counts[code or "none"][0] += sent
            counts[code or "none"][1] += got
        columns = [
            ("activity_type", _("Erasmus+ activity type")),
            ("sent", _("Sent")),
            ("received", _("Received")),
        ]
    else:
        for code, n in grouped if agg else visitors.annotate(n=Count("pk")).order_by():
            counts[code or "none"][0] += n
        for code, n in records.annotate(n=Count("pk")).order_by():
            counts[code or "none"][0] += n
        columns = [("activity_type", _("Erasmus+ activity type")), ("participants", _("Participants"))]
    codes = sorted(counts)
    width = len(columns) - 1
    table = Table(
        "participants-by-activity",
        _("Participants by activity type"),
        columns,
        people=True,
        labels=names.ACTIVITY_TYPES,
    )
    if not codes:
        return table
    shown = disclosure.protect([counts[c][:width] for c in codes], row_totals=False).shown()
    table.rows = [[code, *values] for code, values in zip(codes, shown[:-1], strict=True)]
    table.total = ["total", *shown[-1]]
    if focus:
        table.note = _("A mobility between two organisations of the filter counts as sent and as received.")
    return table


def _per_year(rows: Any, key: str) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for year, flagged, total in rows:
        out[int(year)][0] += flagged
        out[int(year)][1] += total
    return out


def fewer_opportunities_share(
    f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None
) -> Table:
    visitors = (
        [(r[0], r[8], r[7]) for r in agg.people]
        if agg
        else _visitors(f, scope)
        .annotate(year=Year("first"))
        .values_list("year")
        .annotate(flagged=Count("pk", filter=Q(fewer_opportunities=True)), n=Count("pk"))
        .order_by()
    )
    records = (
        _records(f, scope)
        .annotate(year=Year("start"))
        .values_list("year")
        .annotate(flagged=Count("pk", filter=Q(fewer_opportunities=True)), n=Count("pk"))
        .order_by()
    )
    years = _per_year([*visitors, *records], "year")
    table = Table(
        "fewer-opportunities-share",
        _("Mobilities for people with fewer opportunities"),
        [
            ("year", _("Year")),
            ("fewer_opportunities", _("With fewer opportunities")),
            ("others", _("Others")),
            ("participants", _("All participants")),
            ("share_percent", _("Share (%)")),
            ("target_percent", _("Partnership target (%)")),
        ],
        people=True,
    )
    if not years:
        return table
    order = sorted(years)
    protected = disclosure.protect([[years[y][0], years[y][1] - years[y][0]] for y in order]).shown()
    targets = _targets("fewer-opportunities-share", "partnership")
    labels: list[int | str] = [*order, "total"]
    for label, (flagged, others, total) in zip(labels, protected, strict=True):
        row: list[Value] = [label, flagged, others, total, _share_of(flagged, total)]
        row.append(_target_for(targets, label) if isinstance(label, int) else None)
        if label == "total":
            table.total = row
        else:
            table.rows.append(row)
    return table


MOBILITY_FLAGS = ("green_travel", "blended", "force_majeure")


def mobility_flags(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    """People travelling with each Erasmus+ reporting flag (green travel, blended, force majeure), out
    of all people travelling in the period: an exchange's flags hold for each of its visitors."""
    if agg:
        visitors = {"n": sum(r[7] for r in agg.people)}
        for n, flag in enumerate(MOBILITY_FLAGS):
            visitors[flag] = sum(r[7] for r in agg.people if r[2 + n])
    else:
        visitors = _visitors(f, scope).aggregate(
            n=Count("pk"),
            **{flag: Count("pk", filter=Q(**{f"exchange__{flag}": True})) for flag in MOBILITY_FLAGS},
        )
    records = _records(f, scope).aggregate(
        n=Count("pk"), **{flag: Count("pk", filter=Q(**{flag: True})) for flag in MOBILITY_FLAGS}
    )
    everyone = visitors["n"] + records["n"]
    table = Table(
        "exchange-flags",
        _("Green travel, blended mobility and force majeure"),
        [
            ("flag", _("Flag")),
            ("with_flag", _("With the flag")),
            ("without_flag", _("Without it")),
            ("participants", _("All participants")),
            ("share_percent", _("Share (%)")),
        ],
        people=True,
        labels=names.MOBILITY_FLAGS,
    )
    if not everyone:
        return table
    flagged = [visitors[flag] + records[flag] for flag in MOBILITY_FLAGS]
    # Each row adds up to everyone travelling: protected as a row with its total, so that a small
    # number without a flag cannot be read off either.
    shown = disclosure.protect([[n, everyone - n] for n in flagged], column_totals=False).shown()
    for flag, (with_flag, without, total) in zip(MOBILITY_FLAGS, shown, strict=True):
        table.rows.append([flag.replace("_", "-"), with_flag, without, total, _share_of(with_flag, total)])
    return table


def _share_of(part: disclosure.Cell, whole: disclosure.Cell) -> Value:
    if isinstance(part, int) and isinstance(whole, int):
        return disclosure.share(part, whole)
    return part if isinstance(part, str) else whole


def vet_learners(f: CockpitFilters, scope: set[int] | None, agg: FactReader | None = None) -> Table:
    """Learners on a mobility of at least ten days by the year it starts, against the learners of that
    year in the filter's regions (or organisations)."""
    ten_days = MIN_LEARNER_DAYS - 1  # first and last day both count
    sending = CockpitFilters(
        **{**f.as_dict(), "country": "", "region": "", "organisation_id": None, "kind": ""}
    )
    visitors = (
        [(r[0], r[9]) for r in agg.people if r[5] and r[9]]
        if agg
        else _visitors(sending, None)
        .filter(side(f, scope, "exchange__visitor"), kind__in=LEARNER_KINDS)
        .annotate(days=_days(), year=Year("first"))
        .filter(days__gte=ten_days)
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    records = (
        _records(sending, None)
        .filter(side(f, scope, "sending"), learner_type__in=LEARNER_KINDS, end__isnull=False)
        .annotate(first=F("start"), last=F("end"))
        .annotate(days=_days(), year=Year("start"))
        .filter(days__gte=ten_days)
        .values_list("year")
        .annotate(n=Count("participant", distinct=True))
        .order_by()
    )
    learners: dict[int, int] = defaultdict(int)
    for year, n in [*visitors, *records]:
        learners[int(year)] += n
    denominators = _denominators(f, scope)
    table = Table(
        "vet-learners-on-mobility",
        _("VET learners on mobility"),
        [
            ("year", _("Year")),
            ("learners_on_mobility", _("Learners on mobility")),
            ("learners", _("Learners (denominator)")),
            ("share_percent", _("Share (%)")),
            ("partnership_target_percent", _("Partnership target (%)")),
            ("council_target_percent", _("Council target (%)")),
        ],
        people=True,
    )
    partnership, council = (
        _targets("vet-learners-on-mobility", "partnership"),
        _targets("vet-learners-on-mobility", "council"),
    )
    for year in sorted(set(learners) | set(denominators)):
        numerator = learners.get(year, 0)
        denominator = denominators.get(year)
        table.rows.append(
            [
                year,
                disclosure.suppress(numerator),
                denominator,
                disclosure.share(numerator, denominator) if denominator else None,
                _target_for(partnership, year),
                _target_for(council, year),
            ]
        )
    if learners and not denominators:
        table.note = _("No learner counts for these years: the coordinator enters or imports them.")
    return table


def _denominators(f: CockpitFilters, scope: set[int] | None) -> dict[int, int]:
    """Learners per year: the organisations' counts when an organisation (or a member's own scope)
    is asked for, else the regions' counts in the filter's region or country."""
    qs = LearnerCount.objects.all()
    if f.organisation_id or scope is not None:
        qs = qs.filter(organisation__isnull=False)
        if f.organisation_id:
            qs = qs.filter(organisation_id=f.organisation_id)
        if scope is not None:
            qs = qs.filter(organisation_id__in=scope)
    else:
        qs = qs.filter(region__isnull=False)
        if f.region:
            qs = qs.filter(region__code=f.region)
        if f.country:
            qs = qs.filter(region__country=f.country)
    if f.date_from:
        qs = qs.filter(year__gte=f.date_from.year)
    if f.date_to:
        qs = qs.filter(year__lte=f.date_to.year)
    return {
        int(year): int(n)
        for year, n in qs.values_list("year").annotate(n=Coalesce(Sum("learners"), 0)).order_by()
    }


def _targets(indicator: str, source: str) -> dict[int, Decimal]:
    return dict(Target.objects.filter(indicator=indicator, source=source).values_list("year", "value"))


def _target_for(targets: dict[int, Decimal], year: int) -> Decimal | None:
    """The target of ``year``, else the next one set for a later year (a target "by 2030" holds for
    every year before it)."""
    later = [y for y in targets if y >= year]
    return targets[min(later)] if later else None

"""Pre-aggregated tables of the cockpit: exchanges and people travelling grouped by every dimension the
cockpit filters on (``MobilityFact``), rebuilt whole by ``refresh`` in the database (``INSERT …
SELECT``), so that the page reads a table with no joins instead of a million visitors.

The cockpit reads them when they have been built at least once and the filters are dimensions of the
table: period (any dates: the rows keep the first day), country, NUTS-2 region, organisation and kind
of either side, the caller's scope, and the opportunity type. The target-group filter is not (an
exchange has several target groups through its offer, its request and its sending organisation), so
with it every figure is computed from the live tables, as are the placement mobility records (few, and
counted per participant) and the indicators that do not count people travelling. The page says how old
the figures are: "figures as of" the last refresh.

Refreshes: a periodic job, a debounced task after changes to exchanges and visitors (``tasks.py``), and
``matchmaking indicators --refresh``.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from matchmaking.exchanges.models import HOLDING_STATES, Exchange, Visitor
from matchmaking.monitoring.filters import CockpitFilters, period
from matchmaking.monitoring.models import FactRefresh, MobilityFact
from matchmaking.monitoring.sql import DaysBetween, Year

LEARNER_KINDS = (Visitor.Kind.VET_LEARNER, Visitor.Kind.APPRENTICE)
TEN_DAYS = 9  # days between the first and the last day of a ten-day mobility

DIMENSIONS = (
    "state", "exchange_start", "start", "year", "type_code", "activity_code", "sending_id", "receiving_id",
    "sending_country", "receiving_country", "sending_region", "receiving_region", "sending_kind",
    "receiving_kind", "green_travel", "blended", "force_majeure",
)  # fmt: skip
MEASURES = ("exchanges", "people", "fewer_opportunities", "staff", "learners_long")


def _dimensions(prefix: str) -> dict[str, Any]:
    """The dimension columns as expressions over an exchange (``prefix``: its path from the row)."""
    return {
        "state": F(f"{prefix}state"),
        "exchange_start": F(f"{prefix}start"),
        "type_code": F(f"{prefix}type__code"),
        "activity_code": F(f"{prefix}activity_code"),
        "sending_id": F(f"{prefix}visitor_id"),
        "receiving_id": F(f"{prefix}host_id"),
        "sending_country": F(f"{prefix}visitor__country"),
        "receiving_country": F(f"{prefix}host__country"),
        "sending_region": Coalesce(F(f"{prefix}visitor__region__code"), Value("")),
        "receiving_region": Coalesce(F(f"{prefix}host__region__code"), Value("")),
        "sending_kind": Coalesce(F(f"{prefix}visitor__kind__code"), Value("")),
        "receiving_kind": Coalesce(F(f"{prefix}host__kind__code"), Value("")),
        "green_travel": F(f"{prefix}green_travel"),
        "blended": F(f"{prefix}blended"),
        "force_majeure": F(f"{prefix}force_majeure"),
    }


def _zero() -> Value:
    return Value(0, output_field=IntegerField())


def exchange_rows() -> QuerySet[Any]:
    """One row per group of exchanges (every state) with their count."""
    dims = _dimensions("")
    return (
        Exchange.objects.annotate(
            **{f"d_{k}": v for k, v in dims.items()}, d_start=F("start"), d_year=Year("start")
        )
        .values(*(f"d_{k}" for k in [*dims, "start", "year"]))
        .annotate(
            m_exchanges=Count("pk"),
            m_people=_zero(),
            m_fewer_opportunities=_zero(),
            m_staff=_zero(),
            m_learners_long=_zero(),
        )
        .order_by()
    )


def people_rows() -> QuerySet[Any]:
    """One row per group of people travelling in exchanges holding places, by their own first day."""
    dims = _dimensions("exchange__")
    learner = Q(kind__in=LEARNER_KINDS)
    return (
        Visitor.objects.filter(accompanying=False, exchange__state__in=HOLDING_STATES)
        .annotate(first=Coalesce("start", "exchange__start"), last=Coalesce("end", "exchange__end"))
        .annotate(days=DaysBetween(F("first"), F("last")), d_start=F("first"), d_year=Year("first"))
        .annotate(**{f"d_{k}": v for k, v in dims.items()})
        .values(*(f"d_{k}" for k in [*dims, "start", "year"]))
        .annotate(
            m_exchanges=_zero(),
            m_people=Count("pk"),
            m_fewer_opportunities=Count("pk", filter=Q(fewer_opportunities=True)),
            m_staff=Count("pk", filter=Q(kind=Visitor.Kind.STAFF)),
            m_learners_long=Count("pk", filter=learner & Q(days__gte=TEN_DAYS)),
        )
        .order_by()
    )


def _insert(qs: QuerySet[Any]) -> int:
    """``INSERT INTO`` the fact table ``SELECT`` of ``qs``, its columns named by their ``d_``/``m_``
    aliases (so the order of the select list does not matter)."""
    compiler = qs.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    aliases = [alias for _expr, _sql, alias in compiler.select]
    columns = [alias[2:] for alias in aliases]
    if any(not a.startswith(("d_", "m_")) for a in aliases) or set(columns) != {*DIMENSIONS, *MEASURES}:
        raise RuntimeError(f"unexpected fact columns: {aliases}")
    table = MobilityFact._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) {sql}", params)
        return int(cursor.rowcount or 0)


def refresh() -> FactRefresh:
    """Rebuild the fact table in one transaction (readers see the old rows until it commits)."""
    started = time.perf_counter()
    with transaction.atomic():
        MobilityFact.objects.all().delete()
        rows = _insert(exchange_rows()) + _insert(people_rows())
        FactRefresh.objects.all().delete()
        return FactRefresh.objects.create(
            refreshed_at=timezone.now(), seconds=round(time.perf_counter() - started, 3), rows=max(rows, 0)
        )


def last_refresh() -> FactRefresh | None:
    return FactRefresh.objects.order_by("-refreshed_at").first()


def usable(f: CockpitFilters) -> bool:
    """The filters are dimensions of the table (the target group is not)."""
    return not f.target_group


# --- Reading ------------------------------------------------------------------------------------


def side(f: CockpitFilters, scope: set[int] | None, prefix: str) -> Q:
    """The place filters and the scope on one side (``prefix``: "sending" or "receiving")."""
    q = Q()
    if f.country:
        q &= Q(**{f"{prefix}_country": f.country})
    if f.region:
        q &= Q(**{f"{prefix}_region": f.region})
    if f.organisation_id:
        q &= Q(**{f"{prefix}_id": f.organisation_id})
    if f.kind:
        q &= Q(**{f"{prefix}_kind": f.kind})
    if scope is not None:
        q &= Q(**{f"{prefix}_id__in": scope})
    return q


def either_side(f: CockpitFilters, scope: set[int] | None) -> Q:
    places = CockpitFilters(
        country=f.country, region=f.region, organisation_id=f.organisation_id, kind=f.kind
    )
    q = Q()
    if places.has_place:
        q &= side(places, None, "sending") | side(places, None, "receiving")
    if scope is not None:
        q &= Q(sending_id__in=scope) | Q(receiving_id__in=scope)
    return q


def exchanges(f: CockpitFilters, scope: set[int] | None, holding: bool = True) -> QuerySet[MobilityFact]:
    """Exchange rows the filters keep (by the exchange's first day)."""
    qs = MobilityFact.objects.filter(exchanges__gt=0).filter(either_side(f, scope), period(f, "start"))
    if holding:
        qs = qs.filter(state__in=HOLDING_STATES)
    if f.activity_type:
        qs = qs.filter(type_code=f.activity_type)
    return qs


def people(
    f: CockpitFilters, scope: set[int] | None, date_field: str = "start", places: bool = True
) -> QuerySet[MobilityFact]:
    """People rows the filters keep, by their own first day (or ``exchange_start``); without
    ``places`` the place filters and the scope are left to the caller."""
    qs = MobilityFact.objects.filter(people__gt=0).filter(period(f, date_field))
    if places:
        qs = qs.filter(either_side(f, scope))
    if f.activity_type:
        qs = qs.filter(type_code=f.activity_type)
    return qs


def total(name: str, condition: Q | None = None) -> Any:
    return Coalesce(Sum(name, filter=condition), 0)

"""Pre-aggregated tables of the cockpit, rebuilt whole by ``refresh`` in the database (``INSERT …
SELECT``), so that the page reads tables with no joins instead of a million visitors:

- ``MobilityFact``: exchanges and people travelling grouped by every dimension the cockpit filters on
  (period: the rows keep the first day; country, NUTS-2 region, organisation and kind of either side,
  hence the caller's scope; the opportunity type), with what the exchange indicators need besides
  (the last day, whether the pair is reciprocal, the follow-up answers, the days to agreement);
- ``TargetGroupFact``: the same rows once per target group of their exchange (the groups named by its
  offer, its request and its sending organisation, each once, through the bridge
  ``ExchangeTargetGroup``), for the target-group filter.

``fact_reader.py`` reads them. The placement mobility records (few, and counted per participant) and the
pathway, fairness and event indicators stay live. The page says how old the figures are: "figures as
of" the last refresh.

Refreshes: a periodic job, a debounced task after changes to exchanges and visitors (``tasks.py``), and
``matchmaking indicators --refresh``.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.models import HOLDING_STATES, Exchange, Visitor
from matchmaking.monitoring.filters import CockpitFilters
from matchmaking.monitoring.models import (
    ExchangeTargetGroup,
    FactRefresh,
    MobilityFact,
    TargetGroupFact,
)
from matchmaking.monitoring.sql import DaysBetween, DaysBetweenTimes, Year

LEARNER_KINDS = (Visitor.Kind.VET_LEARNER, Visitor.Kind.APPRENTICE)
TEN_DAYS = 9  # days between the first and the last day of a ten-day mobility

DIMENSIONS = (
    "state", "exchange_start", "start", "year", "type_code", "activity_code", "sending_id", "receiving_id",
    "sending_country", "receiving_country", "sending_region", "receiving_region", "sending_kind",
    "receiving_kind", "green_travel", "blended", "force_majeure",
)  # fmt: skip
# Dimensions of the exchange rows only (constant on people rows, so that they group as before).
EXCHANGE_DIMENSIONS = (
    "exchange_end", "reciprocal", "pair_low", "pair_high", "host_follow_up", "visitor_follow_up",
    "accepted_on", "agreement_days",
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


def accepted_at() -> Subquery:
    """When an exchange was first accepted (the audit trail's ``exchange.accept``), for ``OuterRef``."""
    first = AuditEvent.objects.filter(
        object_type="exchanges.exchange",
        object_id=Cast(OuterRef("pk"), CharField()),
        action="exchange.accept",
    ).order_by("occurred_at")
    return Subquery(first.values("occurred_at")[:1])


def _exchange_only() -> dict[str, Any]:
    """The exchange-row dimensions over an exchange: its last day, whether its host has also sent
    people to its sending organisation (an exchange holding places, at any time), the follow-up answers
    of its completion report, and the day and the days to its first acceptance."""
    reverse = Exchange.objects.filter(
        state__in=HOLDING_STATES, visitor_id=OuterRef("host_id"), host_id=OuterRef("visitor_id")
    )
    return {
        "exchange_end": F("end"),
        "reciprocal": Exists(reverse),
        "pair_low": Least("visitor_id", "host_id"),
        "pair_high": Greatest("visitor_id", "host_id"),
        "host_follow_up": Coalesce(F("report__host_follow_up"), Value("")),
        "visitor_follow_up": Coalesce(F("report__visitor_follow_up"), Value("")),
        "accepted_on": TruncDate(accepted_at()),
        "agreement_days": DaysBetweenTimes(F("created_at"), accepted_at()),
    }


def _no_exchange_only() -> dict[str, Any]:
    return {
        "exchange_end": Value(None, output_field=DateField()),
        "reciprocal": Value(False),
        "pair_low": _zero(),
        "pair_high": _zero(),
        "host_follow_up": Value(""),
        "visitor_follow_up": Value(""),
        "accepted_on": Value(None, output_field=DateField()),
        "agreement_days": Value(None, output_field=FloatField()),
    }


def _zero() -> Value:
    return Value(0, output_field=IntegerField())


def exchange_rows(groups: bool = False) -> QuerySet[Any]:
    """One row per group of exchanges (every state) with their count; with ``groups``, per target
    group too (through the bridge)."""
    dims = {**_dimensions(""), **_exchange_only()}
    qs = Exchange.objects.all()
    if groups:
        qs = qs.filter(monitoring_target_groups__isnull=False)
        dims["target_group"] = F("monitoring_target_groups__target_group")
    return (
        qs.annotate(**{f"d_{k}": v for k, v in dims.items()}, d_start=F("start"), d_year=Year("start"))
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


def people_rows(groups: bool = False) -> QuerySet[Any]:
    """One row per group of people travelling in exchanges holding places, by their own first day;
    with ``groups``, per target group of their exchange too."""
    dims = {**_dimensions("exchange__"), **_no_exchange_only()}
    learner = Q(kind__in=LEARNER_KINDS)
    qs = Visitor.objects.filter(accompanying=False, exchange__state__in=HOLDING_STATES)
    if groups:
        qs = qs.filter(exchange__monitoring_target_groups__isnull=False)
        dims["target_group"] = F("exchange__monitoring_target_groups__target_group")
    return (
        qs.annotate(first=Coalesce("start", "exchange__start"), last=Coalesce("end", "exchange__end"))
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


def bridge_rows() -> QuerySet[Any]:
    """Each exchange with each target group named by its offer, its request or its sending
    organisation, once (a ``UNION`` removes the repeats)."""
    paths = ("offer__target_groups__code", "request__target_groups__code", "visitor__target_groups__code")
    first, *rest = (
        Exchange.objects.filter(**{f"{path}__isnull": False})
        .annotate(e_exchange_id=F("pk"), e_target_group=F(path))
        .values("e_exchange_id", "e_target_group")
        .order_by()
        for path in paths
    )
    return first.union(*rest)


def _insert(qs: QuerySet[Any], model: Any = MobilityFact) -> int:
    """``INSERT INTO`` the table of ``model`` ``SELECT`` of ``qs``, its columns named by their
    ``d_``/``m_``/``e_`` aliases (so the order of the select list does not matter)."""
    compiler = qs.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    aliases = [alias for _expr, _sql, alias in compiler.select]
    columns = [alias[2:] for alias in aliases]
    expected = {f.column for f in model._meta.concrete_fields if not f.primary_key}
    if any(not a.startswith(("d_", "m_", "e_")) for a in aliases) or set(columns) != expected:
        raise RuntimeError(f"unexpected fact columns: {aliases}")
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) {sql}", params)
        return int(cursor.rowcount or 0)


def refresh() -> FactRefresh:
    """Rebuild the fact tables in one transaction (readers see the old rows until it commits)."""
    started = time.perf_counter()
    with transaction.atomic():
        for model in (MobilityFact, TargetGroupFact, ExchangeTargetGroup):
            model.objects.all().delete()
        rows = _insert(exchange_rows()) + _insert(people_rows())
        _insert(bridge_rows(), ExchangeTargetGroup)
        rows += _insert(exchange_rows(groups=True), TargetGroupFact)
        rows += _insert(people_rows(groups=True), TargetGroupFact)
        with connection.cursor() as cursor:
            # Fresh statistics for the planner: without them SQLite reads a covering index whole where
            # the organisation's or the country's index would find a few rows.
            for model in (MobilityFact, TargetGroupFact):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        FactRefresh.objects.all().delete()
        return FactRefresh.objects.create(
            refreshed_at=timezone.now(), seconds=round(time.perf_counter() - started, 3), rows=max(rows, 0)
        )


def last_refresh() -> FactRefresh | None:
    return FactRefresh.objects.order_by("-refreshed_at").first()


def usable(f: CockpitFilters) -> bool:
    """Every filter of the cockpit is a dimension of the tables (the target group through
    ``TargetGroupFact``)."""
    return True

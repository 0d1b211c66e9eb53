"""Reading the pre-aggregated tables (``facts.py``) for one filter and scope: each figure the cockpit
needs from them comes out of one of six grouped queries (seven with a place filter), run once each and
shared by the indicators that use it (one query per kind of figure, not one per table or per cell).

With a target-group filter the same queries read ``TargetGroupFact`` (the rows once per target group of
their exchange) instead of ``MobilityFact``; every other filter is a condition on the columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from matchmaking.exchanges.models import HOLDING_STATES, State
from matchmaking.monitoring.filters import CockpitFilters, period
from matchmaking.monitoring.models import MobilityFact, TargetGroupFact

STAFF_VISIT_TYPES = ("job-shadowing", "study-visit")


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


def places_only(f: CockpitFilters) -> CockpitFilters:
    return CockpitFilters(country=f.country, region=f.region, organisation_id=f.organisation_id, kind=f.kind)


def either_side(f: CockpitFilters, scope: set[int] | None) -> Q:
    """Kept when the place filters hold on one side and the scope holds on one side."""
    places = places_only(f)
    q = Q()
    if places.has_place:
        q &= side(places, None, "sending") | side(places, None, "receiving")
    if scope is not None:
        q &= Q(sending_id__in=scope) | Q(receiving_id__in=scope)
    return q


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _sum(name: str) -> Any:
    return Sum(name)


def _grouped(names: tuple[str, ...], narrowed: bool, empty: Any) -> dict[str, Any]:
    """The grouping columns, as they are, or, when a place filter or a scope keeps a part of the rows,
    wrapped in a ``COALESCE`` that changes nothing (the columns are never null) but keeps SQLite from
    reading the covering index in grouping order with a lookup of every row for the filter's columns
    (0.6 s for a country with no exchanges): it then finds the rows through the organisation's, the
    country's or the region's index and sorts those few."""
    return {f"g_{name}": Coalesce(F(name), Value(empty)) if narrowed else F(name) for name in names}


class FactReader:
    """The figures of the fact tables for ``filters`` over ``scope`` (None: the whole network)."""

    def __init__(self, filters: CockpitFilters, scope: set[int] | None) -> None:
        self.f = filters
        self.scope = scope
        self.focus = filters.has_place or scope is not None

    def rows(self) -> QuerySet[Any]:
        if self.f.target_group:
            return TargetGroupFact.objects.filter(target_group=self.f.target_group)
        return MobilityFact.objects.all()

    def _type(self) -> Q:
        return Q(type_code=self.f.activity_type) if self.f.activity_type else Q()

    def _kept(self, date_field: str = "start") -> Q:
        return either_side(self.f, self.scope) & period(self.f, date_field) & self._type()

    # --- Exchange rows by type, state and follow-up answers ------------------------------------

    @cached_property
    def exchange_counts(self) -> list[tuple[str, str, str, str, int]]:
        """(type, state, host's answer, visiting organisation's answer, exchanges) of every state, by the
        exchange's first day."""
        qs = (
            self.rows()
            .filter(self._kept(), exchanges__gt=0)
            .values_list("type_code", "state", "host_follow_up", "visitor_follow_up")
            .annotate(n=_sum("exchanges"))
            .order_by()
        )
        return list(qs)

    def by_type(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for code, state, _h, _v, n in self.exchange_counts:
            if state in HOLDING_STATES:
                out[code] += n
        return dict(sorted(out.items()))

    def by_status(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for _code, state, _h, _v, n in self.exchange_counts:
            out[state] += n
        return dict(out)

    def follow_ups(self) -> tuple[Counter[str], Counter[str]]:
        """The hosts' and the visiting organisations' answers, over exchanges holding places."""
        host: Counter[str] = Counter()
        visitors: Counter[str] = Counter()
        for _code, state, h, v, n in self.exchange_counts:
            if state in HOLDING_STATES:
                if h:
                    host[h] += n
                if v:
                    visitors[v] += n
        return host, visitors

    # --- People rows ----------------------------------------------------------------------------

    @cached_property
    def people(self) -> list[tuple[Any, ...]]:
        """(year, activity code, green travel, blended, force majeure, sent by the filter's places,
        received by them, people, with fewer opportunities, learners on ten days or more), by each
        person's own first day. Without a place filter or scope, every row is both sent and received."""
        if self.focus:
            sent: Any = _flag(side(self.f, self.scope, "sending"))
            got: Any = _flag(side(self.f, self.scope, "receiving"))
        else:
            sent = got = Value(True, output_field=BooleanField())
        qs = (
            self.rows()
            .filter(self._kept(), people__gt=0)
            .annotate(sent=sent, got=got)
            .values_list("year", "activity_code", "green_travel", "blended", "force_majeure", "sent", "got")
            .annotate(p=_sum("people"), fo=_sum("fewer_opportunities"), ll=_sum("learners_long"))
            .order_by()
        )
        return list(qs)

    # --- Flows between regions, staff flows -----------------------------------------------------

    def _flows(self, places: CockpitFilters) -> list[tuple[str, str, int, int, int]]:
        """(sending region, receiving region, exchanges, of them staff visits, staff travelling in
        those) of exchanges holding places, by the exchange's first day, in ``places``."""
        scope = either_side(places, self.scope)
        staff = Q(type_code__in=STAFF_VISIT_TYPES)
        keys = _grouped(("sending_region", "receiving_region"), bool(scope), "")
        qs = (
            self.rows()
            .filter(scope, period(self.f, "exchange_start"), self._type(), state__in=HOLDING_STATES)
            .annotate(**keys)
            .values_list(*keys)
            .annotate(n=_sum("exchanges"), sn=Sum("exchanges", filter=staff), ss=Sum("staff", filter=staff))
            .order_by()
        )
        return [(a, b, n, sn or 0, ss or 0) for a, b, n, sn, ss in qs]

    @cached_property
    def flows(self) -> list[tuple[str, str, int, int, int]]:
        """The flows within the place filter and the caller's scope."""
        return self._flows(places_only(self.f))

    @cached_property
    def context(self) -> list[tuple[str, str, int, int, int]]:
        """The flows of the caller's scope without the place filter, drawn on the map as context."""
        return self._flows(CockpitFilters()) if self.f.has_place else self.flows

    def region_flows(self, everywhere: bool = False) -> list[tuple[str, str, int]]:
        """Exchanges by (sending region, receiving region), the largest first; ``everywhere``: without
        the place filter."""
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for a, b, n, _sn, _ss in self.context if everywhere else self.flows:
            if a and b and n:
                pairs[(a, b)] += n
        return sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))

    def staff_flows(self) -> list[tuple[str | None, str | None, int, int]]:
        """(sending region, receiving region, staff visits, staff travelling) of the region pairs with
        a job-shadowing or study visit, by region pair."""
        return [(a or None, b or None, sn, ss) for a, b, _n, sn, ss in sorted(self.flows) if sn]

    # --- Reciprocity, completion, time to agreement ---------------------------------------------

    def reciprocity(self) -> tuple[int, int, bool]:
        """(pairs of organisations with an exchange holding places, those of them reciprocal, whether
        there is any exchange holding places, an organisation visiting itself included)."""
        pairs = (
            self.rows()
            .filter(self._kept(), exchanges__gt=0, state__in=HOLDING_STATES)
            .annotate(**_grouped(("pair_low", "pair_high"), self.focus, 0))
            .values("g_pair_low", "g_pair_high", "reciprocal")
            .order_by()
            .distinct()
        )
        sql, params = pairs.query.get_compiler(connection=connection).as_sql()
        two = "p.g_pair_low <> p.g_pair_high"
        with connection.cursor() as cursor:
            # ``sql`` is the query Django compiled, its values passed as parameters.
            count = (
                f"SELECT SUM(CASE WHEN {two} THEN 1 ELSE 0 END), "  # noqa: S608
                f"SUM(CASE WHEN {two} AND p.reciprocal THEN 1 ELSE 0 END), COUNT(*) FROM ({sql}) p"
            )
            cursor.execute(count, params)
            n, both, every = cursor.fetchone()
        return int(n or 0), int(both or 0), bool(every)

    def completion(self, today: date) -> tuple[int, int, int]:
        """(exchanges holding places whose last day is in the period and past, completed or reported,
        reported)."""
        states = dict(
            self.rows()
            .filter(
                self._kept("exchange_end"), exchanges__gt=0, state__in=HOLDING_STATES, exchange_end__lt=today
            )
            .values_list("state")
            .annotate(n=_sum("exchanges"))
            .order_by()
        )
        done = states.get(State.COMPLETED, 0) + states.get(State.REPORTED, 0)
        return sum(states.values()), done, states.get(State.REPORTED, 0)

    def agreement_days(self) -> list[float]:
        """The days from proposal to first acceptance of the exchanges accepted in the period, sorted."""
        either = either_side(self.f, self.scope) & self._type()
        rows = (
            self.rows()
            .filter(either, period(self.f, "accepted_on"), exchanges__gt=0, agreement_days__isnull=False)
            .values_list("agreement_days")
            .annotate(n=_sum("exchanges"))
            .order_by("agreement_days")
        )
        return [max(days, 0.0) for days, n in rows for _ in range(n)]

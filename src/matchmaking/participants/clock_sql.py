"""The Youth Guarantee clock in SQL, so that the caseload is filtered and ordered by it in the database over
every row (SQLite and PostgreSQL), with the same dates as ``clock.youth_guarantee_clock``: the month
arithmetic that stores each person's due date (``clock_dates``), and the clock read from the stored
dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from matchmaking.participants.models import Participant


class AddMonths(Func):
    """``start`` plus a number of months, the day clamped to the month's last (31 Jan + 1 month = 28 Feb),
    like ``clock.add_months``."""

    output_field = DateField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        # SQLite rolls an overflowing day into the next month: clamp it to the last day of the month.
        start, start_params = compiler.compile(self.source_expressions[0])
        months, months_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"MIN(date({start}, 'start of month', '+' || ({months}) || ' months',"
            f" '+' || (CAST(strftime('%%d', {start}) AS INTEGER) - 1) || ' days'),"
            f" date({start}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day'))"
        )
        return sql, (*start_params, *months_params, *start_params, *start_params, *months_params)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        # PostgreSQL: adding an interval of months clamps the day already.
        start, start_params = compiler.compile(self.source_expressions[0])
        months, months_params = compiler.compile(self.source_expressions[1])
        return f"CAST(({start} + make_interval(months => ({months}))) AS date)", [
            *start_params,
            *months_params,
        ]


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (negative when ``later`` is before)."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)", (*later_params, *earlier_params)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return f"(CAST({later} AS date) - CAST({earlier} AS date))", [*later_params, *earlier_params]


def with_clock(found: QuerySet[Participant], *, today: date) -> QuerySet[Any]:
    """``found`` annotated with ``first_offer_on``, ``clock_started_on``, ``clock_running``,
    ``clock_overdue`` and ``clock_days_left``, from the dates stored on each person (``clock_due_on``,
    ``clock_stopped_on``: see ``clock_dates``): the clock is stopped by the first offer made on or
    after the start. Plain column arithmetic, so ordering the whole caseload by it stays cheap."""
    stopped = Q(clock_stopped_on__isnull=False)
    return found.annotate(
        clock_started_on=Coalesce(F("clock_start_on"), F("registered_on"), output_field=DateField()),
        first_offer_on=F("clock_stopped_on"),
        clock_running=Case(
            When(stopped, then=Value(False)), default=Value(True), output_field=BooleanField()
        ),
        clock_overdue=Case(
            When(~stopped & Q(clock_due_on__lt=Value(today, output_field=DateField())), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        clock_days_left=DaysBetween(
            F("clock_due_on"), Coalesce(F("clock_stopped_on"), Value(today, output_field=DateField()))
        ),
    )

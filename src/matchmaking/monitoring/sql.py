"""Date functions in the database's own SQL. Django's ``ExtractYear`` and date subtraction call Python
functions row by row on SQLite; over a million mobilities that is most of the cockpit's time. These use
SQLite's built-in ``strftime`` and ``julianday`` and PostgreSQL's native date arithmetic."""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField, Func, IntegerField


class Year(Func):
    """The calendar year of a date, as an integer."""

    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y', %(expressions)s) AS integer)", **extra
        )


class DaysBetween(Func):
    """The days from ``start`` to ``end`` (two dates), as an integer."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(start, end)

    def _days(self, compiler: Any, connection: Any, template: str) -> tuple[str, list[Any]]:
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return template.format(start=start[0], end=end[0]), [*end[1], *start[1]]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # PostgreSQL
        return self._days(compiler, connection, "({end} - {start})")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._days(compiler, connection, "CAST(julianday({end}) - julianday({start}) AS integer)")


class DaysBetweenTimes(Func):
    """The days (with their fraction) from the datetime ``start`` to the datetime ``end``, as a float."""

    arity = 2
    output_field = FloatField()

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(start, end)

    def _days(self, compiler: Any, connection: Any, template: str) -> tuple[str, list[Any]]:
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return template.format(start=start[0], end=end[0]), [*end[1], *start[1]]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # PostgreSQL
        # EXTRACT gives a numeric (a Decimal in Python): a float, as on SQLite.
        return self._days(
            compiler, connection, "CAST(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0 AS double precision)"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._days(compiler, connection, "(julianday({end}) - julianday({start}))")

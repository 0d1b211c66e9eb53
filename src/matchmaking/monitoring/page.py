"""What the cockpit page shows of each table: long tables as their largest rows, with the figures
formatted once here rather than by a template tag per cell.

A table of region pairs can have tens of thousands of rows on a large network; nobody reads them on a
page, and formatting them took seconds. The page shows the ``PAGE_ROWS`` largest (sorted by the
figures as shown), says how many there are, and links to the full table (CSV, and the XLSX of every
table). Disclosure control is not redone here: the rows come already suppressed from the full table,
and the totals row is the full table's, so cutting can neither reveal a hidden cell nor change a
total. The order uses only the shown figures ("<k" and "x" sort below every count).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.monitoring.cockpit import Table, Value

PAGE_ROWS = 25  # the rows of a long table shown on the page
MAP_FLOWS = 50  # the region pairs the map draws


def _figure(value: Any) -> float:
    """A shown value as a sort key: counts and shares by size; hidden and empty cells last."""
    kind = type(value)
    if kind is int or kind is float or kind is Decimal:
        return float(value)
    return -1.0


def largest(rows: Sequence[Sequence[Any]], first: int = 1, limit: int = PAGE_ROWS) -> list[Sequence[Any]]:
    """The ``limit`` rows with the largest figures (columns from ``first`` on, compared in turn), in
    their original order where the figures tie. Rows are returned as they are: never recomputed."""
    keys = [tuple(-_figure(v) for v in row[first:]) for row in rows]
    return [rows[i] for i in heapq.nsmallest(limit, range(len(rows)), key=lambda i: (keys[i], i))]


def cell(value: Value) -> str:
    """One figure as the page shows it (localised, escaped); an empty figure as "–"."""
    if value is None:
        return "–"
    return str(escape(localize(value)))


class _Cut:
    """What a table shown cut to its largest rows tells the page: how many of how many, and the line
    that says so; its subclasses are dataclasses that hold ``shown`` and ``count``."""

    shown: int
    count: int

    @property
    def cut(self) -> bool:
        return self.shown < self.count

    @property
    def cut_line(self) -> str:
        return cut_line(self.shown, self.count)


@dataclass
class PageTable(_Cut):
    """A table as the page shows it: ``body`` and ``foot`` are its rendered rows."""

    table: Table
    body: SafeString
    foot: SafeString
    shown: int
    count: int


def cut_line(shown: int, count: int) -> str:
    return ngettext(
        "Showing the %(shown)s largest of %(count)s row; every row is in the CSV and XLSX download.",
        "Showing the %(shown)s largest of %(count)s rows; every row is in the CSV and XLSX download.",
        count,
    ) % {"shown": localize(shown), "count": localize(count)}


def _rows(table: Table, rows: Sequence[Sequence[Any]]) -> str:
    """The rows, each headed by its first cell: a code named in the reader's language (the table's
    ``labels``), the further labelled cells named too (a region pair's receiving region)."""
    n = table.labelled if table.labels else 1
    return "".join(
        f'<tr><th scope="row">{cell(table.label(row[0]))}</th>'
        f"{''.join(f'<td>{cell(table.label(v))}</td>' for v in row[1:n])}"
        f"{''.join(f'<td>{cell(v)}</td>' for v in row[n:])}</tr>"
        for row in rows
    )


def page_table(table: Table, limit: int | None = None) -> PageTable:
    """``table`` as the page shows it: every row when it has at most ``limit`` (``PAGE_ROWS``), else
    the largest."""
    limit = PAGE_ROWS if limit is None else limit
    rows: Sequence[Sequence[Any]] = table.rows
    if len(rows) > limit:
        rows = largest(rows, first=_first_figure(table), limit=limit)
    if rows:
        body = _rows(table, rows)
    else:
        body = f'<tr><td colspan="{len(table.columns)}">{escape(_("No data for these filters."))}</td></tr>'
    foot = ""
    if table.total:
        head = _("Total") if table.total[0] == "total" else table.label(table.total[0])
        foot = (
            f'<tr><th scope="row">{cell(head)}</th>'
            f"{''.join(f'<td>{cell(v)}</td>' for v in table.total[1:])}</tr>"
        )
    return PageTable(table, mark_safe(body), mark_safe(foot), len(rows), len(table.rows))  # escaped above


def _first_figure(table: Table) -> int:
    """The first column holding figures: after the labels (a region pair has two)."""
    for i, row in enumerate(zip(*table.rows, strict=False)):
        if i and any(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in row):
            return i
    return 1


@dataclass
class FlowTable(_Cut):
    """A table of region flows (the map's text alternative) as the page shows it."""

    body: SafeString
    shown: int
    count: int


def flow_table(flows: Sequence[tuple[str, str, int]], names: Any, limit: int | None = None) -> FlowTable:
    """The largest ``limit`` (``PAGE_ROWS``) flows (sending region, receiving region, exchanges), named
    by ``names``."""
    limit = PAGE_ROWS if limit is None else limit
    top = sorted(flows, key=lambda f: -f[2])[:limit]
    body = "".join(
        f"<tr><td>{escape(names(a))}</td><td>{escape(names(b))}</td><td>{cell(n)}</td></tr>"
        for a, b, n in top
    )
    return FlowTable(mark_safe(body), len(top), len(flows))  # escaped above

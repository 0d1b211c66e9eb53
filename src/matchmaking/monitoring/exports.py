"""The cockpit's tables as files: one CSV per table, or one XLSX with a sheet per table. Each carries
its definition (version, numerator, denominator, filters, unit, source), the filters used and the
disclosure-control note; the figures are the suppressed ones the page shows, never the exact counts."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from matchmaking.monitoring.cockpit import Cockpit, Table
from matchmaking.monitoring.indicators import definitions
from matchmaking.monitoring.mobilities import _cell


def suppression_note(k: int) -> str:
    return (
        f"Disclosure control: a count of people from 1 to {k - 1} is shown as '<{k}', and so is a share "
        f"whose numerator or denominator is one; where a hidden count could be worked out from a total, "
        f"another figure is hidden as 'x' (secondary suppression). Counts of exchanges, organisations and "
        f"answers are not people counts and are shown as they are."
    )


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    return _cell(str(value)) if not isinstance(value, int | float) else value


def preamble(table: Table, cockpit: Cockpit) -> list[list[Any]]:
    d = table.definition
    filters = "; ".join(f"{k}={v}" for k, v in cockpit.filters.as_dict().items() if v)
    rows = [
        ["indicator", table.code],
        ["title", d.title if d else str(table.title)],
        ["definitions_version", definitions().version],
    ]
    if d:
        rows += [
            ["numerator", d.numerator],
            ["denominator", d.denominator or ""],
            ["filters", d.filters],
            ["unit", d.unit],
            ["source", d.source],
        ]
    rows += [
        ["filters_used", filters or "none"],
        ["computed_at", cockpit.computed_at.isoformat(timespec="seconds")],
        ["suppression", suppression_note(cockpit.k) if table.people else "not a count of people"],
        [],
    ]
    return rows


def body(table: Table) -> list[list[Any]]:
    """The column keys, then the rows as codes; a table whose first column holds codes gets one more
    column at the end, ``label``, naming them in the reader's language (a region pair two,
    ``from_region_label`` and ``to_region_label``), so that programs keep reading the codes."""
    keys = [key for key, _label in table.columns]
    if not table.labels:
        return [keys, *([_plain(v) for v in row] for row in table.records())]
    n = table.labelled
    added = ["label"] if n == 1 else [f"{key}_label" for key in keys[:n]]
    return [
        [*keys, *added],
        *(
            [*(_plain(v) for v in row), *(_plain(_named(table, v)) for v in row[:n])]
            for row in table.records()
        ),
    ]


def _named(table: Table, value: Any) -> Any:
    if value == "":  # the empty second cell of a region pair's totals row
        return ""
    return str(_("Total")) if value == "total" else table.label(value)


def table_csv(table: Table, cockpit: Cockpit) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(preamble(table, cockpit))
    writer.writerows(body(table))
    return buffer.getvalue().encode("utf-8-sig")


FLOW_TABLES = {
    "region-flows": "Exchanges by region pair (the map)",
    "region-flows-context": "The rest of the network in the same period (the map's grey arrows)",
}


def _flows(code: str, cockpit: Cockpit) -> list[tuple[str, str, int]]:
    return cockpit.flows if code == "region-flows" else cockpit.context_flows


def flows_csv(code: str, cockpit: Cockpit) -> bytes:
    """Every region pair of the map (``region-flows``) or of its grey context (``region-flows-context``),
    the largest first. Counts of exchanges: not people counts."""
    filters = "; ".join(f"{k}={v}" for k, v in cockpit.filters.as_dict().items() if v)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(
        [
            ["indicator", code],
            ["title", FLOW_TABLES[code]],
            ["definitions_version", definitions().version],
            ["filters_used", filters or "none"],
            ["computed_at", cockpit.computed_at.isoformat(timespec="seconds")],
            ["suppression", "not a count of people"],
            [],
            ["from_region", "to_region", "exchanges"],
        ]
    )
    flows: list[tuple[str, str, int]] = sorted(_flows(code, cockpit), key=lambda flow: -flow[2])
    writer.writerows(flows)
    return buffer.getvalue().encode("utf-8-sig")


def cockpit_xlsx(cockpit: Cockpit) -> bytes:
    """An "About" sheet (definitions version, filters, the suppression note), then a sheet per table
    with its definition above the figures, then the region flows of the map."""
    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["definitions_version", definitions().version])
    about.append(["note", definitions().note])
    about.append(["common_filters", definitions().common_filters])
    about.append(
        ["filters_used", "; ".join(f"{k}={v}" for k, v in cockpit.filters.as_dict().items() if v) or "none"]
    )
    about.append(["computed_at", cockpit.computed_at.isoformat(timespec="seconds")])
    about.append(["suppression", suppression_note(cockpit.k)])
    for table in cockpit.tables.values():
        sheet = book.create_sheet(table.code[:31])
        for row in preamble(table, cockpit) + body(table):
            sheet.append(row)
    for code in FLOW_TABLES:
        if code == "region-flows" or cockpit.context_flows:
            flows = book.create_sheet(code)
            flows.append(["from_region", "to_region", "exchanges"])
            for a, b, n in _flows(code, cockpit):
                flows.append([a, b, n])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

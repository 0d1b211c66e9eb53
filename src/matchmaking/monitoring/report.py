"""The ``matchmaking indicators`` command: the cockpit's figures for the whole network (it runs as the
system), filtered by period and region, suppressed exactly as on the page, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from matchmaking.monitoring import exports, facts, selectors
from matchmaking.monitoring.cockpit import CockpitFilters
from matchmaking.monitoring.indicators import definitions
from matchmaking.taxonomies.models import Region


def _date(name: str, value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ValueError(f"{name}: bad date {value!r} (expected YYYY-MM-DD)") from exc


def _json_value(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)


def refresh_facts() -> str:
    """Rebuild the cockpit's pre-aggregated tables now; a line saying so."""
    state = facts.refresh()
    return f"pre-aggregated tables refreshed: {state.rows} rows in {state.seconds:.1f} s"


def indicators_report(
    date_from: str | None = None, date_to: str | None = None, region: str | None = None, fmt: str = "json"
) -> str:
    """Every indicator table as text; raises ``ValueError`` naming the bad argument."""
    if fmt not in ("json", "csv"):
        raise ValueError(f"--format: {fmt!r} is not json or csv")
    start, end = _date("--from", date_from), _date("--to", date_to)
    if start and end and end < start:
        raise ValueError("--to: the end of the period is before its start")
    code = (region or "").upper()
    if code and not Region.objects.filter(code=code).exists():
        raise ValueError(f"--region: {region!r} is not a NUTS 2024 level-2 code")
    cockpit = selectors.cockpit(user=None, filters=CockpitFilters(date_from=start, date_to=end, region=code))
    if fmt == "json":
        document = {
            "definitions_version": definitions().version,
            "filters": {"from": date_from, "to": date_to, "region": code or None},
            "computed_at": cockpit.computed_at.isoformat(timespec="seconds"),
            "figures_as_of": cockpit.figures_as_of.isoformat(timespec="seconds")
            if cockpit.figures_as_of
            else None,
            "suppression": exports.suppression_note(cockpit.k),
            "indicators": {
                t.code: {
                    "columns": [key for key, _label in t.columns],
                    "rows": [[_json_value(v) for v in row] for row in t.rows],
                    "total": [_json_value(v) for v in t.total] if t.total else None,
                    "people": t.people,
                }
                for t in cockpit.tables.values()
            },
            "region_flows": [{"from": a, "to": b, "exchanges": n} for a, b, n in cockpit.flows],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["indicator", "row", "column", "value"])
    for table in cockpit.tables.values():
        keys = [key for key, _label in table.columns]
        for row in table.records():
            for key, value in zip(keys[1:], row[1:], strict=True):
                writer.writerow([table.code, row[0], key, "" if value is None else value])
    for a, b, n in cockpit.flows:
        writer.writerow(["region-flows", f"{a}>{b}", "exchanges", n])
    writer.writerow(["about", "suppression", "note", exports.suppression_note(cockpit.k)])
    return buffer.getvalue().rstrip("\n")

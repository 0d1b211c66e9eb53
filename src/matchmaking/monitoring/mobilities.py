"""The Erasmus+-style per-mobility export: one row per person travelling, for the Beneficiary Module.

Rows come from the visitors of exchanges that hold places (agreed or later) and, when the placements
app records them, from placements abroad. Per person there is the "fewer opportunities" *flag* only;
the reasons appear nowhere but as project-level counts in the summary. Who sees what:

- a coordinator: every mobility, every flag;
- a member organisation: the mobilities it sends or receives; the flag only of those it sends, and
  only to its roles with personal-data rights (administrators and case workers; never to other staff,
  and a host never sees it).

Every count that leaves as a summary is disclosure-controlled: a count from 1 to below
``SMALL_CELL_THRESHOLD`` is shown as "<5" (primary suppression), and where a row's total and its parts
would let a hidden count be worked out, the next smallest cell of that row is hidden too, as "x"
(secondary suppression).

Green travel, blended and force majeure come from the exchange (set by either organisation on the
exchange's page, the API or the interchange format; every visitor of one exchange shares them) and
from the placements' mobility records. The distance band is the Erasmus+ band of the straight-line
distance between the sending and the receiving organisation's NUTS-2 regions (their label points),
an estimate at region level: the official distance calculator uses the two cities.

Column names are stable English identifiers (the file is data, keyed by ``mobility_id``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from matchmaking.exchanges.models import HOLDING_STATES, Visitor
from matchmaking.monitoring.access import flag_organisations, mobility_export_organisations
from matchmaking.monitoring.disclosure import threshold
from matchmaking.monitoring.maps import distance_band
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser
from matchmaking.placements.models import MobilityRecord

_M = TypeVar("_M", bound=Model)

COLUMNS = (
    "mobility_id",
    "source",
    "activity_type",
    "sending_organisation",
    "sending_erasmus_id",
    "sending_country",
    "sending_city",
    "receiving_organisation",
    "receiving_erasmus_id",
    "receiving_country",
    "receiving_city",
    "start_date",
    "end_date",
    "duration_days",
    "participant_type",
    "accompanying_person",
    "fewer_opportunities",
    "funding",
    "long_term",
    "green_travel",
    "blended",
    "force_majeure",
    "distance_band",
    "status",
)


@dataclass(frozen=True)
class MobilityFilters:
    date_from: date | None = None
    date_to: date | None = None
    organisation_id: int | None = None


@dataclass
class MobilityExport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Project-level counts only, never per person.
    reasons: Counter[str] = field(default_factory=Counter)
    reasons_not_recorded: int = 0

    def counts(self) -> list[tuple[str, int, int, int, int]]:
        """(activity type, mobilities, participants, accompanying persons, with fewer opportunities),
        exact: for computing, never for showing."""
        table: dict[str, list[int]] = {}
        for row in self.rows:
            counts = table.setdefault(row["activity_type"] or "-", [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += row["accompanying_person"] == "no"
            counts[2] += row["accompanying_person"] == "yes"
            counts[3] += row["fewer_opportunities"] == "yes"
        return [(code, *counts) for code, counts in sorted(table.items())]  # type: ignore[misc]

    def summary(self) -> list[tuple[str, Cell, Cell, Cell, Cell]]:
        """The counts per activity type as they may be shown, with small cells suppressed."""
        return [(code, *suppress_row(counts)) for code, *counts in self.counts()]  # type: ignore[misc]


Cell = int | str


def _threshold() -> int:
    """The same k as every other monitoring figure (the setting, kept between 3 and 10)."""
    return threshold()


def suppress(value: int) -> Cell:
    """A count from 1 to below the threshold is shown as "<threshold"; zero is shown."""
    threshold = _threshold()
    return f"<{threshold}" if 0 < value < threshold else value


def suppress_row(counts: list[int]) -> list[Cell]:
    """(mobilities, participants, accompanying, with fewer opportunities), suppressed.

    Mobilities = participants + accompanying persons, so one hidden cell of those three could be
    worked out from the other two: then the smallest other cell of the three is hidden as well ("x").
    """
    threshold = _threshold()
    hidden = {i for i, value in enumerate(counts) if 0 < value < threshold}
    related = (0, 1, 2)
    if len(hidden & set(related)) == 1:
        others = sorted((i for i in related if i not in hidden), key=lambda i: counts[i])
        secondary = others[0]
        return [
            "x" if i == secondary else (f"<{threshold}" if i in hidden else value)
            for i, value in enumerate(counts)
        ]
    return [f"<{threshold}" if i in hidden else value for i, value in enumerate(counts)]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _overlaps(qs: QuerySet[_M], f: MobilityFilters, start: str, end: str) -> QuerySet[_M]:
    if f.date_from:
        qs = qs.filter(**{f"{end}__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{start}__lte": f.date_to})
    return qs


def _org_columns(prefix: str, org: Organisation) -> dict[str, str]:
    return {
        f"{prefix}_organisation": org.name,
        f"{prefix}_erasmus_id": org.erasmus_id or "",
        f"{prefix}_country": org.country,
        f"{prefix}_city": org.city,
    }


def _region(org: Organisation) -> str | None:
    return org.region.code if org.region_id and org.region else None


def mobility_export(*, user: AnyUser, filters: MobilityFilters | None = None) -> MobilityExport:
    """Every mobility ``user`` may export (``user=None``: the command line, everything), filtered."""
    f = filters or MobilityFilters()
    scope = None if user is None else mobility_export_organisations(user)
    own = set(scope or [])
    flags = None if user is None else flag_organisations(user)
    out = MobilityExport()

    visitors = Visitor.objects.filter(exchange__state__in=HOLDING_STATES).select_related(
        "exchange", "exchange__host__region", "exchange__visitor__region"
    )
    if scope is not None:
        visitors = visitors.filter(Q(exchange__host_id__in=own) | Q(exchange__visitor_id__in=own))
    if f.organisation_id:
        visitors = visitors.filter(
            Q(exchange__host_id=f.organisation_id) | Q(exchange__visitor_id=f.organisation_id)
        )
    visitors = _overlaps(visitors, f, "exchange__start", "exchange__end")
    for v in visitors.order_by("exchange__start", "exchange__key", "pk"):
        ex = v.exchange
        first, last = v.first_day, v.last_day
        if (f.date_from and last < f.date_from) or (f.date_to and first > f.date_to):
            continue
        sees_flag = flags is None or ex.visitor_id in flags
        out.rows.append(
            {
                "mobility_id": f"{ex.key}-{v.pk}",
                "source": "exchange",
                "activity_type": ex.activity_code,
                **_org_columns("sending", ex.visitor),
                **_org_columns("receiving", ex.host),
                "start_date": first.isoformat(),
                "end_date": last.isoformat(),
                "duration_days": (last - first).days + 1,
                "participant_type": v.kind,
                "accompanying_person": _yes(v.accompanying),
                "fewer_opportunities": _yes(v.fewer_opportunities) if sees_flag else "",
                "funding": ex.funding,
                "long_term": "no",
                "green_travel": _yes(ex.green_travel),
                "blended": _yes(ex.blended),
                "force_majeure": _yes(ex.force_majeure),
                "distance_band": distance_band(_region(ex.visitor), _region(ex.host)),
                "status": ex.state,
            }
        )
        if sees_flag and v.fewer_opportunities and not v.accompanying:
            out.reasons_not_recorded += 1
    _placement_rows(out, f, scope, own, flags)
    return out


def _placement_rows(
    out: MobilityExport, f: MobilityFilters, scope: list[int] | None, own: set[int], flags: set[int] | None
) -> None:
    """Placements abroad, recorded by the placements app as mobility records."""
    records = MobilityRecord.objects.select_related("sending__region", "receiving__region", "participant")
    if scope is not None:
        records = records.filter(Q(sending_id__in=own) | Q(receiving_id__in=own))
    if f.organisation_id:
        records = records.filter(Q(sending_id=f.organisation_id) | Q(receiving_id=f.organisation_id))
    records = _overlaps(records, f, "start", "end")
    for r in records.order_by("start", "pk"):
        sees_flag = flags is None or r.sending_id in flags
        out.rows.append(
            {
                "mobility_id": f"placement-{r.pk}",
                "source": "placement",
                "activity_type": r.activity_code,
                **_org_columns("sending", r.sending),
                "sending_erasmus_id": r.sending_erasmus_id or r.sending.erasmus_id or "",
                **_org_columns("receiving", r.receiving),
                "receiving_erasmus_id": r.receiving_erasmus_id or r.receiving.erasmus_id or "",
                "receiving_country": r.country or r.receiving.country,
                "receiving_city": r.city or r.receiving.city,
                "start_date": r.start.isoformat() if r.start else "",
                "end_date": r.end.isoformat() if r.end else "",
                "duration_days": r.duration_days or "",
                "participant_type": r.learner_type,
                "accompanying_person": _yes(r.accompanying),
                "fewer_opportunities": _yes(r.fewer_opportunities) if sees_flag else "",
                "funding": "",
                "long_term": _yes(r.long_term),
                "green_travel": _yes(r.green_travel),
                "blended": _yes(r.blended),
                "force_majeure": _yes(r.force_majeure),
                "distance_band": distance_band(_region(r.sending), _region(r.receiving)),
                "status": "placement",
            }
        )
        if sees_flag and r.fewer_opportunities and not r.accompanying:
            reasons = [b for b in (r.participant.barriers or []) if isinstance(b, str)]
            if reasons:
                out.reasons.update(set(reasons))
            else:
                out.reasons_not_recorded += 1


# --- Files -----------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _safe(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _cell(v) for k, v in row.items()}


SUMMARY_HEADER = (
    "activity_type",
    "mobilities",
    "participants",
    "accompanying_persons",
    "participants_with_fewer_opportunities",
)
REASONS_HEADER = ("fewer_opportunities_reason", "participants")


def summary_rows(export: MobilityExport) -> list[list[Any]]:
    """The summary sheet: totals per activity type, then the reasons as project-level counts, every
    count disclosure-controlled (a person may have several reasons, so the reasons add up to nothing
    shown and need no secondary suppression)."""
    rows: list[list[Any]] = [list(SUMMARY_HEADER)]
    rows += [list(r) for r in export.summary()]
    rows.append([])
    rows.append(list(REASONS_HEADER))
    rows += [[code, suppress(n)] for code, n in sorted(export.reasons.items())]
    rows.append(["not-recorded", suppress(export.reasons_not_recorded)])
    return rows


def to_csv(export: MobilityExport) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_safe(r) for r in export.rows)
    return buffer.getvalue().encode("utf-8-sig")


def summary_csv(export: MobilityExport) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(summary_rows(export))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(export: MobilityExport) -> bytes:
    """Two sheets: "Mobilities" (one row per mobility) and "Summary" (counts only)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Mobilities"
    sheet.append(list(COLUMNS))
    for row in export.rows:
        sheet.append([_cell(row[c]) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
    summary = book.create_sheet("Summary")
    for line in summary_rows(export):
        summary.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_mobilities_file(
    path: Path, date_from: str | None = None, date_to: str | None = None, organisation: str | None = None
) -> str:
    """The ``matchmaking export-mobilities`` command: everything (it runs as the system), filtered.
    Raises ``ValueError`` naming the bad argument; returns what was written."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{path}: the file name must end in .csv or .xlsx")
    bounds: list[date | None] = []
    for name, value in (("--from", date_from), ("--to", date_to)):
        try:
            bounds.append(date.fromisoformat(value) if value else None)
        except ValueError as exc:
            raise ValueError(f"{name}: bad date {value!r} (expected YYYY-MM-DD)") from exc
    org_id = None
    if organisation:
        org = Organisation.objects.filter(key=organisation).first()
        if org is None:
            raise ValueError(f"--organisation: unknown organisation {organisation!r}")
        org_id = org.pk
    export = mobility_export(
        user=None, filters=MobilityFilters(date_from=bounds[0], date_to=bounds[1], organisation_id=org_id)
    )
    if suffix == ".xlsx":
        path.write_bytes(to_xlsx(export))
        return f"{len(export.rows)} mobilities exported to {path} (sheets: Mobilities, Summary)"
    summary = path.with_name(f"{path.stem}-summary.csv")
    path.write_bytes(to_csv(export))
    summary.write_bytes(summary_csv(export))
    return f"{len(export.rows)} mobilities exported to {path}; counts in {summary}"

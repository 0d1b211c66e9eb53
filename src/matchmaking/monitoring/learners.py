"""Reading a file of learner counts (the denominators of the learners-on-mobility indicator).

Columns, in a CSV (comma or semicolon) or the first sheet of an XLSX: ``year``, ``region`` (a NUTS 2024
level-2 code) *or* ``organisation`` (an organisation's identifier), ``learners``, and optionally
``source``. Every row is checked before anything is written; a bad row is named with its number (the
header is row 1), the column and the value, and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Region

COLUMNS = ("year", "region", "organisation", "learners", "source")
REQUIRED = ("year", "learners")
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class LearnerRow:
    row: int
    year: int
    region_id: int | None
    organisation_id: int | None
    learners: int
    source: str


def _rows(filename: str, content: bytes) -> Iterator[list[Any]]:
    if filename.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ValidationError(_("This is not a readable XLSX workbook.")) from exc
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else v for v in values]
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text.")) from exc
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def read_learner_counts(filename: str, content: bytes) -> list[LearnerRow]:
    """Every row of the file, checked; raises ``ValidationError`` naming every bad row."""
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("The file name must end in .csv or .xlsx."))
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is too large."))
    rows = _rows(filename, content)
    header = [str(h).strip().lower() for h in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing or ("region" not in header and "organisation" not in header):
        raise ValidationError(
            _("The first row must name the columns year, learners, region or organisation; missing: %(c)s.")
            % {"c": ", ".join(missing or ["region/organisation"])}
        )
    regions = dict(Region.objects.values_list("code", "pk"))
    organisations = dict(Organisation.objects.values_list("key", "pk"))
    out: list[LearnerRow] = []
    errors: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    for number, values in enumerate(rows, start=2):
        if number > settings.IMPORT_MAX_ROWS + 1:
            raise ValidationError(_("The file has more than %(n)s rows.") % {"n": settings.IMPORT_MAX_ROWS})
        record = {h: str(v).strip() for h, v in zip(header, values, strict=False)}
        if not any(record.values()):
            continue
        problems = []
        year = _integer(record.get("year", ""))
        if year is None or year not in YEARS:
            problems.append(_("year %(value)r is not a year") % {"value": record.get("year", "")})
        learners = _integer(record.get("learners", ""))
        if learners is None or learners < 0:
            problems.append(_("learners %(value)r is not a count") % {"value": record.get("learners", "")})
        region_code = record.get("region", "").upper()
        org_key = record.get("organisation", "")
        if bool(region_code) == bool(org_key):
            problems.append(_("give a region or an organisation, not both and not neither"))
        elif region_code and region_code not in regions:
            problems.append(_("region %(value)r is not a NUTS 2024 level-2 code") % {"value": region_code})
        elif org_key and org_key not in organisations:
            problems.append(_("organisation %(value)r is unknown") % {"value": org_key})
        if not problems and year is not None:
            where = region_code or f"org:{org_key}"
            if (year, where) in seen:
                problems.append(_("the same year and place as row %(row)s") % {"row": seen[(year, where)]})
            seen[(year, where)] = number
        if problems:
            errors.append(_("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            continue
        assert year is not None
        assert learners is not None
        out.append(
            LearnerRow(
                row=number,
                year=year,
                region_id=regions.get(region_code) if region_code else None,
                organisation_id=organisations.get(org_key) if org_key else None,
                learners=learners,
                source=record.get("source", "")[:200],
            )
        )
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(_("The file has no rows."))
    return out


def _integer(value: str) -> int | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None

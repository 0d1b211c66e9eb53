"""Bulk import of participants and placements from CSV or XLSX, the way case systems export them.

All or nothing: every row is checked first; if any row is wrong, nothing is imported and every bad row
is named with the column, the value and the problem. Lists inside a cell are separated by semicolons;
languages are written ``sv:C2;en:B1``. See docs/case-workers-guide.md for the columns and the limits.

Limits come before parsing: the file's size (``IMPORT_MAX_BYTES``) first, then the rows, counted as
they are read (``IMPORT_MAX_ROWS``), so an oversized workbook is refused after reading one row more than
the limit, never loaded whole. CSV is read with the standard library's parser (RFC 4180 quoting, a
doubled quote inside a quoted cell is one quote), the delimiter sniffed on the first lines.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from matchmaking.accounts.models import User
from matchmaking.core import statistics
from matchmaking.engine.languages import cefr_rank
from matchmaking.organisations.models import Organisation, record_id_validator
from matchmaking.participants import bulk as participant_bulk
from matchmaking.participants.access import can_create_participant
from matchmaking.participants.bulk import StaleImportError
from matchmaking.participants.esco_lookup import is_occupation_uri, is_skill_uri, skill_label
from matchmaking.participants.models import (
    Consent,
    Gender,
    Participant,
    ParticipantLanguage,
    ParticipantSkill,
    SupportRequirement,
)
from matchmaking.placements import bulk as placement_bulk
from matchmaking.placements import services
from matchmaking.placements.access import can_publish_placement
from matchmaking.placements.models import LabourMarket, Placement, PlacementLanguage, PlacementSkill

PARTICIPANT_COLUMNS = (
    "reference",
    "organisation",
    "registered_on",
    "given_name",
    "family_name",
    "date_of_birth",
    "email",
    "phone",
    "home_country",
    "available_from",
    "available_until",
    "willing_to_go_abroad",
    "support_requirements",
    "languages",
    "skills_formal",
    "skills_informal",
    "fewer_opportunities",
    "gender",
)
PLACEMENT_COLUMNS = (
    "key",
    "host",
    "title",
    "occupation_uri",
    "occupation_label",
    "seats",
    "start",
    "end",
    "country",
    "region",
    "city",
    "labour_market",
    "support_offered",
    "languages",
    "required_skills",
    "desired_skills",
    "description",
)
REQUIRED = {
    "participants": ("organisation", "given_name"),
    "placements": ("host", "title", "seats", "country"),
}

MAX_DESCRIPTION = 10_000
"""The longest text a cell may hold; ``description`` is the only column that needs as much."""
# The longest text of each column: the database column's length, so nothing is cut on the way in.
MAX_LENGTH = {
    "reference": 60,
    "organisation": 100,
    "given_name": 100,
    "family_name": 100,
    "email": 254,
    "phone": 40,
    "home_country": 2,
    "key": 100,
    "host": 100,
    "title": 200,
    "occupation_uri": 200,
    "occupation_label": 300,
    "country": 2,
    "region": 5,
    "city": 100,
    "labour_market": 20,
    "description": MAX_DESCRIPTION,
}
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MIN_AGE, MAX_AGE = 14, 100  # a participant's age on the day of the import, from the date of birth
SNIFF_CHARS = 8192  # the sample the CSV delimiter is chosen on
DELIMITERS = ",;\t"
SHOWN_CHARS = 60  # a value quoted in a message is cut to this many characters

logger = logging.getLogger(__name__)


def max_bytes() -> int:
    """The largest file accepted, in bytes (``IMPORT_MAX_BYTES``)."""
    return int(settings.IMPORT_MAX_BYTES)


def max_rows() -> int:
    """The most rows a file may hold (``IMPORT_MAX_ROWS``)."""
    return int(settings.IMPORT_MAX_ROWS)


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFailedError(ValidationError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Line:
    """One data row: its number in the file (the header is row 1), its cells by column, and how many
    non-empty cells it has beyond the header's columns."""

    number: int
    values: dict[str, Any]
    extra: int = 0


def shown(value: object) -> str:
    """A value as quoted in a message: control characters escaped, cut to ``SHOWN_CHARS``."""
    text = "" if value is None else str(value)
    if len(text) > SHOWN_CHARS:
        return repr(text[:SHOWN_CHARS]) + _("… (%(n)s characters)") % {"n": f"{len(text):,}"}
    return repr(text)


# --- Reading -----------------------------------------------------------------------------------------


def _too_many_rows() -> ImportFailedError:
    return ImportFailedError([_("At most %(n)s rows per file.") % {"n": f"{max_rows():,}"}])


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as they stream from the file (read-only mode), the header first."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            strings = sum(i.file_size for i in archive.infolist() if i.filename.endswith("sharedStrings.xml"))
    except zipfile.BadZipFile as exc:
        raise ImportFailedError([_("The file is not a readable XLSX workbook.")]) from exc
    if strings > 20 * max_bytes():  # the one part openpyxl reads whole, even in read-only mode
        raise ImportFailedError([_("The workbook holds more text than an import may.")])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:
        raise ImportFailedError([_("The file is not a readable XLSX workbook.")]) from exc
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:
        raise ImportFailedError([_("The file is not a readable XLSX workbook.")]) from exc
    finally:
        book.close()


def csv_dialect(text: str) -> type[csv.Dialect]:
    """The dialect of a CSV text, sniffed on its first lines (not the header alone) among comma,
    semicolon and tab; RFC 4180 quoting always (a doubled quote in a quoted cell is one quote). The
    header, whose names hold no delimiter, settles a sniff that picked a character it does not hold;
    Excel's dialect when nothing can be told."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    header = text.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter, skip_space = sniffed.delimiter, bool(sniffed.skipinitialspace)
    except csv.Error:
        delimiter, skip_space = ",", False
    in_header = {d: header.count(d) for d in DELIMITERS}
    if in_header[delimiter] == 0 and max(in_header.values()) > 0:
        delimiter = max(in_header, key=lambda d: in_header[d])
    attributes = {
        "delimiter": delimiter,
        "quotechar": '"',
        "doublequote": True,
        "skipinitialspace": skip_space,
        "quoting": csv.QUOTE_MINIMAL,
    }
    return type("ImportDialect", (csv.excel,), attributes)


def _csv_rows(text: str, dialect: type[csv.Dialect]) -> Iterator[list[str]]:
    """The rows of a CSV text as the parser reads them, the header first."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFailedError(
            [_("Row %(row)d: not valid CSV (%(problem)s)") % {"row": reader.line_num, "problem": exc}]
        ) from exc


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_table(filename: str, content: bytes) -> list[Line]:
    """The data rows keyed by the lower-cased header, from .csv (UTF-8, comma, semicolon or tab) or
    .xlsx (the first sheet). Stops, refusing the file, at the first row past the limit."""
    rows: Iterator[tuple[Any, ...] | list[str]]
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailedError([_("The CSV file is not UTF-8 text.")]) from exc
        rows = _csv_rows(text, csv_dialect(text))
    header: list[str] | None = None
    lines: list[Line] = []
    limit = max_rows()
    for number, values in enumerate(rows, start=1):
        if header is None:
            header = [str(h or "").strip().lower() for h in values]
            continue
        if number > 2 * limit + 1:  # blank rows count too, so a sheet of empty rows ends as well
            raise _too_many_rows()
        if _blank(values):
            continue
        if len(lines) == limit:
            raise _too_many_rows()
        extra = values[len(header) :]
        lines.append(
            Line(
                number,
                dict(zip(header, values, strict=False)),
                sum(1 for v in extra if not _blank([v])),
            )
        )
    return lines


# --- Cells -------------------------------------------------------------------------------------------


class _Cells:
    """One row's cells, collecting every problem with the field and the value instead of stopping."""

    def __init__(self, line: Line) -> None:
        self.values = line.values
        self.problems: list[str] = []
        if line.extra:
            self.problems.append(
                _("%(n)d cell(s) beyond the header's columns (a quote or a delimiter out of place?)")
                % {"n": line.extra}
            )
        for name, value in line.values.items():
            if isinstance(value, str) and "\x00" in value:
                self.problem(name, _("contains a NUL character"))

    def problem(self, name: str, message: str, value: object = None) -> None:
        value = self.values.get(name) if value is None else value
        self.problems.append(
            _("%(field)s %(value)s: %(problem)s") % {"field": name, "value": shown(value), "problem": message}
        )

    def text(self, name: str) -> str:
        text = _text(self.values.get(name))
        if "\x00" in text:
            return ""  # named once already
        limit = MAX_LENGTH.get(name, MAX_DESCRIPTION)
        if len(text) > limit:
            self.problem(name, _("longer than %(n)s characters") % {"n": f"{limit:,}"})
            return ""
        return text

    def day(self, name: str) -> date | None:
        raw = self.values.get(name)
        try:
            value = _date(raw) if "\x00" not in _text(raw) else None
        except ValueError:
            self.problem(name, _("not a date in the form YYYY-MM-DD"))
            return None
        if value is not None and not EARLIEST <= value <= LATEST:
            self.problem(name, _("not a date from 1900 to 2100"))
            return None
        return value

    def date_of_birth(self, name: str, today: date) -> date | None:
        value = self.day(name)
        if value is None:
            return None
        age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
        if value > today:
            self.problem(name, _("in the future"))
        elif not MIN_AGE <= age <= MAX_AGE:
            self.problem(
                name,
                _("an age of %(age)d; a participant is %(min)d to %(max)d years old")
                % {"age": age, "min": MIN_AGE, "max": MAX_AGE},
            )
        else:
            return value
        return None

    def items(self, name: str) -> list[str]:
        return [part.strip() for part in self.text(name).split(";") if part.strip()]

    def languages(self, name: str) -> list[dict[str, str]]:
        found = []
        for part in self.items(name):
            code, _sep, level = part.partition(":")
            code = code.strip().lower()
            if not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3):
                self.problem(name, _("not a language code: %s") % shown(code))
                continue
            try:
                cefr_rank(level)
            except ValueError as exc:
                self.problem(name, str(exc))
                continue
            found.append({"code": code, "level": level.strip().upper()})
        return found

    def skills(self, name: str) -> list[dict[str, str]]:
        skills = []
        for uri in self.items(name):
            if not is_skill_uri(uri):
                self.problem(name, _("not a skill of the shipped ESCO: %s") % uri[:200])
                continue
            skills.append({"uri": uri, "label": skill_label(uri)})
        return skills

    def organisation(self, name: str) -> Organisation | None:
        key = self.text(name)
        organisation = Organisation.objects.filter(key=key).first() if key else None
        if organisation is None:
            self.problem(name, _("unknown organisation") if key else _("required"))
        return organisation


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    return date.fromisoformat(text) if text else None


def _bool(value: object) -> bool:
    return _text(value).lower() in {"yes", "y", "true", "1", "ja", "sí", "si"}


# --- Importing ---------------------------------------------------------------------------------------


def import_file(*, actor: User, kind: str, filename: str, content: bytes) -> ImportReport:
    """Check every row, reading only; then write all of them in one short transaction, or none.

    The rows are checked and their records prepared in memory (``participants.bulk``,
    ``placements.bulk``) before the transaction, so a file with problems never takes the write lock
    and a good one holds it only for the bulk inserts and updates. If a record the import planned to
    update was changed meanwhile, it prepares again; the last attempt prepares inside the transaction.
    """
    if kind not in REQUIRED:
        raise ImportFailedError([_("Unknown kind of import.")])
    if len(content) > max_bytes():
        raise ImportFailedError([_("The file is larger than %(n)s bytes.") % {"n": f"{max_bytes():,}"}])
    lines = read_table(filename, content)
    report = ImportReport(kind=kind, rows=len(lines))
    if not lines:
        raise ImportFailedError([_("The file has no rows.")])
    missing = [c for c in REQUIRED[kind] if c not in lines[0].values]
    if missing:
        raise ImportFailedError([_("Missing column(s): %s") % ", ".join(missing)])
    check = _check_participant if kind == "participants" else _check_placement
    items = []
    for line in lines:
        cells = _Cells(line)
        item = check(actor, cells)
        for problem in cells.problems:
            report.errors.append(_("Row %(row)d, %(problem)s") % {"row": line.number, "problem": problem})
        if not cells.problems:
            items.append({**item, "row": line.number})
    if report.errors:
        raise ImportFailedError(report.errors)
    for attempt in range(1, PREPARE_ATTEMPTS + 1):
        prepared = _prepare(actor, kind, items) if attempt < PREPARE_ATTEMPTS else None
        try:
            created, updated = _write(actor, kind, items, prepared)
        except (StaleImportError, IntegrityError):
            if attempt == PREPARE_ATTEMPTS:
                raise
            logger.info("%s import: a planned record changed meanwhile; preparing again", kind)
            continue
        report.created, report.updated = created, updated
        return report
    raise AssertionError("unreachable")


PREPARE_ATTEMPTS = 3


def _prepare(
    actor: User, kind: str, items: list[dict[str, Any]]
) -> participant_bulk.Prepared | placement_bulk.Prepared:
    prepared: participant_bulk.Prepared | placement_bulk.Prepared
    if kind == "participants":
        prepared = participant_bulk.prepare(actor=actor, items=items)
    else:
        prepared = placement_bulk.prepare(actor=actor, items=items)
    if prepared.problems:
        raise ImportFailedError(prepared.problems)
    return prepared


def _write(
    actor: User,
    kind: str,
    items: list[dict[str, Any]],
    prepared: participant_bulk.Prepared | placement_bulk.Prepared | None,
) -> tuple[int, int]:
    started = time.monotonic()
    with transaction.atomic():
        if prepared is None:
            prepared = _prepare(actor, kind, items)
        if isinstance(prepared, participant_bulk.Prepared):
            participant_bulk.write(prepared)
        else:
            placement_bulk.write(prepared)
    logger.info(
        "%s import: %d created, %d updated; the write transaction took %.1f s",
        kind,
        prepared.created,
        prepared.updated,
        time.monotonic() - started,
    )
    written_models = (
        [Participant, ParticipantLanguage, ParticipantSkill, Consent]
        if isinstance(prepared, participant_bulk.Prepared)
        else [Placement, PlacementSkill, PlacementLanguage]
    )
    statistics.after_bulk_write(connection, written_models, prepared.created + prepared.updated)
    return prepared.created, prepared.updated


def _check_participant(actor: User, cells: _Cells) -> dict[str, Any]:
    organisation = cells.organisation("organisation")
    if organisation is not None and not can_create_participant(actor, organisation):
        cells.problem("organisation", _("you may not import records for this organisation"))
    given_name = cells.text("given_name")
    if not _text(cells.values.get("given_name")):
        cells.problem("given_name", _("required"))
    support = cells.items("support_requirements")
    unknown = set(support) - set(SupportRequirement.values)
    if unknown:
        cells.problem("support_requirements", _("unknown %s") % ", ".join(sorted(unknown)))
    today = date.today()
    dates = {k: cells.day(k) for k in ("registered_on", "available_from", "available_until")}
    if (
        dates["available_from"]
        and dates["available_until"]
        and dates["available_until"] < dates["available_from"]
    ):
        cells.problem("available_until", _("before available_from"))
    email = cells.text("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            cells.problem("email", _("not a valid email address"))
    home_country = cells.text("home_country").upper()
    if home_country and not (home_country.isascii() and home_country.isalpha() and len(home_country) == 2):
        cells.problem("home_country", _("not a two-letter country code"))
    # Self-declared and optional (empty: not stated); only for monitoring and fairness reports.
    gender = cells.text("gender").lower().replace("not-stated", "")
    if gender not in Gender.values:
        cells.problem("gender", _("use woman, man, non-binary or leave it empty (not stated)"))
    reference = cells.text("reference")
    return {
        "organisation": organisation,
        "reference": reference,
        "profile": {
            "reference": reference,
            "registered_on": dates["registered_on"] or today,
            "home_country": home_country or (organisation.country if organisation else ""),
            "available_from": dates["available_from"],
            "available_until": dates["available_until"],
            "willing_to_go_abroad": _bool(cells.values.get("willing_to_go_abroad")),
            "support_requirements": support,
            "fewer_opportunities": _bool(cells.values.get("fewer_opportunities")),
            "gender": gender if gender in Gender.values else "",
        },
        "identity": {
            "given_name": given_name,
            "family_name": cells.text("family_name"),
            "date_of_birth": cells.date_of_birth("date_of_birth", today),
            "email": email,
            "phone": cells.text("phone"),
        },
        "languages": cells.languages("languages"),
        "skills": [(s, "formal") for s in cells.skills("skills_formal")]
        + [(s, "informal") for s in cells.skills("skills_informal")],
    }


def _check_placement(actor: User, cells: _Cells) -> dict[str, Any]:
    host = cells.organisation("host")
    if host is not None and not can_publish_placement(actor, host):
        cells.problem("host", _("you may not import records for this organisation"))
    seats_text = cells.text("seats")
    try:
        seats = int(float(seats_text or 0))
    except (ValueError, OverflowError):
        cells.problem("seats", _("not a number"))
        seats = 1
    occupation_uri = cells.text("occupation_uri")
    if occupation_uri and not is_occupation_uri(occupation_uri):
        cells.problem("occupation_uri", _("not an occupation of the shipped ESCO"))
    key = cells.text("key")
    if key:
        try:
            record_id_validator(key)
        except ValidationError as exc:
            cells.problem("key", " ".join(exc.messages))
    data = {
        "title": cells.text("title"),
        "occupation_uri": occupation_uri,
        "occupation_label": cells.text("occupation_label"),
        "description": cells.text("description"),
        "seats": seats,
        "start": cells.day("start"),
        "end": cells.day("end"),
        "country": cells.text("country").upper(),
        "city": cells.text("city"),
        "labour_market": cells.text("labour_market") or LabourMarket.REGULAR,
        "support_offered": cells.items("support_offered"),
        "languages": cells.languages("languages"),
        "required_skills": cells.skills("required_skills"),
        "desired_skills": cells.skills("desired_skills"),
        "status": Placement.Status.OPEN,
    }
    for name, messages in services.validate_placement(data).items():
        if name not in ("skills", "languages", "occupation_uri"):  # checked above, against ESCO
            cells.problem(name, " ".join(messages))
    if key and host and Placement.objects.filter(key=key).exclude(host=host).exists():
        cells.problem("key", _("the placement belongs to another host"))
    return {"host": host, "key": key or None, "data": data, "region": cells.text("region") or None}

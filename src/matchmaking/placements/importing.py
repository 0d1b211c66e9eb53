"""Bulk import of participants and placements from CSV or XLSX, the way case systems export them.

All or nothing: every row is checked first; if any row is wrong, nothing is imported and every bad row
is named with the column and the problem. Lists inside a cell are separated by semicolons; languages
are written ``sv:C2;en:B1``. See docs/case-workers-guide.md for the columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.engine.languages import cefr_rank
from matchmaking.organisations.models import Organisation
from matchmaking.participants import services as participant_services
from matchmaking.participants.access import can_create_participant
from matchmaking.participants.esco_lookup import skill_label
from matchmaking.participants.models import Participant, SupportRequirement
from matchmaking.placements import services
from matchmaking.placements.access import can_publish_placement
from matchmaking.placements.models import LabourMarket, Placement

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
MAX_ROWS = 5000


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


def read_table(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows as dicts keyed by the lower-cased header, from .csv (UTF-8, comma or semicolon) or .xlsx."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFailedError([_("The file is not a readable XLSX workbook.")]) from exc
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h or "").strip().lower() for h in rows[0]]
        return [
            dict(zip(header, row, strict=False)) for row in rows[1:] if any(v not in (None, "") for v in row)
        ]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailedError([_("The CSV file is not UTF-8 text.")]) from exc
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(
            text.splitlines()[0] if text.strip() else "", delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    return [
        {str(k or "").strip().lower(): v for k, v in row.items()}
        for row in reader
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]


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


def _list(value: object) -> list[str]:
    return [part.strip() for part in _text(value).split(";") if part.strip()]


def _languages(value: object) -> list[dict[str, str]]:
    found = []
    for part in _list(value):
        code, _sep, level = part.partition(":")
        cefr_rank(level)  # raises ValueError naming the level
        found.append({"code": code.strip().lower(), "level": level.strip().upper()})
    return found


def _skills(value: object) -> list[dict[str, str]]:
    skills = []
    for uri in _list(value):
        if not uri.startswith("http://data.europa.eu/esco/skill/"):
            raise ValueError(_("not an ESCO skill URI: %s") % uri)
        skills.append({"uri": uri, "label": skill_label(uri)})
    return skills


def import_file(*, actor: User, kind: str, filename: str, content: bytes) -> ImportReport:
    """Check every row, then import all of them in one transaction, or none."""
    if kind not in REQUIRED:
        raise ImportFailedError([_("Unknown kind of import.")])
    rows = read_table(filename, content)
    report = ImportReport(kind=kind, rows=len(rows))
    if not rows:
        raise ImportFailedError([_("The file has no rows.")])
    if len(rows) > MAX_ROWS:
        raise ImportFailedError([_("At most %d rows per file.") % MAX_ROWS])
    missing = [c for c in REQUIRED[kind] if c not in rows[0]]
    if missing:
        raise ImportFailedError([_("Missing column(s): %s") % ", ".join(missing)])
    check = _check_participant if kind == "participants" else _check_placement
    prepared = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            prepared.append(check(actor, row))
        except (ValueError, ValidationError, PermissionDenied) as exc:
            report.errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": _message(exc)})
    if report.errors:
        raise ImportFailedError(report.errors)
    with transaction.atomic():
        for item in prepared:
            created = (
                _save_participant(actor, item) if kind == "participants" else _save_placement(actor, item)
            )
            report.created += int(created)
            report.updated += int(not created)
    return report


def _message(exc: Exception) -> str:
    if isinstance(exc, PermissionDenied):
        return _("you may not import records for this organisation")
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in exc.message_dict.items()
        )
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _organisation(key: str, label: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None:
        raise ValueError(_("%(column)s: unknown organisation %(key)r") % {"column": label, "key": key})
    return organisation


def _check_participant(actor: User, row: dict[str, Any]) -> dict[str, Any]:
    organisation = _organisation(_text(row.get("organisation")), "organisation")
    if not can_create_participant(actor, organisation):
        raise PermissionDenied
    if not _text(row.get("given_name")):
        raise ValueError(_("given_name: required"))
    support = _list(row.get("support_requirements"))
    unknown = set(support) - set(SupportRequirement.values)
    if unknown:
        raise ValueError(_("support_requirements: unknown %s") % ", ".join(sorted(unknown)))
    try:
        dates = {
            k: _date(row.get(k))
            for k in ("registered_on", "date_of_birth", "available_from", "available_until")
        }
    except ValueError as exc:
        raise ValueError(_("a date is not in the form YYYY-MM-DD (%s)") % exc) from exc
    try:
        languages = _languages(row.get("languages"))
    except ValueError as exc:
        raise ValueError(_("languages: %s") % exc) from exc
    return {
        "organisation": organisation,
        "reference": _text(row.get("reference"))[:60],
        "profile": {
            "reference": _text(row.get("reference"))[:60],
            "registered_on": dates["registered_on"] or date.today(),
            "home_country": _text(row.get("home_country")).upper()[:2] or organisation.country,
            "available_from": dates["available_from"],
            "available_until": dates["available_until"],
            "willing_to_go_abroad": _bool(row.get("willing_to_go_abroad")),
            "support_requirements": support,
            "fewer_opportunities": _bool(row.get("fewer_opportunities")),
        },
        "identity": {
            "given_name": _text(row.get("given_name"))[:100],
            "family_name": _text(row.get("family_name"))[:100],
            "date_of_birth": dates["date_of_birth"],
            "email": _text(row.get("email")),
            "phone": _text(row.get("phone"))[:40],
        },
        "languages": languages,
        "skills": [(s, "formal") for s in _skills(row.get("skills_formal"))]
        + [(s, "informal") for s in _skills(row.get("skills_informal"))],
    }


def _save_participant(actor: User, item: dict[str, Any]) -> bool:
    existing = (
        Participant.objects.filter(organisation=item["organisation"], reference=item["reference"]).first()
        if item["reference"]
        else None
    )
    if existing:
        participant_services.participant_update(actor=actor, participant=existing, profile=item["profile"])
        participant_services.identity_update(actor=actor, participant=existing, identity=item["identity"])
        participant = existing
    else:
        participant = participant_services.participant_create(
            actor=actor,
            organisation=item["organisation"],
            profile=item["profile"],
            identity=item["identity"],
            path="import",
        )
    for language in item["languages"]:
        participant_services.language_set(actor=actor, participant=participant, **language)
    for skill, how in item["skills"]:
        participant_services.skill_add(
            actor=actor,
            participant=participant,
            uri=skill["uri"],
            label=skill["label"],
            how=how,
            source="qualification" if how == "formal" else "other",
            evidence=_("Imported"),
        )
    return existing is None


def _check_placement(actor: User, row: dict[str, Any]) -> dict[str, Any]:
    host = _organisation(_text(row.get("host")), "host")
    if not can_publish_placement(actor, host):
        raise PermissionDenied
    try:
        seats = int(float(_text(row.get("seats")) or 0))
    except ValueError as exc:
        raise ValueError(_("seats: not a number")) from exc
    try:
        start, end = _date(row.get("start")), _date(row.get("end"))
    except ValueError as exc:
        raise ValueError(_("a date is not in the form YYYY-MM-DD (%s)") % exc) from exc
    try:
        languages = _languages(row.get("languages"))
    except ValueError as exc:
        raise ValueError(_("languages: %s") % exc) from exc
    data = {
        "title": _text(row.get("title"))[:200],
        "occupation_uri": _text(row.get("occupation_uri")),
        "occupation_label": _text(row.get("occupation_label"))[:300],
        "description": _text(row.get("description")),
        "seats": seats,
        "start": start,
        "end": end,
        "country": _text(row.get("country")).upper(),
        "city": _text(row.get("city"))[:100],
        "labour_market": _text(row.get("labour_market")) or LabourMarket.REGULAR,
        "support_offered": _list(row.get("support_offered")),
        "languages": languages,
        "required_skills": _skills(row.get("required_skills")),
        "desired_skills": _skills(row.get("desired_skills")),
        "status": Placement.Status.OPEN,
    }
    errors = services.validate_placement(data)
    if errors:
        raise ValidationError(errors)
    key = _text(row.get("key"))
    if key and Placement.objects.filter(key=key).exclude(host=host).exists():
        raise ValueError(_("key: the placement %s belongs to another host") % key)
    return {"host": host, "key": key or None, "data": data, "region": _text(row.get("region")) or None}


def _save_placement(actor: User, item: dict[str, Any]) -> bool:
    existing = Placement.objects.filter(key=item["key"]).first() if item["key"] else None
    services.placement_save(
        actor=actor,
        host=item["host"],
        data=item["data"],
        placement=existing,
        key=item["key"],
        region=item["region"],
    )
    return existing is None

"""Read and validate an interchange document into plain records, without Django.

Every problem is collected (not just the first) and each message names the section, the record id, the
field and the bad value, so a coordinator can fix a whole file in one pass. Nothing here writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pycountry

from matchmaking.interchange.schema import CURRENT_VERSION, SCHEMAS, SUPPORTED_VERSIONS
from matchmaking.taxonomies import codelists, regions

ERASMUS_ID = re.compile(r"^E\d{8}$")
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


class InterchangeError(ValueError):
    """A document that cannot be imported; ``problems`` lists every fault found."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(problems)} problem(s):\n" + "\n".join(problems))


@dataclass(frozen=True)
class OrganisationRecord:
    id: str
    name: str
    kind: str
    country: str
    region: str | None = None
    city: str = ""
    languages: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    hosting_capacity: int = 0
    description: str = ""
    website: str = ""
    erasmus_id: str | None = None
    erasmus_accreditation: str = ""


@dataclass(frozen=True)
class OpportunityRecord:
    id: str
    organisation: str
    type: str
    direction: str
    topics: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    earliest: date | None = None
    latest: date | None = None
    duration_days: int = 1
    group_size: int = 1
    description: str = ""


@dataclass
class InterchangeDocument:
    format_version: int = CURRENT_VERSION
    organisations: list[OrganisationRecord] = field(default_factory=list)
    opportunities: list[OpportunityRecord] = field(default_factory=list)


_LIST_FIELDS = ("languages", "target_groups", "expertise", "interests", "topics")


def is_language_code(code: str) -> bool:
    """ISO 639-1 two-letter codes only, as the format says; ``no``, ``nb`` and ``nn`` are all valid."""
    return len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, section: str, record_id: str, field_name: str, message: str) -> None:
        self.items.append(f"{section}[{record_id}].{field_name}: {message}")


def read_document(path: str | Path, known_organisations: Collection[str] = ()) -> InterchangeDocument:
    """Read a file; any fault raises ``InterchangeError`` naming the file."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InterchangeError([f"file not found: {path}"], str(path)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InterchangeError([f"not valid JSON: {exc}"], str(path)) from exc
    try:
        return parse_document(raw, known_organisations)
    except InterchangeError as exc:
        raise InterchangeError(exc.problems, str(path)) from exc


def parse_document(raw: Any, known_organisations: Collection[str] = ()) -> InterchangeDocument:
    """Validate a decoded document (structure, then meaning) and return its records.

    ``known_organisations`` are ids already in the database, so a file of opportunities alone can
    refer to organisations imported earlier.
    """
    if not isinstance(raw, dict):
        raise InterchangeError(["the document must be a JSON object with 'organisations' etc."])
    version = raw.get("format_version", 1)
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise InterchangeError([f"format_version: unsupported value {version!r} (supported: {supported})"])
    structure = _structure_problems(raw, SCHEMAS[version])
    if structure:
        raise InterchangeError(structure)
    problems = _Problems()
    organisations = [_organisation(o, problems) for o in raw.get("organisations", [])]
    opportunities = [_opportunity(o, problems) for o in raw.get("opportunities", [])]
    _check_ids(organisations, opportunities, set(known_organisations), problems)
    if problems.items:
        raise InterchangeError(problems.items)
    return InterchangeDocument(version, organisations, opportunities)


def _record_label(raw: dict[str, Any], path: Iterable[Any]) -> str:
    parts = list(path)
    if len(parts) >= 2 and isinstance(parts[1], int):
        section, index = parts[0], parts[1]
        try:
            record = raw[section][index]
            rid = record.get("id") if isinstance(record, dict) else None
        except (KeyError, IndexError, TypeError):
            rid = None
        where = f"{section}[{rid if rid else f'#{index + 1}'}]"
        rest = ".".join(str(p) for p in parts[2:])
        return f"{where}.{rest}" if rest else where
    return ".".join(str(p) for p in parts) or "document"


def _structure_problems(raw: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        where = _record_label(raw, error.absolute_path)
        if error.validator == "additionalProperties":
            message = f"unknown field(s): {error.message.split('(')[-1].rstrip(')')}"
        elif error.validator == "required":
            message = error.message.replace("is a required property", "is required")
        else:
            message = f"bad value {error.instance!r}: {error.message}"
        problems.append(f"{where}: {message}")
    return problems


def _check_codes(values: Iterable[str], scheme: str, section: str, rid: str, name: str, p: _Problems) -> None:
    known = codelists.codes(scheme)
    for value in values:
        if value not in known:
            p.add(section, rid, name, f"unknown {scheme} code {value!r}")


def _check_languages(values: Iterable[str], section: str, rid: str, p: _Problems) -> None:
    for value in values:
        if not is_language_code(value):
            p.add(section, rid, "languages", f"unknown ISO 639-1 language code {value!r}")


def _organisation(o: dict[str, Any], p: _Problems) -> OrganisationRecord:
    rid = o["id"]
    section = "organisations"
    _check_codes([o["kind"]], codelists.ORGANISATION_KINDS, section, rid, "kind", p)
    country = o["country"]
    if not is_country_code(country):
        p.add(section, rid, "country", f"unknown ISO 3166-1 alpha-2 country code {country!r}")
    region = o.get("region") or None
    if region and not regions.is_valid_region(region, country if is_country_code(country) else None):
        p.add(section, rid, "region", f"{region!r} is not a NUTS 2024 level-2 region of {country}")
    _check_languages(o.get("languages", []), section, rid, p)
    _check_codes(o.get("target_groups", []), codelists.TARGET_GROUPS, section, rid, "target_groups", p)
    _check_codes(o.get("expertise", []), codelists.PRACTICE_TOPICS, section, rid, "expertise", p)
    _check_codes(o.get("interests", []), codelists.PRACTICE_TOPICS, section, rid, "interests", p)
    erasmus_id = o.get("erasmus_id") or None
    if erasmus_id and not ERASMUS_ID.match(erasmus_id):
        p.add(section, rid, "erasmus_id", f"{erasmus_id!r} is not 'E' followed by 8 digits")
    values = {k: tuple(v) if k in _LIST_FIELDS else v for k, v in o.items()}
    values["region"] = region
    values["erasmus_id"] = erasmus_id
    return OrganisationRecord(**values)


def _date(value: Any, section: str, rid: str, name: str, p: _Problems) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        p.add(section, rid, name, f"bad date {value!r} (expected YYYY-MM-DD)")
        return None


def _opportunity(o: dict[str, Any], p: _Problems) -> OpportunityRecord:
    rid = o["id"]
    section = "opportunities"
    _check_codes([o["type"]], codelists.OPPORTUNITY_TYPES, section, rid, "type", p)
    _check_codes([o["direction"]], codelists.DIRECTIONS, section, rid, "direction", p)
    _check_codes(o.get("topics", []), codelists.PRACTICE_TOPICS, section, rid, "topics", p)
    _check_codes(o.get("target_groups", []), codelists.TARGET_GROUPS, section, rid, "target_groups", p)
    _check_languages(o.get("languages", []), section, rid, p)
    earliest = _date(o.get("earliest"), section, rid, "earliest", p)
    latest = _date(o.get("latest"), section, rid, "latest", p)
    if earliest and latest:
        if latest < earliest:
            p.add(section, rid, "latest", f"{latest} is before earliest {earliest}")
        else:
            window = (latest - earliest).days + 1
            duration = o.get("duration_days", 1)
            if duration > window:
                p.add(
                    section, rid, "duration_days",
                    f"{duration} days do not fit the window of {window} days ({earliest} to {latest})",
                )  # fmt: skip
    values = {k: tuple(v) if k in _LIST_FIELDS else v for k, v in o.items()}
    values["earliest"], values["latest"] = earliest, latest
    return OpportunityRecord(**values)


def _check_ids(
    organisations: list[OrganisationRecord],
    opportunities: list[OpportunityRecord],
    known: set[str],
    p: _Problems,
) -> None:
    seen: set[str] = set()
    for org in organisations:
        if not RECORD_ID.match(org.id):
            p.add("organisations", org.id, "id", "use letters, digits, '.', '_', ':' or '-' only")
        if org.id in seen:
            p.add("organisations", org.id, "id", f"duplicate id {org.id!r}")
        seen.add(org.id)
    seen_opp: set[str] = set()
    for opp in opportunities:
        if not RECORD_ID.match(opp.id):
            p.add("opportunities", opp.id, "id", "use letters, digits, '.', '_', ':' or '-' only")
        if opp.id in seen_opp:
            p.add("opportunities", opp.id, "id", f"duplicate id {opp.id!r}")
        seen_opp.add(opp.id)
        if opp.organisation not in seen and opp.organisation not in known:
            p.add("opportunities", opp.id, "organisation", f"unknown organisation {opp.organisation!r}")


def document_to_json(document: InterchangeDocument) -> dict[str, Any]:
    """The inverse of ``parse_document``: a plain dict ready for ``json.dump``."""
    return {
        "format_version": document.format_version,
        "organisations": [_record_to_json(o) for o in document.organisations],
        "opportunities": [_record_to_json(o) for o in document.opportunities],
    }


def _record_to_json(record: OrganisationRecord | OpportunityRecord) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in record.__dataclass_fields__:
        value = getattr(record, name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out

"""Read and validate an interchange document into plain records, without Django.

Every problem is collected (not just the first) and each message names the section, the record id, the
field and the bad value, so a coordinator can fix a whole file in one pass. Nothing here writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry

from matchmaking.interchange.schema import CURRENT_VERSION, SUPPORTED_VERSIONS
from matchmaking.interchange.structure import record_label, shown, structure_problems
from matchmaking.taxonomies import codelists, regions

ERASMUS_ID = re.compile(r"^E\d{8}$")
MAX_DEPTH = 20
"""The deepest nesting of objects and arrays a document may have (the format itself needs six)."""
MAX_BYTES = 20 * 1024 * 1024
"""The largest file read, in bytes: checked before the file is read."""
# A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
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


# Codes of the exchanges section (version 2). They mirror the exchanges app's choices (a test keeps
# them equal) but live here so that reading a file needs no Django.
EXCHANGE_STATES = (
    "draft", "proposed", "agreed", "planning", "confirmed", "under-way", "completed", "reported",
    "declined", "cancelled", "expired",
)  # fmt: skip
VISITOR_KINDS = ("staff", "vet-learner", "apprentice", "adult-learner")
ITEM_FORMATS = (
    "job-shadowing", "meeting", "site-visit", "observation", "workshop", "presentation", "social",
)  # fmt: skip
FEEDBACK_CODES = ("not-held", "no-interest", "maybe", "planned")
FOLLOW_UP_CODES = ("none", "contact", "reciprocal", "agreement")
FUNDING_CODES = ("erasmus-ka1", "erasmus-ka2", "other", "own")
ACTIVITY_CODES = (
    "SM-JOB-SHDW", "SM-TTA", "SM-COUR-TRAIN", "LM-SKILL-VET", "LM-SHORT-VET", "LM-LONG-VET",
    "OA-INV-EXP", "OA-HOS-TTT",
)  # fmt: skip


@dataclass(frozen=True)
class VisitorRecord:
    """A person travelling in an exchange (a mobility record). The "fewer opportunities" flag only:
    the reasons are never part of the format."""

    id: str
    name: str
    email: str = ""
    role: str = ""
    learning_goals: str = ""
    kind: str = "staff"
    accompanying: bool = False
    fewer_opportunities: bool = False
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ProgrammeItemRecord:
    day: date
    starts_at: time
    ends_at: time
    activity: str
    format: str = "meeting"
    host_person: str = ""
    location: str = ""
    notes: str = ""
    visitors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportRecord:
    summary: str = ""
    outcomes: str = ""
    host_lessons: tuple[str, ...] = ()
    visitor_lessons: tuple[str, ...] = ()
    follow_up_actions: tuple[str, ...] = ()
    host_feedback: str = ""
    visitor_feedback: str = ""
    host_follow_up: str = ""
    visitor_follow_up: str = ""


@dataclass(frozen=True)
class ExchangeRecord:
    id: str
    host: str
    visitor: str
    type: str
    start: date
    end: date
    proposed_by: str = ""
    offer: str | None = None
    request: str | None = None
    title: str = ""
    state: str = "proposed"
    state_reason: str = ""
    group_size: int = 1
    funding: str = ""
    activity_code: str = ""
    time_zone: str = ""
    # The Erasmus+ reporting flags; None: not in the file (an import leaves what is stored).
    green_travel: bool | None = None
    blended: bool | None = None
    force_majeure: bool | None = None
    # None: not in the file (an import leaves what is stored); a tuple: the whole list.
    visitors: tuple[VisitorRecord, ...] | None = None
    programme: tuple[ProgrammeItemRecord, ...] | None = None
    report: ReportRecord | None = None


@dataclass
class InterchangeDocument:
    format_version: int = CURRENT_VERSION
    organisations: list[OrganisationRecord] = field(default_factory=list)
    opportunities: list[OpportunityRecord] = field(default_factory=list)
    exchanges: list[ExchangeRecord] = field(default_factory=list)


_LIST_FIELDS = ("languages", "target_groups", "expertise", "interests", "topics")


@lru_cache(maxsize=1024)
def is_language_code(code: str) -> bool:
    """ISO 639-1 two-letter codes only, as the format says; ``no``, ``nb`` and ``nn`` are all valid."""
    return len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None


@lru_cache(maxsize=1024)
def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=4096)
def _valid_region(region: str, country: str) -> bool:
    return regions.is_valid_region(region, country if is_country_code(country) else None)


@cache
def _known_codes(scheme: str) -> frozenset[str]:
    """The codes of a code list, read once per process (the lists are files shipped with the app)."""
    return codelists.codes(scheme)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, section: str, record_id: str, field_name: str, message: str) -> None:
        self.items.append(f"{section}[{record_id}].{field_name}: {message}")


def read_document(
    path: str | Path, known_organisations: Collection[str] = (), known_opportunities: Collection[str] = ()
) -> InterchangeDocument:
    """Read a file; any fault raises ``InterchangeError`` naming the file.

    The size is checked before the file is read (``MAX_BYTES``) and the nesting before it is decoded
    (``MAX_DEPTH``), so no file can exhaust memory or the parser's recursion."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InterchangeError(
                [f"the file is larger than {MAX_BYTES:,} bytes ({size:,} bytes)"], str(path)
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InterchangeError([f"file not found: {path}"], str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InterchangeError([f"not valid JSON: {exc}"], str(path)) from exc
    if json_too_deep(text):
        raise InterchangeError([_too_deep()], str(path))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError([f"not valid JSON: {exc}"], str(path)) from exc
    except RecursionError as exc:  # not reached after the depth check; never a traceback all the same
        raise InterchangeError([_too_deep()], str(path)) from exc
    try:
        return parse_document(raw, known_organisations, known_opportunities)
    except InterchangeError as exc:
        raise InterchangeError(exc.problems, str(path)) from exc


def _too_deep() -> str:
    return f"the document is nested deeper than {MAX_DEPTH} levels of objects and arrays"


def json_too_deep(text: str, limit: int | None = None) -> bool:
    """Whether a JSON text nests objects and arrays deeper than ``limit`` (``MAX_DEPTH``), found by
    counting brackets outside strings, before anything is decoded.

    >>> json_too_deep('{"a": [[1]], "b": "[[[[["}', limit=3)
    False
    >>> json_too_deep('[[[[1]]]]', limit=3)
    True
    """
    limit = MAX_DEPTH if limit is None else limit
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        found = match.group()
        if found in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif found in ("]", "}"):
            depth -= 1
    return False


def _walk_problems(raw: dict[str, Any]) -> list[str]:
    """NUL characters (which no database column takes) and nesting deeper than ``MAX_DEPTH``, found
    without recursion so that a deep document built in Python is refused too."""
    problems: list[str] = []
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(raw, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return [_too_deep()]
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in pairs:
                if isinstance(key, str) and "\x00" in key:
                    problems.append(f"{record_label(raw, path)}: a field name contains a NUL character")
                stack.append((value, (*path, key), depth + 1))
        elif isinstance(node, str) and "\x00" in node:
            problems.append(f"{record_label(raw, path)}: bad value {shown(node)}: contains a NUL character")
    return sorted(problems)


def parse_document(
    raw: Any, known_organisations: Collection[str] = (), known_opportunities: Collection[str] = ()
) -> InterchangeDocument:
    """Validate a decoded document (structure, then meaning) and return its records.

    ``known_organisations`` (and ``known_opportunities``) are ids already in the database, so a file
    of opportunities or exchanges alone can refer to records imported earlier.
    """
    if not isinstance(raw, dict):
        raise InterchangeError(["the document must be a JSON object with 'organisations' etc."])
    walked = _walk_problems(raw)
    if walked:
        raise InterchangeError(walked)
    version = raw.get("format_version", 1)
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise InterchangeError([f"format_version: unsupported value {version!r} (supported: {supported})"])
    if version == 1 and "exchanges" in raw:
        raise InterchangeError(['exchanges: this section needs "format_version": 2'])
    structure = structure_problems(raw, version)
    if structure:
        raise InterchangeError(structure)
    problems = _Problems()
    organisations = [_organisation(o, problems) for o in raw.get("organisations", [])]
    opportunities = [_opportunity(o, problems) for o in raw.get("opportunities", [])]
    _check_ids(organisations, opportunities, set(known_organisations), problems)
    exchanges = [_exchange(e, problems) for e in raw.get("exchanges", [])]
    _check_exchange_refs(
        exchanges,
        {o.id for o in organisations} | set(known_organisations),
        {o.id: o for o in opportunities},
        set(known_opportunities),
        problems,
    )
    if problems.items:
        raise InterchangeError(problems.items)
    return InterchangeDocument(version, organisations, opportunities, exchanges)


def _check_codes(values: Iterable[str], scheme: str, section: str, rid: str, name: str, p: _Problems) -> None:
    known = _known_codes(scheme)
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
    if region and not _valid_region(region, country):
        p.add(section, rid, "region", f"{region!r} is not a NUTS 2024 level-2 region of {country}")
    _check_languages(o.get("languages", []), section, rid, p)
    _check_codes(o.get("target_groups", []), codelists.TARGET_GROUPS, section, rid, "target_groups", p)
    _check_codes(o.get("expertise", []), codelists.PRACTICE_TOPICS, section, rid, "expertise", p)
    _check_codes(o.get("interests", []), codelists.PRACTICE_TOPICS, section, rid, "interests", p)
    erasmus_id = o.get("erasmus_id") or None
    if erasmus_id and not ERASMUS_ID.match(erasmus_id):
        p.add(section, rid, "erasmus_id", f"{erasmus_id!r} is not 'E' followed by 8 digits")
    values: dict[str, Any] = {k: tuple(v) if k in _LIST_FIELDS else v for k, v in o.items()}
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
    values: dict[str, Any] = {k: tuple(v) if k in _LIST_FIELDS else v for k, v in o.items()}
    values["earliest"], values["latest"] = earliest, latest
    return OpportunityRecord(**values)


def _time(value: Any, where: str, name: str, p: _Problems) -> time | None:
    try:
        parsed = time.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        p.items.append(f"{where}.{name}: bad time {value!r} (expected HH:MM)")
        return None
    return parsed


def _check_choice(value: str, choices: tuple[str, ...], where: str, name: str, p: _Problems) -> None:
    if value and value not in choices:
        p.items.append(f"{where}.{name}: unknown code {value!r} (expected one of {', '.join(choices)})")


def _lines(values: list[str], where: str, name: str, p: _Problems) -> tuple[str, ...]:
    for value in values:
        if not value.strip() or "\n" in value or "\r" in value:
            p.items.append(f"{where}.{name}: bad value {value!r} (one non-empty line per entry)")
    return tuple(values)


def _visitor(
    v: dict[str, Any], where: str, start: date | None, end: date | None, p: _Problems
) -> VisitorRecord:
    here = f"{where}.visitors[{v['id']}]"
    _check_choice(v.get("kind", "staff"), VISITOR_KINDS, here, "kind", p)
    own: dict[str, date | None] = {}
    for name in ("start", "end"):
        value = v.get(name)
        if value is None:
            own[name] = None
            continue
        try:
            own[name] = date.fromisoformat(value)
        except (TypeError, ValueError):
            p.items.append(f"{here}.{name}: bad date {value!r} (expected YYYY-MM-DD)")
            own[name] = None
    if start and end:
        first, last = own["start"] or start, own["end"] or end
        if last < first or first < start or last > end:
            p.items.append(
                f"{here}.start: {own['start'] or start} to {own['end'] or end} is not within the "
                f"exchange's dates ({start} to {end})"
            )
    return VisitorRecord(**{**v, "start": own["start"], "end": own["end"]})


def _item(
    item: dict[str, Any], n: int, where: str, start: date | None, end: date | None, visitor_ids: set[str],
    p: _Problems,
) -> ProgrammeItemRecord | None:  # fmt: skip
    here = f"{where}.programme[#{n}]"
    day = _date(item["day"], "", "", "day", _Sink(p, here))
    starts_at = _time(item["starts_at"], here, "starts_at", p)
    ends_at = _time(item["ends_at"], here, "ends_at", p)
    _check_choice(item.get("format", "meeting"), ITEM_FORMATS, here, "format", p)
    if day and start and end and not (start <= day <= end):
        p.items.append(f"{here}.day: {day} is not within the exchange's dates ({start} to {end})")
    if starts_at and ends_at and ends_at <= starts_at:
        p.items.append(f"{here}.ends_at: {ends_at:%H:%M} is not after starts_at {starts_at:%H:%M}")
    for ref in item.get("visitors", []):
        if ref not in visitor_ids:
            p.items.append(f"{here}.visitors: unknown visitor {ref!r} (not among this exchange's visitors)")
    if day is None or starts_at is None or ends_at is None:
        return None
    return ProgrammeItemRecord(
        **{**item, "day": day, "starts_at": starts_at, "ends_at": ends_at,
           "visitors": tuple(item.get("visitors", []))}
    )  # fmt: skip


class _Sink(_Problems):
    """Re-labels the section-record-field messages of ``_date`` for a nested record."""

    def __init__(self, parent: _Problems, where: str) -> None:
        self.parent, self.where = parent, where

    def add(self, section: str, record_id: str, field_name: str, message: str) -> None:
        self.parent.items.append(f"{self.where}.{field_name}: {message}")


def _report(r: dict[str, Any] | None, where: str, p: _Problems) -> ReportRecord | None:
    if r is None:
        return None
    here = f"{where}.report"
    for name in ("host_feedback", "visitor_feedback"):
        _check_choice(r.get(name, ""), FEEDBACK_CODES, here, name, p)
    for name in ("host_follow_up", "visitor_follow_up"):
        _check_choice(r.get(name, ""), FOLLOW_UP_CODES, here, name, p)
    values = dict(r)
    for name in ("host_lessons", "visitor_lessons", "follow_up_actions"):
        values[name] = _lines(r.get(name, []), here, name, p)
    return ReportRecord(**values)


def _exchange(e: dict[str, Any], p: _Problems) -> ExchangeRecord:
    rid = e["id"]
    section = "exchanges"
    where = f"{section}[{rid}]"
    _check_codes([e["type"]], codelists.OPPORTUNITY_TYPES, section, rid, "type", p)
    _check_choice(e.get("state", "proposed"), EXCHANGE_STATES, where, "state", p)
    _check_choice(e.get("funding", ""), FUNDING_CODES, where, "funding", p)
    _check_choice(e.get("activity_code", ""), ACTIVITY_CODES, where, "activity_code", p)
    zone = e.get("time_zone", "")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            p.add(section, rid, "time_zone", f"unknown IANA time zone {zone!r}")
    start = _date(e["start"], section, rid, "start", p)
    end = _date(e["end"], section, rid, "end", p)
    if start and end and end < start:
        p.add(section, rid, "end", f"{end} is before start {start}")
        start = end = None
    visitors = [_visitor(v, where, start, end, p) for v in e.get("visitors", [])]
    seen: set[str] = set()
    for v in visitors:
        if v.id in seen:
            p.items.append(f"{where}.visitors[{v.id}].id: duplicate id {v.id!r}")
        seen.add(v.id)
    group_size = e.get("group_size", max(1, len(visitors)))
    if len(visitors) > group_size:
        p.add(section, rid, "group_size", f"{group_size} is less than the {len(visitors)} visitors listed")
    programme = [
        _item(item, n, where, start, end, seen, p) for n, item in enumerate(e.get("programme", []), 1)
    ]
    values = {k: v for k, v in e.items() if k not in ("visitors", "programme", "report")}
    for name in ("host", "visitor", "proposed_by"):
        values[name] = values.get(name) or ""
    values.update(
        start=start or date.min,
        end=end or date.min,
        group_size=group_size,
        visitors=tuple(visitors) if "visitors" in e else None,
        programme=tuple(i for i in programme if i is not None) if "programme" in e else None,
        report=_report(e.get("report"), where, p),
    )
    return ExchangeRecord(**values)


def _check_exchange_refs(
    exchanges: list[ExchangeRecord],
    organisations: set[str],
    opportunities: dict[str, OpportunityRecord],
    known_opportunities: set[str],
    p: _Problems,
) -> list[ExchangeRecord]:
    """Ids unique and well-formed; host and visitor given or taken from the offer and request;
    every organisation and opportunity named exists in the file or in the database."""
    seen: set[str] = set()
    for index, ex in enumerate(exchanges):
        section, rid = "exchanges", ex.id
        if not RECORD_ID.match(rid):
            p.add(section, rid, "id", "use letters, digits, '.', '_', ':' or '-' only")
        if rid in seen:
            p.add(section, rid, "id", f"duplicate id {rid!r}")
        seen.add(rid)
        derived: dict[str, str] = {}
        for name, direction, side in (("offer", "offer", "host"), ("request", "request", "visitor")):
            ref = getattr(ex, name)
            if ref is None:
                continue
            if ref in opportunities:
                record = opportunities[ref]
                if record.direction != direction:
                    p.add(
                        section, rid, name, f"opportunity {ref!r} is {record.direction!r}, not {direction!r}"
                    )
                derived[side] = record.organisation
            elif ref not in known_opportunities:
                p.add(section, rid, name, f"unknown opportunity {ref!r}")
        values: dict[str, str] = {}
        for side in ("host", "visitor"):
            given = getattr(ex, side)
            if given and side in derived and derived[side] != given:
                p.add(
                    section, rid, side,
                    f"{given!r} is not the organisation of the {'offer' if side == 'host' else 'request'} "
                    f"({derived[side]!r})",
                )  # fmt: skip
            values[side] = given or derived.get(side, "")
            if not values[side]:
                p.add(
                    section, rid, side,
                    f"missing: give the {side} organisation or an "
                    f"{'offer' if side == 'host' else 'request'} of the file",
                )  # fmt: skip
            elif values[side] not in organisations:
                p.add(section, rid, side, f"unknown organisation {values[side]!r}")
        if values["host"] and values["host"] == values["visitor"]:
            p.add(section, rid, "visitor", f"{values['visitor']!r} cannot visit itself")
        proposed_by = ex.proposed_by or values["visitor"]
        if ex.proposed_by and ex.proposed_by not in (values["host"], values["visitor"]):
            p.add(section, rid, "proposed_by", f"{ex.proposed_by!r} is neither the host nor the visitor")
        exchanges[index] = replace(
            ex, host=values["host"], visitor=values["visitor"], proposed_by=proposed_by
        )
    return exchanges


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
    out = {
        "format_version": document.format_version,
        "organisations": [_record_to_json(o) for o in document.organisations],
        "opportunities": [_record_to_json(o) for o in document.opportunities],
    }
    if document.format_version >= 2:
        out["exchanges"] = [_record_to_json(e) for e in document.exchanges]
    return out


def _value_to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_value_to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if hasattr(value, "__dataclass_fields__"):
        return _record_to_json(value)
    return value


def _record_to_json(record: Any) -> dict[str, Any]:
    return {name: _value_to_json(getattr(record, name)) for name in record.__dataclass_fields__}

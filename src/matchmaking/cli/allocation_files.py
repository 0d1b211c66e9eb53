"""The CSV files of ``matchmaking allocate``: read and check participants and placements, write results.

Every fault in a file is collected with the file name, the row (line number, the header being
line 1), the field and the value, so a case worker can fix the whole file at once. The formats are
documented in docs/allocation-files.md.

Columns ``fewer_opportunities`` and ``group`` are read into the engine's ``Monitoring``, kept apart
from the ``Participant`` that matching sees: they serve the positive-action floor and the fairness
report only, never a score.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from matchmaking.engine.allocation_round import Monitoring, RoundResult
from matchmaking.engine.languages import cefr_rank
from matchmaking.engine.people import INFORMAL, Language, Participant, Placement, Skill

T = TypeVar("T")

PARTICIPANT_COLUMNS = (
    "id",
    "skills",
    "informal_skills",
    "languages",
    "occupation_interests",
    "available_from",
    "available_until",
    "support_requirements",
    "willing_to_go_abroad",
    "home_country",
    "preferences",
    "fewer_opportunities",
    "group",
)
PLACEMENT_COLUMNS = (
    "id",
    "seats",
    "occupation",
    "required_skills",
    "desired_skills",
    "languages",
    "start",
    "end",
    "country",
    "region",
    "support_offered",
    "labour_market",
    "preferences",
)
GROUP = "group"  # the one fairness audit of a participants file, by its 'group' column
LABOUR_MARKETS = ("regular", "social-economy", "training")
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


class InputError(ValueError):
    """Bad input files; ``problems`` holds one message per fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ParticipantsFile:
    participants: list[Participant]
    monitoring: list[Monitoring]
    preferences: list[tuple[str, ...] | None]
    lines: list[int]


@dataclass(frozen=True)
class PlacementsFile:
    placements: list[Placement]
    preferences: list[tuple[str, ...] | None]
    lines: list[int]


class _Row:
    """One CSV row with its location, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, line: int, values: dict[str, str], problems: list[str]) -> None:
        self.path = path
        self.line = line
        self.values = values
        self.problems = problems

    def text(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def problem(self, name: str, message: str) -> None:
        value = self.values.get(name) or ""
        self.problems.append(f"{self.path.name}, row {self.line}, field '{name}', value {value!r}: {message}")

    def parse(self, name: str, convert: Callable[[str], T], default: T) -> T:
        raw = self.text(name)
        if not raw:
            return default
        try:
            return convert(raw)
        except ValueError as exc:
            self.problem(name, str(exc))
            return default

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(x.strip() for x in self.text(name).split(";") if x.strip())


def _rows(path: Path, columns: tuple[str, ...], problems: list[str]) -> Iterator[_Row]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in columns]
        if "id" not in header:
            problems.append(f"{path.name}, row 1: the header has no 'id' column")
        for column in unknown:
            problems.append(
                f"{path.name}, row 1, field {column!r}: unknown column (known: {', '.join(columns)})"
            )
        if problems:
            return
        try:
            for values in reader:
                extra = [v for v in values.pop(None, None) or [] if v.strip()]
                if extra:
                    problems.append(
                        f"{path.name}, row {reader.line_num}: {len(extra)} cell(s) beyond the header's "
                        "columns (a quote or a comma out of place?)"
                    )
                yield _Row(path, reader.line_num, values, problems)
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}, row {reader.line_num}: not valid CSV ({exc})")


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError("not a date (use YYYY-MM-DD)") from None


def _yes_no(raw: str) -> bool:
    normal = raw.strip().lower()
    if normal in TRUE:
        return True
    if normal in FALSE:
        return False
    raise ValueError("not yes or no")


def _seats(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError("not a whole number") from None
    if value < 0:
        raise ValueError("seats cannot be negative")
    return value


def _country(raw: str) -> str:
    if len(raw) != 2 or not raw.isalpha() or not raw.isupper():
        raise ValueError("not a two-letter country code such as SE")
    return raw


def _languages(row: _Row, name: str) -> tuple[Language, ...]:
    found = []
    for item in row.items(name):
        code, _, level = item.partition(":")
        code = code.strip().lower()
        if len(code) != 2 or not code.isalpha():
            row.problem(name, f"{item!r} does not start with a two-letter language code")
            continue
        try:
            cefr_rank(level or "?")
        except ValueError:
            row.problem(name, f"{item!r}: give a CEFR level after the code, e.g. {code}:B1")
            continue
        found.append(Language(code, level.strip().upper()))
    return tuple(found)


def _unique_id(row: _Row, seen: set[str]) -> str:
    rid = row.text("id")
    if not rid:
        row.problem("id", "every row needs an id")
    elif rid in seen:
        row.problem("id", "duplicate id")
    seen.add(rid)
    return rid


def read_participants(path: str | Path) -> ParticipantsFile:
    """Read and check a participants file; raises ``InputError`` listing every fault."""
    path = Path(path)
    problems: list[str] = []
    people, monitoring, preferences, lines = [], [], [], []
    seen: set[str] = set()
    for row in _rows(path, PARTICIPANT_COLUMNS, problems):
        rid = _unique_id(row, seen)
        lines.append(row.line)
        formal = [Skill(uri) for uri in row.items("skills")]
        informal = [Skill(uri, how=INFORMAL) for uri in row.items("informal_skills")]
        people.append(
            Participant(
                id=rid,
                skills=tuple(formal + informal),
                languages=_languages(row, "languages"),
                occupation_interests=row.items("occupation_interests"),
                available_from=row.parse("available_from", _date, None),
                available_until=row.parse("available_until", _date, None),
                support_requirements=frozenset(row.items("support_requirements")),
                willing_to_go_abroad=row.parse("willing_to_go_abroad", _yes_no, False),
                home_country=row.parse("home_country", _country, ""),
            )
        )
        monitoring.append(
            Monitoring(row.parse("fewer_opportunities", _yes_no, False), {GROUP: row.text("group") or None})
        )
        preferences.append(row.items("preferences") or None)
    if problems:
        raise InputError(problems)
    return ParticipantsFile(people, monitoring, preferences, lines)


def read_placements(path: str | Path) -> PlacementsFile:
    """Read and check a placements file; raises ``InputError`` listing every fault."""
    path = Path(path)
    problems: list[str] = []
    places, preferences, lines = [], [], []
    seen: set[str] = set()
    for row in _rows(path, PLACEMENT_COLUMNS, problems):
        rid = _unique_id(row, seen)
        lines.append(row.line)
        if not row.text("seats"):
            row.problem("seats", "every placement needs a number of seats")
        market = row.text("labour_market") or "regular"
        if market not in LABOUR_MARKETS:
            row.problem("labour_market", f"unknown labour market type (known: {', '.join(LABOUR_MARKETS)})")
        start = row.parse("start", _date, None)
        end = row.parse("end", _date, None)
        if start and end and end < start:
            row.problem("end", f"ends before it starts ({start})")
        places.append(
            Placement(
                id=rid,
                seats=row.parse("seats", _seats, 0),
                occupation=row.text("occupation"),
                required_skills=row.items("required_skills"),
                desired_skills=row.items("desired_skills"),
                languages=_languages(row, "languages"),
                start=start,
                end=end,
                country=row.parse("country", _country, ""),
                region=row.text("region"),
                support_offered=frozenset(row.items("support_offered")),
                labour_market=market,
            )
        )
        preferences.append(row.items("preferences") or None)
    if problems:
        raise InputError(problems)
    return PlacementsFile(places, preferences, lines)


def check_preference_ids(
    participants: ParticipantsFile, placements: PlacementsFile, participants_path: Path, placements_path: Path
) -> None:
    """Every id in a ``preferences`` column must name a row of the other file."""
    problems: list[str] = []
    place_ids = {p.id for p in placements.placements}
    person_ids = {p.id for p in participants.participants}
    for line, prefs in zip(participants.lines, participants.preferences, strict=True):
        for pid in prefs or ():
            if pid not in place_ids:
                problems.append(
                    f"{participants_path.name}, row {line}, field 'preferences', value {pid!r}: "
                    "unknown placement id"
                )
    for line, prefs in zip(placements.lines, placements.preferences, strict=True):
        for pid in prefs or ():
            if pid not in person_ids:
                problems.append(
                    f"{placements_path.name}, row {line}, field 'preferences', value {pid!r}: "
                    "unknown participant id"
                )
    if problems:
        raise InputError(problems)


RESULT_COLUMNS = ("participant", "placement", "score", "choice", "skill_gap", "explanation")


def result_rows(result: RoundResult, placements: PlacementsFile) -> list[dict[str, str]]:
    """One row per participant, in file order, for ``write_results``."""
    rows = []
    for outcome in result.outcomes:
        placed = outcome.placed
        rows.append(
            {
                "participant": outcome.participant,
                "placement": placements.placements[outcome.placement].id if placed else "",
                "score": f"{outcome.score:.1f}" if outcome.score is not None else "",
                "choice": str(outcome.choice) if outcome.choice is not None else "",
                "skill_gap": ";".join(outcome.skill_gap),
                "explanation": " | ".join(r.text for r in outcome.reasons),
            }
        )
    return rows


def write_results(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the result file in one step: to a temporary file beside it, then renamed over it."""
    temporary = path.with_name(f".{path.name}.partial")
    with temporary.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RESULT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    temporary.replace(path)

"""Read an instance of the B2B meeting-scheduling benchmark (MiniZinc data, ``.dzn``).

The names read are ``nBusiness``, ``nMeetings``, ``nTables``, ``nTotalSlots``, ``nMorningSlots``,
``requested`` (rows ``a, b, session``: 1 = morning, 2 = afternoon, 3 = either), ``forbidden`` (one set
of 1-based slots per participant; 0 means none) and ``fixed`` (0, or the 1-based slot of a meeting
fixed in advance). Other names (``meetingsxBusiness``, ``nMeetingsBusiness``, ``precedences``) are
derived or unused and skipped. Meeting keys are the 1-based rows of ``requested``, participants keep
their 1-based numbers, slots become 0-based, and the tables are ``nTables`` identical tables.

As in the benchmark, idle time over lunch counts as a break (one session, no ``session_starts``).

>>> problem = read_dzn("nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 2;\\n"
...                    "nMorningSlots = 1; requested = [| 1, 2, 2 |]; forbidden = [{0}, {}];")
>>> problem.meetings[0].parties, sorted(problem.meetings[0].allowed_slots or ())
((1, 2), [1])
>>> read_dzn("nTables = x;")
Traceback (most recent call last):
...
matchmaking.engine.meetings.dzn.DznError: line 1: nTables: expected a value, found 'x'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchmaking.engine.meetings.model import Meeting, ScheduleProblem, Table

_TOKEN = re.compile(r"\s*(?:(%[^\n]*)|(-?\d+)|([A-Za-z_][A-Za-z0-9_]*)|(\.\.|[=;\[\]{},|()]))")


class DznError(ValueError):
    """A malformed instance.

    Attributes
    ----------
    line : int
        The 1-based line at fault (0 when the whole file is, e.g. a name is missing).
    message : str
        What is wrong, without the line.
    """

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class _Token:
    kind: str  # "int", "name", "sym"
    text: str
    line: int


@dataclass(frozen=True)
class _Int:
    value: int
    line: int


@dataclass(frozen=True)
class _Set:
    items: tuple[_Int, ...]
    line: int


@dataclass(frozen=True)
class _List:
    items: tuple[_Int | _Set, ...]
    line: int


@dataclass(frozen=True)
class _Rows:
    rows: tuple[tuple[_Int | _Set, ...], ...]
    lines: tuple[int, ...]
    line: int


_Value = _Int | _Set | _List | _Rows


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos, line = 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            rest = text[pos:]
            if not rest.strip():
                break
            line += text.count("\n", pos, pos + len(rest) - len(rest.lstrip()))
            raise DznError(line, f"unexpected character {rest.strip()[0]!r}")
        start = match.start(match.lastindex or 0)
        line += text.count("\n", pos, start)
        comment, number, name, symbol = match.groups()
        if number is not None:
            out.append(_Token("int", number, line))
        elif name is not None:
            out.append(_Token("name", name, line))
        elif symbol is not None:
            out.append(_Token("sym", symbol, line))
        del comment
        line += text.count("\n", start, match.end())
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.last_line = text.count("\n") + 1

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise DznError(self.last_line, f"expected {what}, found the end of the file")
        self.pos += 1
        return token

    def expect(self, symbol: str, name: str) -> _Token:
        token = self.take(f"'{symbol}'")
        if token.text != symbol:
            raise DznError(token.line, f"{name}: expected '{symbol}', found {token.text!r}")
        return token

    def statements(self) -> dict[str, _Value]:
        values: dict[str, _Value] = {}
        while self.peek() is not None:
            token = self.take("a name")
            if token.kind != "name":
                raise DznError(token.line, f"expected a name, found {token.text!r}")
            if token.text in values:
                raise DznError(token.line, f"{token.text} is given twice")
            self.expect("=", token.text)
            values[token.text] = self.value(token.text)
            self.expect(";", token.text)
        return values

    def value(self, name: str) -> _Value:
        token = self.take("a value")
        if token.kind == "int":
            return _Int(int(token.text), token.line)
        if token.text == "{":
            return self.set_rest(name, token.line)
        if token.text == "[":
            nxt = self.peek()
            if nxt is not None and nxt.text == "|":
                self.pos += 1
                return self.rows_rest(name, token.line)
            return self.list_rest(name, token.line)
        raise DznError(token.line, f"{name}: expected a value, found {token.text!r}")

    def element(self, name: str) -> _Int | _Set:
        token = self.take("a value")
        if token.kind == "int":
            return _Int(int(token.text), token.line)
        if token.text == "{":
            return self.set_rest(name, token.line)
        raise DznError(token.line, f"{name}: expected a number or a set, found {token.text!r}")

    def set_rest(self, name: str, line: int) -> _Set:
        items: list[_Int] = []
        while True:
            token = self.take("'}'")
            if token.text == "}":
                return _Set(tuple(items), line)
            if token.kind != "int":
                raise DznError(token.line, f"{name}: expected a number in a set, found {token.text!r}")
            first = int(token.text)
            nxt = self.peek()
            if nxt is not None and nxt.text == "..":
                self.pos += 1
                end = self.take("a number")
                if end.kind != "int":
                    raise DznError(end.line, f"{name}: expected a number after '..', found {end.text!r}")
                items.extend(_Int(v, token.line) for v in range(first, int(end.text) + 1))
            else:
                items.append(_Int(first, token.line))
            sep = self.take("',' or '}'")
            if sep.text == "}":
                return _Set(tuple(items), line)
            if sep.text != ",":
                raise DznError(sep.line, f"{name}: expected ',' or '}}' in a set, found {sep.text!r}")

    def list_rest(self, name: str, line: int) -> _List:
        items: list[_Int | _Set] = []
        while True:
            nxt = self.peek()
            if nxt is not None and nxt.text == "]":
                self.pos += 1
                return _List(tuple(items), line)
            items.append(self.element(name))
            sep = self.take("',' or ']'")
            if sep.text == "]":
                return _List(tuple(items), line)
            if sep.text != ",":
                raise DznError(sep.line, f"{name}: expected ',' or ']', found {sep.text!r}")

    def rows_rest(self, name: str, line: int) -> _Rows:
        rows: list[tuple[_Int | _Set, ...]] = []
        lines: list[int] = []
        row: list[_Int | _Set] = []
        row_line = line
        while True:
            token = self.peek()
            if token is None:
                raise DznError(self.last_line, f"{name}: the table is not closed with '|]'")
            if token.text == "|":
                self.pos += 1
                if row:
                    rows.append(tuple(row))
                    lines.append(row_line)
                row = []
                after = self.peek()
                if after is not None and after.text == "]":
                    self.pos += 1
                    return _Rows(tuple(rows), tuple(lines), line)
                continue
            if not row:
                row_line = token.line
            row.append(self.element(name))
            sep = self.peek()
            if sep is not None and sep.text == ",":
                self.pos += 1
            elif sep is None or sep.text != "|":
                found = "the end of the file" if sep is None else repr(sep.text)
                raise DznError(
                    sep.line if sep else self.last_line, f"{name}: expected ',' or '|', found {found}"
                )


def _int(values: dict[str, _Value], name: str, *, minimum: int, default: int | None = None) -> int:
    value = values.get(name)
    if value is None:
        if default is not None:
            return default
        raise DznError(0, f"{name} is missing")
    if not isinstance(value, _Int):
        raise DznError(_line(value), f"{name}: expected a whole number")
    if value.value < minimum:
        raise DznError(value.line, f"{name}: must be at least {minimum}, found {value.value}")
    return value.value


def _line(value: _Value) -> int:
    return value.line


def read_dzn(text: str) -> ScheduleProblem:
    """Parse a ``.dzn`` instance into a :class:`ScheduleProblem` (fairness 2, the benchmark's d).

    Parameters
    ----------
    text : str
        The file's content.

    Returns
    -------
    ScheduleProblem
        Meetings keyed by their row in ``requested``; identical tables; 0-based slots.

    Raises
    ------
    DznError
        Naming the line at fault.

    Examples
    --------
    >>> problem = read_dzn("nBusiness = 3; nTables = 1; nTotalSlots = 2; nMorningSlots = 1;\\n"
    ...                    "requested = [| 1, 2, 3 | 2, 3, 1 |];")
    >>> [m.parties for m in problem.meetings], len(problem.tables)
    ([(1, 2), (2, 3)], 1)
    """
    try:
        values = _Parser(text).statements()
    except DznError:
        raise
    for name, value in values.items():
        if name in {"nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots"} and not isinstance(
            value, _Int
        ):
            raise DznError(value.line, f"{name}: expected a whole number")
    n_business = _int(values, "nBusiness", minimum=1)
    n_tables = _int(values, "nTables", minimum=1)
    n_slots = _int(values, "nTotalSlots", minimum=1)
    n_morning = _int(values, "nMorningSlots", minimum=0, default=n_slots)
    if n_morning > n_slots:
        raise DznError(_line(values["nMorningSlots"]), "nMorningSlots: more than nTotalSlots")
    requested = values.get("requested")
    if requested is None:
        raise DznError(0, "requested is missing")
    if not isinstance(requested, _Rows):
        if isinstance(requested, _List) and not requested.items:
            requested = _Rows((), (), requested.line)
        else:
            raise DznError(requested.line, "requested: expected a table [| a, b, session | ... |]")
    n_meetings = _int(values, "nMeetings", minimum=0, default=len(requested.rows))
    if n_meetings != len(requested.rows):
        raise DznError(requested.line, f"requested: {len(requested.rows)} rows, but nMeetings = {n_meetings}")
    fixed = _int_list(values, "fixed", n_meetings, 0, n_slots)
    morning = frozenset(range(n_morning))
    afternoon = frozenset(range(n_morning, n_slots))
    meetings: list[Meeting] = []
    for k, (row, line) in enumerate(zip(requested.rows, requested.lines, strict=True), start=1):
        if len(row) != 3 or not all(isinstance(cell, _Int) for cell in row):
            raise DznError(line, f"requested: row {k} must be three numbers a, b, session")
        a, b, session = (cell.value for cell in row if isinstance(cell, _Int))
        for who in (a, b):
            if not 1 <= who <= n_business:
                raise DznError(line, f"requested: row {k} names participant {who}, not in 1..{n_business}")
        if a == b:
            raise DznError(line, f"requested: row {k} is a meeting of participant {a} with itself")
        if session not in (1, 2, 3):
            raise DznError(line, f"requested: row {k} has session {session}, not 1, 2 or 3")
        allowed = morning if session == 1 else afternoon if session == 2 else None
        slot = fixed[k - 1] if fixed else 0
        meetings.append(
            Meeting(key=k, parties=(a, b), allowed_slots=allowed, fixed_slot=slot - 1 if slot else None)
        )
    unavailable: dict[int, frozenset[int]] = {}
    forbidden = values.get("forbidden")
    if forbidden is not None:
        if not isinstance(forbidden, _List) or len(forbidden.items) != n_business:
            raise DznError(forbidden.line, f"forbidden: expected a list of {n_business} sets")
        for p, item in enumerate(forbidden.items, start=1):
            if not isinstance(item, _Set):
                raise DznError(item.line, f"forbidden: entry {p} must be a set of slots")
            slots = set()
            for cell in item.items:
                if not 0 <= cell.value <= n_slots:
                    raise DznError(
                        cell.line, f"forbidden: participant {p} has slot {cell.value}, not in 1..{n_slots}"
                    )
                if cell.value:
                    slots.add(cell.value - 1)
            if slots:
                unavailable[p] = frozenset(slots)
    return ScheduleProblem(
        n_slots=n_slots,
        tables=tuple(Table() for _ in range(n_tables)),
        meetings=tuple(meetings),
        unavailable=unavailable,
        fairness=2,
    )


def _int_list(values: dict[str, _Value], name: str, length: int, low: int, high: int) -> list[int]:
    value = values.get(name)
    if value is None:
        return []
    if not isinstance(value, _List) or len(value.items) != length:
        raise DznError(value.line, f"{name}: expected a list of {length} numbers")
    out: list[int] = []
    for i, item in enumerate(value.items, start=1):
        if not isinstance(item, _Int) or not low <= item.value <= high:
            raise DznError(item.line, f"{name}: entry {i} must be a number in {low}..{high}")
        out.append(item.value)
    return out

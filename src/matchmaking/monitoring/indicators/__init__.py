"""The versioned definitions of the monitoring indicators (``definitions.json``): what each figure
counts, over what, with which filters, in which unit and from which source. The cockpit, the exports,
the command line and ``docs/monitoring.md`` all read the same file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFINITIONS_FILE = Path(__file__).with_name("definitions.json")


@dataclass(frozen=True)
class Definition:
    code: str
    title: str
    numerator: str
    denominator: str | None
    filters: str
    unit: str
    people: bool
    source: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definitions:
    version: str
    note: str
    common_filters: str
    indicators: dict[str, Definition]

    def __getitem__(self, code: str) -> Definition:
        return self.indicators[code]

    def with_targets(self) -> list[Definition]:
        return [d for d in self.indicators.values() if d.targets]


@cache
def definitions() -> Definitions:
    raw = json.loads(DEFINITIONS_FILE.read_text(encoding="utf-8"))
    indicators = {
        item["code"]: Definition(**{**item, "targets": tuple(item.get("targets", ()))})
        for item in raw["indicators"]
    }
    return Definitions(
        version=raw["version"], note=raw["note"], common_filters=raw["common_filters"], indicators=indicators
    )

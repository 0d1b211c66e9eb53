"""NUTS 2024 level-2 regions, read from ``data/nuts2024-level2.csv``.

Pure Python (no Django) so that the engine, the importer and the command line validate regions
against the same file. The file holds the level-2 regions of the EU member states, of the EFTA
states (statistical regions agreed with Eurostat) and of the candidate countries covered by
Eurostat's statistical regions; see ``docs/taxonomies.md`` for the source and version.

Countries are ISO 3166-1 alpha-2 codes. NUTS spells Greece ``EL`` (and its regions ``EL30`` ...)
while ISO 3166-1 says ``GR``: the file records the country as ``GR`` and keeps the region codes as
NUTS publishes them. Every function here accepts either spelling of the country.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "nuts2024-level2.csv"

NUTS_VERSION = "2024"

# NUTS country prefixes that differ from ISO 3166-1 alpha-2, and back.
NUTS_TO_ISO = {"EL": "GR"}
ISO_TO_NUTS = {iso: nuts for nuts, iso in NUTS_TO_ISO.items()}


@dataclass(frozen=True)
class Region:
    """One NUTS level-2 region: ``code`` as NUTS publishes it, ``country`` as ISO 3166-1."""

    code: str
    name: str
    country: str

    @property
    def nuts_country(self) -> str:
        """The country prefix NUTS uses (``EL`` for Greece, otherwise the ISO code)."""
        return self.code[:2]


def iso_country(country_code: str) -> str:
    """The ISO 3166-1 alpha-2 code for a country given in ISO or NUTS spelling (``EL`` -> ``GR``)."""
    code = country_code.strip().upper()
    return NUTS_TO_ISO.get(code, code)


def nuts_country(country_code: str) -> str:
    """The NUTS country prefix for a country given in ISO or NUTS spelling (``GR`` -> ``EL``)."""
    code = country_code.strip().upper()
    return ISO_TO_NUTS.get(code, code)


def _normalise_code(code: str) -> str:
    return code.strip().upper()


@cache
def load_regions() -> dict[str, Region]:
    """All regions, keyed by NUTS code, in the order of the file.

    Raises ``ValueError`` naming the line if the file is malformed, so a bad edit is caught by the
    tests rather than by a user.
    """
    regions: dict[str, Region] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["code", "name", "country"]:
            found = ",".join(reader.fieldnames or [])
            raise ValueError(f"{DATA_FILE.name}: expected header code,name,country, got {found}")
        for line, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            country = (row.get("country") or "").strip()
            if not code or not name or not country:
                raise ValueError(f"{DATA_FILE.name}:{line}: empty field in {row}")
            if code in regions:
                raise ValueError(f"{DATA_FILE.name}:{line}: duplicate region code {code}")
            if iso_country(code[:2]) != country:
                raise ValueError(
                    f"{DATA_FILE.name}:{line}: region {code} does not belong to country {country}"
                )
            regions[code] = Region(code=code, name=name, country=country)
    return regions


def get_region(code: str) -> Region | None:
    """The region with this NUTS code, or ``None``. Case and surrounding blanks are ignored."""
    return load_regions().get(_normalise_code(code))


def regions_for_country(country_code: str) -> list[Region]:
    """The regions of one country, in file order; ``GR`` and ``EL`` both mean Greece."""
    country = iso_country(country_code)
    return [region for region in load_regions().values() if region.country == country]


def countries() -> list[str]:
    """The ISO 3166-1 alpha-2 codes of every country that has regions in the file, in file order."""
    return list(dict.fromkeys(region.country for region in load_regions().values()))


def is_valid_region(code: str, country: str | None = None) -> bool:
    """Whether ``code`` is a NUTS 2024 level-2 region (of ``country``, when one is given).

    ``country`` may be given in ISO (``GR``) or NUTS (``EL``) spelling.
    """
    if not isinstance(code, str):
        return False
    region = get_region(code)
    if region is None:
        return False
    return country is None or region.country == iso_country(country)

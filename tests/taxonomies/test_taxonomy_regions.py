"""The NUTS 2024 level-2 region file and its loader (pure Python, no database)."""

from __future__ import annotations

import csv
import re

import pycountry
import pytest

from matchmaking.taxonomies import regions
from matchmaking.taxonomies.regions import (
    Region,
    get_region,
    is_valid_region,
    iso_country,
    load_regions,
    nuts_country,
    regions_for_country,
)

EU_MEMBER_STATES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip
EFTA_STATES = {"IS", "LI", "NO", "CH"}
CANDIDATE_COUNTRIES = {"AL", "ME", "MK", "RS", "TR"}

# NUTS 2024 has 244 level-2 regions in the EU (Regulation (EU) 2023/2744).
EU_LEVEL2_COUNT = 244

NUTS2_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2}$")


def _rows() -> list[dict[str, str]]:
    with regions.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_file_has_plain_header_and_no_comments():
    first_line = regions.DATA_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "code,name,country"
    assert not any(row["code"].startswith("#") for row in _rows())


def test_file_parses_and_loader_returns_regions():
    loaded = load_regions()
    assert len(loaded) == len(_rows())
    assert all(isinstance(region, Region) for region in loaded.values())
    assert all(code == region.code for code, region in loaded.items())


def test_no_duplicate_codes_or_blank_fields():
    rows = _rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert row["code"]
        assert row["code"] == row["code"].strip()
        assert row["name"]
        assert row["name"] == row["name"].strip()
        assert row["country"]
        assert row["country"] == row["country"].strip()


def test_codes_are_level_two_nuts_codes():
    for code in load_regions():
        assert NUTS2_CODE.match(code), code


def test_no_extra_regio_codes():
    assert not [code for code in load_regions() if code.endswith("ZZ")]


def test_code_prefix_matches_country():
    for region in load_regions().values():
        expected = "EL" if region.country == "GR" else region.country
        assert region.code[:2] == expected, region


def test_countries_are_valid_iso_3166_codes():
    for country in regions.countries():
        assert pycountry.countries.get(alpha_2=country) is not None, country
    assert "EL" not in regions.countries()


def test_every_expected_country_is_covered_and_nothing_else():
    expected = EU_MEMBER_STATES | EFTA_STATES | CANDIDATE_COUNTRIES
    assert set(regions.countries()) == expected


def test_eu_has_the_nuts_2024_number_of_level_two_regions():
    eu = [region for region in load_regions().values() if region.country in EU_MEMBER_STATES]
    assert len(eu) == EU_LEVEL2_COUNT


def test_names_are_latin_script():
    # Eurostat publishes Latin-script names for Bulgaria, Greece, Cyprus and the Cyrillic-script
    # candidate countries; no Greek or Cyrillic letters should be in the file.
    non_latin = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
    for region in load_regions().values():
        assert not non_latin.search(region.name), region


@pytest.mark.parametrize(
    ("code", "name", "country"),
    [
        ("SE23", "Västsverige", "SE"),
        ("DE11", "Stuttgart", "DE"),
        ("ES51", "Cataluña", "ES"),
        ("NO0A", "Vestlandet", "NO"),
        ("CH01", "Région lémanique", "CH"),
        ("EL30", "Attiki", "GR"),
        ("PT1A", "Grande Lisboa", "PT"),
        ("HR05", "Grad Zagreb", "HR"),
        ("IE06", "Eastern and Midland", "IE"),
        ("TR10", "İstanbul", "TR"),
    ],
)
def test_known_regions(code, name, country):
    region = get_region(code)
    assert region == Region(code=code, name=name, country=country)


def test_regions_replaced_before_2024_are_gone():
    # Codes that existed in NUTS 2021 but not in NUTS 2024 (Portugal's 2024 re-division) or only in
    # earlier versions (Norway and Croatia before 2021, Lithuania before 2016).
    for old in ("PT16", "PT17", "PT18", "NO01", "NO03", "NO04", "NO05", "HR04", "LT00"):
        assert not is_valid_region(old), old


def test_norway_2024_regions():
    codes = [region.code for region in regions_for_country("NO")]
    assert codes == ["NO02", "NO06", "NO07", "NO08", "NO09", "NO0A", "NO0B"]


def test_regions_for_country():
    swedish = regions_for_country("SE")
    assert [region.code for region in swedish][:2] == ["SE11", "SE12"]
    assert len(swedish) == 8
    assert all(region.country == "SE" for region in swedish)
    assert regions_for_country("se") == swedish
    assert regions_for_country("XX") == []


def test_greece_can_be_asked_for_as_gr_or_el():
    by_iso = regions_for_country("GR")
    by_nuts = regions_for_country("EL")
    assert by_iso == by_nuts
    assert len(by_iso) == 13
    assert all(region.code.startswith("EL") and region.country == "GR" for region in by_iso)
    assert by_iso[0].nuts_country == "EL"


def test_is_valid_region():
    assert is_valid_region("SE23")
    assert is_valid_region("SE23", "SE")
    assert is_valid_region(" se23 ", "se")
    assert not is_valid_region("SE23", "NO")
    assert not is_valid_region("SE2")
    assert not is_valid_region("SE232")
    assert not is_valid_region("")
    assert not is_valid_region("XX11")
    assert not is_valid_region(None)  # type: ignore[arg-type]


def test_is_valid_region_maps_greece():
    assert is_valid_region("EL30", "GR")
    assert is_valid_region("EL30", "EL")
    assert not is_valid_region("GR30")
    assert not is_valid_region("EL30", "CY")


def test_country_spelling_helpers():
    assert iso_country("EL") == "GR"
    assert iso_country("gr") == "GR"
    assert iso_country("SE") == "SE"
    assert nuts_country("GR") == "EL"
    assert nuts_country("EL") == "EL"
    assert nuts_country("de") == "DE"

"""Import and export of the interchange format through the ``matchmaking`` command: all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ORG = {
    "id": "boras-working-life",
    "name": "Borås Working Life Department",
    "kind": "municipality",
    "country": "SE",
    "region": "SE23",
    "city": "Borås",
    "languages": ["sv", "en"],
    "target_groups": ["neet-youth", "newly-arrived-migrants"],
    "expertise": ["multi-competent-teams", "motivational-interviewing"],
    "interests": ["early-outreach", "skills-mapping"],
    "hosting_capacity": 5,
    "description": "free text",
    "website": "https://www.boras.se",
    "erasmus_id": "E10000001",
    "erasmus_accreditation": "Erasmus accreditation in adult education",
}
OPP = {
    "id": "req-1",
    "organisation": "boras-working-life",
    "type": "job-shadowing",
    "direction": "request",
    "topics": ["early-outreach"],
    "target_groups": ["neet-youth"],
    "languages": ["en"],
    "earliest": "2026-05-01",
    "latest": "2026-06-30",
    "duration_days": 3,
    "group_size": 3,
    "description": "free text",
}


def _write(tmp_path: Path, doc: dict, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_then_export_round_trips_every_field(tmp_path, capsys):
    source = {"format_version": 1, "organisations": [ORG], "opportunities": [OPP]}
    assert main(["import", str(_write(tmp_path, source))]) == 0
    out = tmp_path / "out.json"
    assert main(["export", str(out)]) == 0
    exported = json.loads(out.read_text())
    assert exported["format_version"] == 1
    assert exported["organisations"] == [{**ORG, "languages": sorted(ORG["languages"]),
                                          "target_groups": sorted(ORG["target_groups"]),
                                          "expertise": sorted(ORG["expertise"]),
                                          "interests": sorted(ORG["interests"])}]  # fmt: skip
    assert exported["opportunities"] == [OPP]
    # Importing the export again changes nothing and duplicates nothing.
    assert main(["import", str(out)]) == 0
    assert Organisation.objects.count() == 1
    assert Opportunity.objects.count() == 1


def test_file_without_version_is_version_1(tmp_path):
    assert main(["import", str(_write(tmp_path, {"organisations": [ORG]}))]) == 0
    assert Organisation.objects.filter(key="boras-working-life").exists()


@pytest.mark.parametrize(
    ("section", "change", "expected"),
    [
        (
            "organisations",
            {"kind": "town-hall"},
            "organisations[boras-working-life].kind: unknown organisation-kinds code 'town-hall'",
        ),
        (
            "organisations",
            {"country": "XX"},
            "organisations[boras-working-life].country: unknown ISO 3166-1 alpha-2 country code 'XX'",
        ),
        (
            "organisations",
            {"languages": ["sv", "xx"]},
            "organisations[boras-working-life].languages: unknown ISO 639-1 language code 'xx'",
        ),
        (
            "organisations",
            {"expertise": ["juggling"]},
            "organisations[boras-working-life].expertise: unknown practice-topics code 'juggling'",
        ),
        (
            "organisations",
            {"region": "DE11"},
            "organisations[boras-working-life].region: 'DE11' is not a NUTS 2024 level-2 region of SE",
        ),
        (
            "organisations",
            {"erasmus_id": "E123"},
            "organisations[boras-working-life].erasmus_id: 'E123' is not 'E' followed by 8 digits",
        ),
        (
            "organisations",
            {"hosting_capacity": "five"},
            "organisations[boras-working-life].hosting_capacity: bad value 'five'",
        ),
        (
            "opportunities",
            {"earliest": "2026-13-01"},
            "opportunities[req-1].earliest: bad date '2026-13-01' (expected YYYY-MM-DD)",
        ),
        (
            "opportunities",
            {"latest": "2026-04-01"},
            "opportunities[req-1].latest: 2026-04-01 is before earliest 2026-05-01",
        ),
        (
            "opportunities",
            {"organisation": "nobody"},
            "opportunities[req-1].organisation: unknown organisation 'nobody'",
        ),
        (
            "opportunities",
            {"type": "holiday"},
            "opportunities[req-1].type: unknown opportunity-types code 'holiday'",
        ),
        (
            "opportunities",
            {"direction": "sideways"},
            "opportunities[req-1].direction: unknown directions code 'sideways'",
        ),
        (
            "opportunities",
            {"colour": "red"},
            "opportunities[req-1]: unknown field(s): 'colour' was unexpected",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(tmp_path, capsys, section, change, expected):
    doc = {"organisations": [dict(ORG)], "opportunities": [dict(OPP)]}
    doc[section][0].update(change)
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert expected in err
    assert Organisation.objects.count() == 0
    assert Opportunity.objects.count() == 0


def test_duplicate_ids_are_named(tmp_path, capsys):
    doc = {"organisations": [ORG, ORG], "opportunities": [OPP, OPP]}
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "organisations[boras-working-life].id: duplicate id 'boras-working-life'" in err
    assert "opportunities[req-1].id: duplicate id 'req-1'" in err


def test_one_bad_record_among_good_ones_writes_nothing(tmp_path, capsys):
    good = [dict(ORG, id=f"org-{i}") for i in range(5)]
    bad = dict(ORG, id="bad-one", target_groups=["aliens"])
    assert main(["import", str(_write(tmp_path, {"organisations": [*good, bad]}))]) == 1
    assert (
        "organisations[bad-one].target_groups: unknown target-groups code 'aliens'" in capsys.readouterr().err
    )
    assert Organisation.objects.count() == 0


def test_unsupported_version_and_broken_json(tmp_path, capsys):
    assert main(["import", str(_write(tmp_path, {"format_version": 99}))]) == 1
    assert "format_version: unsupported value 99" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["import", str(broken)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.json")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_opportunities_may_refer_to_organisations_already_imported(tmp_path):
    assert main(["import", str(_write(tmp_path, {"organisations": [ORG]}, "a.json"))]) == 0
    assert main(["import", str(_write(tmp_path, {"opportunities": [OPP]}, "b.json"))]) == 0
    assert Opportunity.objects.get().organisation.key == "boras-working-life"


def test_dry_run_writes_nothing(tmp_path, capsys):
    assert main(["import", "--dry-run", str(_write(tmp_path, {"organisations": [ORG]}))]) == 0
    assert "valid" in capsys.readouterr().out
    assert Organisation.objects.count() == 0

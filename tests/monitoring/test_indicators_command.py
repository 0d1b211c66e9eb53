"""``matchmaking indicators``: the cockpit's figures on the command line, suppressed the same way."""

from __future__ import annotations

import csv
import io
import json

import pytest

from matchmaking.cli import main

pytestmark = pytest.mark.django_db


def test_json_has_every_indicator_suppressed_like_the_page(network, capsys):
    assert main(["indicators", "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["definitions_version"]
    activity = document["indicators"]["participants-by-activity"]
    assert ["none", "<5"] in activity["rows"]
    assert ["SM-JOB-SHDW", "x"] in activity["rows"]
    assert {"from": "NO0A", "to": "SE23", "exchanges": 1} in document["region_flows"]


def test_csv_for_a_region(network, capsys):
    assert main(["indicators", "--region", "es51", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["indicator", "row", "column", "value"]
    assert ["region-flows", "SE23>ES51", "exchanges", "1"] in rows
    assert not any(r[1:2] == ["NO0A>SE23"] for r in rows)


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["--from", "2026-13-01"], "--from"),
        (["--region", "XX99"], "--region"),
        (["--to", "01/02/2026"], "--to"),
    ],
)
def test_bad_arguments_are_named(db, capsys, argv, word):
    assert main(["indicators", *argv]) == 2
    assert word in capsys.readouterr().err

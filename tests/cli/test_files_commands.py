"""The ``matchmaking suggest`` and ``matchmaking allocate`` commands, on files only."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.demo.network import build_demo_document


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(build_demo_document(date(2026, 3, 1))), encoding="utf-8")
    return path


def first_request(path: Path) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    return next(o["id"] for o in document["opportunities"] if o["direction"] == "request")


def test_suggest_json_on_demo_file(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "suggest",
                "--data",
                str(demo_file),
                "--for",
                first_request(demo_file),
                "--top",
                "3",
                "--format",
                "json",
            ]
        )
        == 0
    )
    found = json.loads(capsys.readouterr().out)
    assert 1 <= len(found) <= 3
    assert {"organisation", "opportunity", "score", "reasons"} <= set(found[0])
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    assert all(isinstance(r, str) for r in found[0]["reasons"])


def test_suggest_table(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--data", str(demo_file), "--for", first_request(demo_file)]) == 0
    assert "Suggestions for" in capsys.readouterr().out


def test_suggest_unknown_opportunity(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--data", str(demo_file), "--for", "no-such-id"]) == 2
    assert "'no-such-id'" in capsys.readouterr().err


def test_suggest_bad_file_names_record_field_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    document = {
        "organisations": [
            {"id": "a", "name": "A", "kind": "municipality", "country": "SE", "expertise": ["juggling"]}
        ],
        "opportunities": [],
    }
    bad.write_text(json.dumps(document), encoding="utf-8")
    assert main(["suggest", "--data", str(bad), "--for", "x"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err
    assert "expertise" in err
    assert "juggling" in err


PEOPLE = """\
id,skills,languages,occupation_interests,willing_to_go_abroad,home_country,fewer_opportunities,group
p1,esco:cook;esco:clean,en:B2,esco:kitchen,yes,SE,no,men
p2,esco:cook,en:C1,,yes,SE,yes,women
p3,esco:clean,en:B1,esco:kitchen,no,SE,yes,women
"""
PLACES = """id,seats,occupation,required_skills,languages,country
q1,1,esco:kitchen,esco:cook;esco:clean,en:B1,ES
q2,1,esco:cleaner,esco:clean,en:A2,SE
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["stable", "optimal"])
def test_allocate_writes_results_and_summary(
    tmp_path: Path, method: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.csv"
    args = ["allocate", "--participants", str(write(tmp_path, "p.csv", PEOPLE))]
    args += ["--placements", str(write(tmp_path, "q.csv", PLACES)), "--method", method, "--out", str(out)]
    assert main(args) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["participant"] for r in rows] == ["p1", "p2", "p3"]
    placed = {r["participant"]: r["placement"] for r in rows}
    assert placed["p1"] == "q1"
    assert placed["p3"] == "q2"
    assert rows[1]["explanation"].startswith("Not placed")
    summary = capsys.readouterr().out
    assert "placed 2 of 3" in summary
    assert "women" in summary


def test_allocate_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.csv"
    args = ["allocate", "--participants", str(write(tmp_path, "p.csv", PEOPLE)), "--placements"]
    args += [str(write(tmp_path, "q.csv", PLACES)), "--method", "optimal", "--out", str(out), "--floor", "3"]
    assert main(args) == 0
    assert "cannot be met" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("people", "places", "expected"),
    [
        (PEOPLE.replace("en:B2", "en:Z9"), PLACES, ["p.csv, row 2, field 'languages', value 'en:Z9'"]),
        (
            PEOPLE,
            PLACES.replace("q2,1,", "q2,one,"),
            ["q.csv, row 3, field 'seats', value 'one'", "whole number"],
        ),
        (PEOPLE.replace("p2,", "p1,"), PLACES, ["p.csv, row 3, field 'id', value 'p1': duplicate id"]),
        (
            PEOPLE.replace("no,SE,yes", "maybe,SE,yes"),
            PLACES,
            ["field 'willing_to_go_abroad', value 'maybe'"],
        ),
        (PEOPLE.replace("occupation_interests", "gender"), PLACES, ["field 'gender': unknown column"]),
        (
            PEOPLE.replace("group\n", "group,preferences\n").replace(",men\n", ",men,q9\n"),
            PLACES,
            ["p.csv, row 2, field 'preferences', value 'q9': unknown placement id"],
        ),
        (PEOPLE, PLACES + "q3,1,x,,,SE\n".replace(",,,SE", ",,,SE") + "q4,2,,,,Sweden\n", ["value 'Sweden'"]),
    ],
)
def test_bad_input_writes_nothing(
    tmp_path: Path, people: str, places: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.csv"
    args = ["allocate", "--participants", str(write(tmp_path, "p.csv", people)), "--placements"]
    args += [str(write(tmp_path, "q.csv", places)), "--method", "stable", "--out", str(out)]
    assert main(args) == 2
    err = " ".join(capsys.readouterr().err.split())
    for text in expected:
        assert text in err
    assert not out.exists()


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.csv"
    args = [
        "allocate",
        "--participants",
        str(tmp_path / "none.csv"),
        "--placements",
        str(tmp_path / "none.csv"),
    ]
    assert main([*args, "--method", "stable", "--out", str(out)]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert not out.exists()


def test_errors_are_one_line_when_piped(tmp_path: Path) -> None:
    """A message longer than any terminal arrives in one piece through a pipe, to be searched for."""
    people = write(tmp_path, "participants-of-the-spring-round-in-the-north.csv", PEOPLE)
    places = write(tmp_path, "q.csv", PLACES.replace("q2,1,", "q2,a-number-of-seats-nobody-can-read,"))
    args = ["allocate", "--participants", str(people), "--placements", str(places)]
    args += ["--method", "stable", "--out", str(tmp_path / "r.csv")]
    env = {**os.environ, "COLUMNS": "40"}
    done = subprocess.run(
        [sys.executable, "-m", "matchmaking.cli", *args], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 2
    expected = "  q.csv, row 3, field 'seats', value 'a-number-of-seats-nobody-can-read': not a whole number"
    assert len(expected) > 90
    assert expected in done.stderr.splitlines()
    long_floor = "  --floor, value 3: the floor applies to --method optimal only"
    done = subprocess.run(
        [sys.executable, "-m", "matchmaking.cli", *args, "--floor", "3"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert long_floor in done.stderr.splitlines()


def test_long_error_keeps_its_line_in_a_narrow_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    missing = tmp_path / ("a-participants-file-with-a-rather-long-name-" * 2 + ".csv")
    args = ["allocate", "--participants", str(missing), "--placements", str(missing)]
    assert main([*args, "--method", "stable", "--out", str(tmp_path / "r.csv")]) == 2
    lines = capsys.readouterr().err.splitlines()
    wanted = f"  {missing}: cannot be read (No such file or directory)"
    assert len(wanted) > 100
    assert wanted in lines


def test_the_command_sets_up_django_only_for_the_subcommands_that_need_it() -> None:
    code = (
        "import sys\n"
        "from matchmaking.cli import build_parser\n"
        "build_parser().parse_args(['allocate', '--participants', 'p', '--placements', 'q', "
        "'--method', 'stable', '--out', 'r'])\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

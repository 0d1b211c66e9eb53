"""``matchmaking events solve-dzn``: a benchmark instance in, the schedule as JSON out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaking.cli import main

INSTANCE = """nBusiness = 4;
nMeetings = 4;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2, 3,
|1, 3, 3,
|1, 4, 3,
|2, 3, 2,
|];
forbidden = [{0}, {0}, {0}, {0}];
fixed = [0, 0, 0, 0];
"""


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    path = tmp_path / "small.dzn"
    path.write_text(INSTANCE, encoding="utf-8")
    return path


def test_solve_dzn_prints_the_schedule_as_json(instance: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "solve-dzn", str(instance), "--time-limit", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"status", "total_breaks", "bound", "seconds", "meetings"}
    assert out["status"] == "optimal"
    assert out["total_breaks"] == out["bound"] == 0
    assert sorted(m["meeting"] for m in out["meetings"]) == [1, 2, 3, 4]
    slots = {m["meeting"]: m["slot"] for m in out["meetings"]}
    assert all(1 <= s <= 4 for s in slots.values())
    assert slots[4] in (3, 4)  # the afternoon
    assert len({slots[1], slots[2], slots[3]}) == 3
    assert {m["table"] for m in out["meetings"]} == {1, 2}  # two meetings share one slot


def test_solve_dzn_text_and_fairness(instance: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "solve-dzn", str(instance), "--fairness", "0", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("optimal: 0 breaks")
    assert "table 2  meeting" in out


def test_malformed_file_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.dzn"
    path.write_text(INSTANCE.replace("|1, 4, 3,", "|1, 4, 7,"), encoding="utf-8")
    assert main(["events", "solve-dzn", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.dzn: line 8: requested: row 3 has session 7" in err


def test_missing_file_and_bad_options(
    tmp_path: Path, instance: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "solve-dzn", str(tmp_path / "none.dzn")]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert main(["events", "solve-dzn", str(instance), "--fairness", "-1"]) == 2
    assert "--fairness" in capsys.readouterr().err


def test_infeasible_instance_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "full.dzn"
    path.write_text(
        INSTANCE.replace("nTotalSlots = 4;\nnMorningSlots = 2;", "nTotalSlots = 2;\nnMorningSlots = 1;")
    )
    assert main(["events", "solve-dzn", str(path), "--time-limit", "5"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["status"] == "infeasible"
    assert "participant-overbooked: participant=1, meetings=3, free_slots=2" in captured.err

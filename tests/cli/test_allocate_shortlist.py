"""``matchmaking allocate`` at size: a shortlist per participant, optionally ranked on a Dask cluster."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from distributed import LocalCluster

from matchmaking.cli import main
from matchmaking.engine.distributed import SCHEDULER_ENV


def _files(tmp_path: Path, people: int = 120, places: int = 40) -> list[str]:
    rng = random.Random(5)
    skills = [f"esco:s{n}" for n in range(25)]
    p = tmp_path / "p.csv"
    q = tmp_path / "q.csv"
    with p.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["id", "skills", "languages", "willing_to_go_abroad", "home_country", "group"])
        for n in range(people):
            w.writerow(
                [f"p{n}", ";".join(rng.sample(skills, 5)), "en:B2", "yes", "SE", "a" if n % 2 else "b"]
            )
    with q.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["id", "seats", "required_skills", "languages", "country"])
        for n in range(places):
            w.writerow([f"q{n}", 2, ";".join(rng.sample(skills, 3)), "en:B1", "SE"])
    return ["--participants", str(p), "--placements", str(q)]


def _placed(path: Path) -> dict[str, str]:
    return {r["participant"]: r["placement"] for r in csv.DictReader(path.open(encoding="utf-8"))}


def test_short_lists_place_nearly_as_many_as_lists_of_every_placement(tmp_path: Path) -> None:
    files = _files(tmp_path)
    full, short = tmp_path / "full.csv", tmp_path / "short.csv"
    assert main(["allocate", *files, "--method", "optimal", "--out", str(full), "--shortlist", "40"]) == 0
    assert main(["allocate", *files, "--method", "optimal", "--out", str(short), "--shortlist", "8"]) == 0
    assert len(_placed(short)) == 120
    placed_full = sum(1 for v in _placed(full).values() if v)
    assert sum(1 for v in _placed(short).values() if v) >= placed_full - 2


def test_the_dask_option_ranks_on_the_scheduler_named_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path)
    here, there = tmp_path / "here.csv", tmp_path / "there.csv"
    assert main(["allocate", *files, "--method", "stable", "--out", str(here), "--shortlist", "8"]) == 0
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
        args = ["allocate", *files, "--method", "stable", "--out", str(there), "--shortlist", "8", "--dask"]
        assert main(args) == 0
    assert _placed(there) == _placed(here)


def test_a_shortlist_below_one_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["allocate", *_files(tmp_path, 3, 2), "--method", "stable", "--out", str(tmp_path / "r.csv")]
    assert main([*args, "--shortlist", "0"]) == 2
    assert "--shortlist" in capsys.readouterr().err

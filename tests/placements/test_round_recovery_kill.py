"""A real kill: the worker computing a round dies by SIGKILL, a new ``matchmaking worker`` starts, its
periodic loop reclaims the round, and the round is proposed with exactly one proposal per participant.

Everything runs in subprocesses against a migrated SQLite file in a temporary directory. The first worker
is ``matchmaking worker`` started through a small launcher that makes each progress step sleep
(``SLOW_STEP`` seconds), so that the computation is certainly still running when it is killed; that
slowing is the only thing the test changes, and only in the worker it kills. The second worker is the
plain command, with a short lease (``ROUND_TASK_LEASE_SECONDS``) so the test waits seconds, not minutes.
Every wait is bounded; the processes are killed in ``finally``. It takes about 30 s.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARTICIPANTS = 80
LEASE = 8

pytestmark = pytest.mark.database  # its own database, not the test database

SEED = f"""
import django
django.setup()
from matchmaking.placements import rounds
from tests.factories import OrganisationFactory
from tests.factories_participants import CUSTOMERS, participant, placement

home = OrganisationFactory(key="home", name="Home", country="SE")
host = OrganisationFactory(key="host", name="Host", country="SE")
places = [placement(host, key=f"p{{i}}", seats=3, required=[]) for i in range(10)]
people = [participant(home, skills=[CUSTOMERS]) for _ in range({PARTICIPANTS})]
found = rounds.round_create(
    actor=None, name="Killed", method="stable", participants=people, placements=places
)
rounds.round_propose(actor=None, allocation_round=found)
print(found.pk)
"""

SLOW_WORKER = """
import os, sys, time
import django
django.setup()
from matchmaking.cli import main
from matchmaking.placements import rounds

real_progress = rounds._progress

def slow_progress(round_id, attempt):
    step = real_progress(round_id, attempt)

    def slowed(done, total):
        step(done, total)
        time.sleep(float(os.environ["SLOW_STEP"]))

    return slowed

rounds._progress = slow_progress
sys.exit(main(["worker", "--no-periodic"]))
"""


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="matchmaking.config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        ESCO_WARM_ON_START="false",
        ROUND_BACKGROUND_PAIRS="1",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def _wait(what: str, check: Callable[[], bool], timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tails}")


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_a_killed_worker_s_round_is_reclaimed_and_completed(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    env = _env(tmp_path)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [python, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True, text=True
    )
    round_id = int(seeded.stdout.strip().splitlines()[-1])

    def round_row() -> tuple[Any, ...]:
        return _query(
            db, "SELECT status, progress_done, attempts, task_id FROM placements_round WHERE id = ?", round_id
        )[0]

    first_log, second_log = tmp_path / "first-worker.log", tmp_path / "second-worker.log"
    logs = [first_log, second_log]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        first = _start([python, "-c", SLOW_WORKER], _env(tmp_path, SLOW_STEP="0.25"), first_log)
        processes.append(first)
        _wait("the first worker's progress", lambda: round_row()[1] >= 20, 180, logs)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        status, done, attempts, task_id = round_row()
        assert (status, attempts) == ("running", 1)
        assert done < PARTICIPANTS
        (task_status,) = _query(
            db, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", task_id.replace("-", "")
        )[0]
        assert task_status == "RUNNING"  # nothing will ever finish it: the worker is gone

        # The lease runs from the last progress step; the new worker reclaims the round on its first pass.
        time.sleep(LEASE + 1)
        second = _start(
            [python, "-m", "matchmaking.cli", "worker", "--periodic-interval", "1"],
            _env(tmp_path, ROUND_TASK_LEASE_SECONDS=str(LEASE)),
            second_log,
        )
        processes.append(second)
        _wait("the round to be proposed", lambda: round_row()[0] == "proposed", 180, logs)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)

    status, done, attempts, task_id = round_row()
    assert status == "proposed"
    assert done == PARTICIPANTS
    assert attempts >= 2
    proposals = _query(
        db, "SELECT participant_id, COUNT(*) FROM placements_proposal WHERE round_id = ? GROUP BY 1", round_id
    )
    assert len(proposals) == PARTICIPANTS
    assert {n for _, n in proposals} == {1}
    results = dict(_query(db, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"))
    assert results.get("FAILED", 0) >= 1  # the killed worker's task, marked failed by the reclaim
    assert "RUNNING" not in results

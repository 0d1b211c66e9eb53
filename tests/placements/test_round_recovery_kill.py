"""A real kill: the worker computing a round dies by SIGKILL, a new ``matchmaking worker`` starts, its
periodic loop reclaims the round, and the round is proposed with exactly one proposal per participant.

Everything runs in subprocesses against a database of their own (``tests/worker_processes.py``): a
migrated SQLite file in a temporary directory, or, when the suite runs on PostgreSQL, a fresh database on
that server. The first worker is ``matchmaking worker`` started through a small launcher that makes each
progress step sleep (``SLOW_STEP`` seconds), so that the computation is certainly still running when it
is killed; that slowing is the only thing the test changes, and only in the worker it kills. The second
worker is the plain command, with a short lease (``ROUND_TASK_LEASE_SECONDS``) so the test waits seconds,
not minutes. Every wait is bounded; the processes are killed in ``finally``. It takes about 30 s.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.worker_processes import start, stop, wait_for, worker_database

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

def slow_progress(*args):
    step = real_progress(*args)

    def slowed(done, total):
        step(done, total)
        time.sleep(float(os.environ["SLOW_STEP"]))

    return slowed

rounds._progress = slow_progress
sys.exit(main(["worker", "--no-periodic"]))
"""


def test_a_killed_worker_s_round_is_reclaimed_and_completed(tmp_path: Path) -> None:
    python = sys.executable
    with worker_database(tmp_path) as db:
        db.migrate()
        seeded = db.run([python, "-c", SEED], env=db.env(ROUND_BACKGROUND_PAIRS="1"))
        round_id = int(seeded.strip().splitlines()[-1])

        def task_results() -> dict[str, int]:
            """The round's own tasks only: the second worker may be stopped in the middle of a periodic
            task of its own (a heartbeat, a refresh), which then stays RUNNING like any killed task."""
            return dict(
                db.query(
                    "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = ? GROUP BY 1",
                    "matchmaking.placements.rounds.compute_round",
                )
            )

        def round_row() -> tuple[Any, ...]:
            return db.query(
                "SELECT status, progress_done, attempts, task_id FROM placements_round WHERE id = ?", round_id
            )[0]

        first_log, second_log = tmp_path / "first-worker.log", tmp_path / "second-worker.log"
        logs = [first_log, second_log]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            first = start([python, "-c", SLOW_WORKER], db.env(SLOW_STEP="0.25"), first_log)
            processes.append(first)
            wait_for("the first worker's progress", lambda: round_row()[1] >= 20, 180, logs)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            status, done, attempts, task_id = round_row()
            assert (status, attempts) == ("running", 1)
            assert done < PARTICIPANTS
            ((task_status,),) = db.query(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", db.task_key(task_id)
            )
            assert task_status == "RUNNING"  # nothing will ever finish it: the worker is gone

            # The lease runs from the last progress step; the new worker reclaims the round on its first pass.
            time.sleep(LEASE + 1)
            second = start(
                [python, "-m", "matchmaking.cli", "worker", "--periodic-interval", "1"],
                db.env(ROUND_TASK_LEASE_SECONDS=str(LEASE)),
                second_log,
            )
            processes.append(second)
            wait_for("the round to be proposed", lambda: round_row()[0] == "proposed", 180, logs)
            # The round turns "proposed" inside the task and the task's own result is written just after
            # it returns: stopping the worker in between would leave that result RUNNING, so wait for it.
            wait_for("the task result", lambda: task_results().get("SUCCESSFUL", 0) >= 1, 60, logs)
        finally:
            stop(processes)

        status, done, attempts, task_id = round_row()
        assert status == "proposed"
        assert done == PARTICIPANTS
        assert attempts >= 2
        proposals = db.query(
            "SELECT participant_id, COUNT(*) FROM placements_proposal WHERE round_id = ? GROUP BY 1", round_id
        )
        assert len(proposals) == PARTICIPANTS
        assert {n for _, n in proposals} == {1}
        results = task_results()
        assert results.get("FAILED", 0) >= 1  # the killed worker's task, marked failed by the reclaim
        assert results.get("SUCCESSFUL", 0) >= 1  # the reclaimed computation, finished by the new worker
        assert "RUNNING" not in results

"""A real kill of a worker in the middle of an ordinary background task: the worker sending a
notification's email dies by SIGKILL, a new ``matchmaking worker`` starts, its periodic loop reclaims
the task (``task-reclaim``), and the email is sent exactly once.

Like the allocation round's kill test, everything runs in subprocesses on a database of their own
(``tests/worker_processes.py``: SQLite, or PostgreSQL when the suite runs on it). The first worker is
``matchmaking worker`` started through a launcher whose mail sending hangs, so the task is certainly
running when it is killed; the second is the plain command with a short lease and back-off. Emails go to
the console, so the workers' logs show what was sent.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.worker_processes import start, stop, wait_for, worker_database

LEASE = 3

pytestmark = pytest.mark.database  # its own database, not the test database

SEED = """
import django
django.setup()
from django.db import transaction
from matchmaking.core.notifications import notify
from tests.factories import UserFactory

with transaction.atomic():
    (sent,) = notify(recipients=[UserFactory(email="someone@example.org")], kind="test", title="Killed once")
print(sent.pk)
"""

HANGING_WORKER = """
import sys, time
import django
django.setup()
from matchmaking.cli import main
from matchmaking.core import tasks

def hang(**kwargs):
    print("sending, then hanging", flush=True)
    time.sleep(600)

tasks.send_mail = hang
sys.exit(main(["worker", "--no-periodic"]))
"""


def test_a_killed_worker_s_email_is_sent_once_by_the_next_worker(tmp_path: Path) -> None:
    python = sys.executable
    with worker_database(tmp_path) as db:
        db.migrate()
        notification_id = int(db.run([python, "-c", SEED]).strip().splitlines()[-1])

        def task_row() -> tuple[Any, ...]:
            # The email's task only: the second worker's periodic jobs queue tasks of their own.
            return db.query(
                "SELECT status, worker_ids, id FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
                "matchmaking.core.tasks.send_notification_email",
            )[0]

        def emailed() -> bool:
            return (
                db.query("SELECT emailed_at FROM core_notification WHERE id = ?", notification_id)[0][0]
                is not None
            )

        first_log, second_log = tmp_path / "first-worker.log", tmp_path / "second-worker.log"
        logs = [first_log, second_log]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            first = start([python, "-c", HANGING_WORKER], db.env(), first_log)
            processes.append(first)
            wait_for(
                "the first worker to take the task", lambda: "hanging" in first_log.read_text(), 120, logs
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            assert task_row()[0] == "RUNNING"  # nothing will ever finish it: the worker is gone
            assert not emailed()

            time.sleep(LEASE + 1)  # the lease runs from the claim; the new worker reclaims on its first pass
            second = start(
                [python, "-m", "matchmaking.cli", "worker", "--periodic-interval", "1"],
                db.env(TASK_LEASE_SECONDS=str(LEASE), TASK_RETRY_BACKOFF_SECONDS="1"),
                second_log,
            )
            processes.append(second)
            wait_for("the email to be sent", emailed, 180, logs)
            # The email is marked sent inside the task; the task's own result is written just after it
            # returns: stopping the worker in between would leave that result RUNNING, so wait for it.
            wait_for("the task result", lambda: task_row()[0] == "SUCCESSFUL", 60, logs)
        finally:
            stop(processes)

        status, worker_ids, _ = task_row()
        assert status == "SUCCESSFUL"
        assert len(worker_ids if isinstance(worker_ids, list) else json.loads(worker_ids)) == 2  # two claims
        ((state, retries, reason),) = db.query("SELECT state, retries, reason_code FROM core_taskrecovery")
        assert (state, retries, reason) == ("retrying", 1, "worker-lost")
        assert second_log.read_text().count("Subject: [Mobility Matchmaking] Killed once") == 1
        assert "Subject:" not in first_log.read_text()

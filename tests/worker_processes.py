"""Real worker processes on a real database, for the tests that kill a worker with SIGKILL.

``WorkerDatabase`` gives the subprocesses and the test one database they all reach: a SQLite file in a
temporary directory, or, when the suite runs against PostgreSQL (``DATABASE_URL=postgres://...``, as in
``scripts/with-postgres.sh``), a fresh database on that server, created here and dropped afterwards. It
is not pytest's test database: the processes commit for real and migrate it themselves, and the test
reads it with plain SQL (``?`` placeholders on both).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


class WorkerDatabase:
    def __init__(self, tmp: Path, url: str, postgres: dict[str, Any] | None) -> None:
        self.tmp, self.url, self.postgres = tmp, url, postgres

    @property
    def vendor(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="matchmaking.config.settings.dev",
            DATABASE_URL=self.url,
            ESCO_WARM_ON_START="false",
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",  # the test settings' is in memory
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.postgres is None:
            with sqlite3.connect(self.tmp / "db.sqlite3", timeout=30) as conn:
                return conn.execute(sql, params).fetchall()
        with psycopg.connect(**self.postgres, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    def task_key(self, task_id: str) -> str:
        """How a task's UUID is compared in SQL: without dashes on SQLite, as it is on PostgreSQL."""
        return task_id if self.postgres else task_id.replace("-", "")

    def run(self, args: list[str], *, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            args, cwd=ROOT, env=env or self.env(), check=False, timeout=600, capture_output=True, text=True
        )
        if done.returncode:
            pytest.fail(f"{args[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.run([sys.executable, "manage.py", "migrate", "-v0"])


@contextmanager
def worker_database(tmp: Path) -> Iterator[WorkerDatabase]:
    server = _server_url()
    if server is None:
        yield WorkerDatabase(tmp, f"sqlite:///{tmp / 'db.sqlite3'}", None)
        return
    config = dj_database_url.parse(server)
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    name = f"kill_test_{secrets.token_hex(4)}"
    with psycopg.connect(**connect, dbname=config["NAME"], autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlsplit(server)._replace(path=f"/{name}").geturl()
        yield WorkerDatabase(tmp, url, {**connect, "dbname": name})
    finally:
        with psycopg.connect(**connect, dbname=config["NAME"], autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(what: str, check: Callable[[], bool], timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tails}")


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)

"""Small helpers shared by the benchmark scripts: timing, peak memory, the machine, the result table."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table

T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """Run once; return the result and the wall-clock seconds."""
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def median_time(function: Callable[[], T], repeats: int) -> tuple[T, float]:
    """Run ``repeats`` times; return the last result and the median seconds."""
    times = []
    result = None
    for _ in range(repeats):
        result, seconds = timed(function)
        times.append(seconds)
    assert result is not None
    return result, statistics.median(times)


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads together."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds_with_children() -> float:
    """``cpu_seconds`` plus the CPU time of the child processes that have ended (forked workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return cpu_seconds() + usage.ru_utime + usage.ru_stime


def peak_rss_gb() -> float:
    """Peak resident memory of this process so far, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def machine() -> str:
    cpus = os.cpu_count() or 0
    return f"{platform.processor() or platform.machine()}, {cpus} cores, Python {platform.python_version()}"


def show(title: str, rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> None:
    table = Table(title=title)
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console = Console(width=120)
    console.print(table)
    console.print(f"machine: {machine()}; load average: {os.getloadavg()[0]:.1f}")


def sqlite_django(database: Path | None, prefix: str) -> bool:
    """Set Django up on the SQLite file ``database`` (a new one in a temporary directory when ``None``),
    migrated when it exists already; True when it did (the caller reuses its data), False when the
    caller has to build the data."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    database = database or home / "matchmaking.sqlite3"
    reuse = database.exists()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.dev")
    os.environ.setdefault("NOTIFICATION_EMAIL", "false")
    os.environ.setdefault("ESCO_WARM_ON_START", "false")
    os.environ.setdefault("MATCHMAKING_DATA_DIR", str(home))
    import django

    django.setup()
    if reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"reusing {database}")
    return reuse

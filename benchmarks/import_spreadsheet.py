"""How long a spreadsheet import of participants and of placements takes, and how long it holds the
write lock.

Generates a valid participants spreadsheet (CSV) of N rows and a placements one of N rows, migrates a
fresh SQLite database in a temporary directory (or uses ``DATABASE_URL`` when given, which must be an
empty migrated database), imports both with ``placements.importing.import_file`` as a case worker and
a host would on the import page, and prints for each the whole import's time and the time the write
transaction held (the outermost ``transaction.atomic`` of the import, also logged by the import).
Each file is imported twice: first every row is new, then every row updates its record.

    .venv/bin/python benchmarks/import_spreadsheet.py --rows 1000
    .venv/bin/python benchmarks/import_spreadsheet.py --rows 5000
    .venv/bin/python benchmarks/import_spreadsheet.py --rows 1000 --src old-checkout/src  # compare
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

LANGUAGES = ("sv", "en", "es", "de", "fi")


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def participants_csv(rows: int, skills: Sequence[str]) -> bytes:
    """``rows`` valid participants of the organisation ``bench``: two languages, a formal and an
    informal skill (two ESCO skills given), identifying details."""
    table: list[list[object]] = [
        [
            "reference",
            "organisation",
            "registered_on",
            "given_name",
            "family_name",
            "date_of_birth",
            "email",
            "phone",
            "home_country",
            "available_from",
            "willing_to_go_abroad",
            "support_requirements",
            "languages",
            "skills_formal",
            "skills_informal",
        ]
    ]
    for i in range(rows):
        one, two = LANGUAGES[i % 5], LANGUAGES[(i + 1) % 5]
        table.append(
            [
                f"R-{i:05d}", "bench", "2026-01-15", f"Given {i}", f"Family {i}",
                f"{1980 + i % 25}-0{1 + i % 9}-1{i % 9}", f"p{i}@example.org", f"+46 70 {i:06d}", "SE",
                "2026-03-01", "yes" if i % 2 else "no", "mentor" if i % 3 == 0 else "", f"{one}:B2;{two}:C1",
                skills[0], skills[1],
            ]
        )  # fmt: skip
    return _csv(table)


def placements_csv(rows: int, skills: Sequence[str]) -> bytes:
    """``rows`` valid placements hosted by ``bench``, each with a language and two skills."""
    table: list[list[object]] = [
        [
            "key",
            "host",
            "title",
            "seats",
            "start",
            "end",
            "country",
            "city",
            "languages",
            "required_skills",
            "desired_skills",
            "description",
        ]
    ]
    for i in range(rows):
        table.append(
            [
                f"bench-q{i:05d}", "bench", f"Placement {i}", 1 + i % 4, "2026-04-01", "2026-06-30", "SE",
                f"City {i % 50}", f"{LANGUAGES[i % 5]}:B1", skills[0], skills[1],
                f"A generated placement, number {i}.",
            ]
        )  # fmt: skip
    return _csv(table)


def _env(home: Path, src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("DATABASE_URL", f"sqlite:///{home / 'matchmaking.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="matchmaking.config.settings.dev",
        MATCHMAKING_DATA_DIR=str(home),
        ESCO_WARM_ON_START="false",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(src)]),
    )
    return env


@contextlib.contextmanager
def _transaction_timer(importing: Any, held: list[float]) -> Iterator[None]:
    """Time the import's outermost ``transaction.atomic`` blocks (the write lock on SQLite)."""
    real = importing.transaction.atomic

    @contextlib.contextmanager
    def timed_atomic(*args: Any, **kwargs: Any) -> Iterator[None]:
        started = time.perf_counter()
        with real(*args, **kwargs):
            yield
        held.append(time.perf_counter() - started)

    class Wrapped:
        def __getattr__(self, name: str) -> Any:
            return getattr(real_module, name)

        atomic = staticmethod(timed_atomic)

    real_module = importing.transaction
    importing.transaction = Wrapped()
    try:
        yield
    finally:
        importing.transaction = real_module


def run(rows: int) -> None:
    import django

    django.setup()
    from tests.factories import OrganisationFactory, member

    from matchmaking.organisations.models import Role
    from matchmaking.participants.esco_lookup import search_skills
    from matchmaking.placements import importing

    logging.basicConfig(level=logging.INFO, format="  log: %(message)s")
    logging.getLogger("matchmaking.placements.importing").setLevel(logging.INFO)
    organisation = OrganisationFactory(key="bench", name="Benchmark", country="SE")
    worker = member(Role.CASE_WORKER, organisation, email="worker@example.org")
    host = member(Role.STAFF, organisation, email="host@example.org")
    skills = [item.uri for item in search_skills("customer service", 2)]
    for kind, actor, content in (
        ("participants", worker, participants_csv(rows, skills)),
        ("placements", host, placements_csv(rows, skills)),
    ):
        for attempt in ("new", "update"):
            held: list[float] = []
            started = time.perf_counter()
            with _transaction_timer(importing, held):
                report = importing.import_file(
                    actor=actor, kind=kind, filename=f"{kind}.csv", content=content
                )
            whole = time.perf_counter() - started
            print(
                f"{rows} {kind} ({attempt}; {report.created} created, {report.updated} updated, "
                f"{len(content) / 1e6:.1f} MB): import {whole:.1f} s, "
                f"write transaction held {max(held, default=0.0):.1f} s"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree to import with")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        run(args.rows)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = _env(home, args.src.resolve())
        env["IMPORT_MAX_ROWS"] = str(max(args.rows, 5000))
        python = sys.executable
        subprocess.run([python, "-m", "matchmaking.cli", "migrate"], env=env, check=True, capture_output=True)
        command = [python, str(Path(__file__).resolve()), "--rows", str(args.rows), "--in-process"]
        subprocess.run(command, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long `matchmaking import` takes on a large network, and how long it holds the write lock.

Generates a valid interchange document (format version 2) of N organisations with one opportunity each
(half offers, half requests) and a few exchanges between them, checks it with the project's own parser,
then imports it with the real command into a fresh SQLite database in a temporary directory (or into
``DATABASE_URL`` when given, which must be an empty migrated database) and prints the timings.

    .venv/bin/python benchmarks/import_network.py                 # 10,000 organisations
    .venv/bin/python benchmarks/import_network.py --opportunities-per-organisation 3 --dry-run
    .venv/bin/python benchmarks/import_network.py --organisations 2000 --profile --sort tottime
    .venv/bin/python benchmarks/import_network.py --write network.json --no-import

``generate_document`` is also used by the concurrency test of the import (tests/interchange/).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from matchmaking.interchange.document import parse_document  # noqa: E402
from matchmaking.taxonomies import codelists, regions  # noqa: E402

COUNTRIES = ("SE", "ES", "DE", "NO", "FI", "IT", "FR", "PL")
LANGUAGES = ("en", "sv", "es", "de", "nb", "fi", "it", "fr", "pl", "ca")


def generate_document(
    organisations: int, *, opportunities_per_organisation: int = 1, exchanges: int = 20, seed: int = 7,
    prefix: str = "net", start: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A valid interchange document: ``organisations`` organisations, their opportunities, exchanges."""
    rng = random.Random(seed)
    kinds = sorted(codelists.codes(codelists.ORGANISATION_KINDS))
    topics = sorted(codelists.codes(codelists.PRACTICE_TOPICS))
    groups = sorted(codelists.codes(codelists.TARGET_GROUPS))
    types = sorted(codelists.codes(codelists.OPPORTUNITY_TYPES))
    by_country = {c: [r.code for r in regions.regions_for_country(c)] for c in COUNTRIES}
    first = start or date.today() + timedelta(days=400)
    orgs, opps, exs = [], [], []
    for i in range(organisations):
        country = COUNTRIES[i % len(COUNTRIES)]
        orgs.append(
            {
                "id": f"{prefix}-org-{i:05d}", "name": f"Organisation {i:05d}", "kind": rng.choice(kinds),
                "country": country, "region": rng.choice(by_country[country]), "city": f"City {i % 97}",
                "languages": rng.sample(LANGUAGES, 2), "target_groups": rng.sample(groups, 2),
                "expertise": rng.sample(topics, 2), "interests": rng.sample(topics, 2),
                "hosting_capacity": rng.randint(2, 10), "description": f"Generated organisation {i}.",
                "website": f"https://org-{i}.example.org", "erasmus_id": f"E{10000000 + i:08d}",
                "erasmus_accreditation": "",
            }
        )  # fmt: skip
        for k in range(opportunities_per_organisation):
            direction = "offer" if (i + k) % 2 == 0 else "request"
            earliest = first + timedelta(days=rng.randint(0, 60))
            opps.append(
                {
                    "id": f"{prefix}-opp-{i:05d}-{k}", "organisation": f"{prefix}-org-{i:05d}",
                    "type": rng.choice(types), "direction": direction, "topics": rng.sample(topics, 2),
                    "target_groups": rng.sample(groups, 1), "languages": rng.sample(LANGUAGES, 1),
                    "earliest": earliest.isoformat(), "latest": (earliest + timedelta(days=60)).isoformat(),
                    "duration_days": rng.randint(2, 5), "group_size": rng.randint(1, 3),
                    "description": f"Generated {direction} {i}-{k}.",
                }
            )  # fmt: skip
    for n in range(min(exchanges, organisations // 2)):
        host, visitor = f"{prefix}-org-{2 * n:05d}", f"{prefix}-org-{2 * n + 1:05d}"
        day = first + timedelta(days=100 + n)
        exs.append(
            {
                "id": f"{prefix}-exchange-{n:04d}", "host": host, "visitor": visitor,
                "type": types[0], "state": "agreed", "start": day.isoformat(),
                "end": (day + timedelta(days=2)).isoformat(), "group_size": 1,
                "visitors": [{"id": "v1", "name": f"Visitor {n}", "kind": "staff"}],
                "programme": [
                    {"day": day.isoformat(), "starts_at": "09:00", "ends_at": "12:00",
                     "activity": "Welcome", "format": "meeting", "visitors": ["v1"]},
                ],
            }
        )  # fmt: skip
    return {"format_version": 2, "organisations": orgs, "opportunities": opps, "exchanges": exs}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("DATABASE_URL", f"sqlite:///{home / 'matchmaking.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="matchmaking.config.settings.dev",
        MATCHMAKING_DATA_DIR=str(home),
        ESCO_WARM_ON_START="false",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    return env


PROFILED = """
import cProfile, sys
import django
django.setup()
from matchmaking.cli import main
cProfile.run("main(['import', sys.argv[1]])", sys.argv[2])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--opportunities-per-organisation", type=int, default=1)
    parser.add_argument("--exchanges", type=int, default=20)
    parser.add_argument("--dry-run", action="store_true", help="time `matchmaking import --dry-run` first")
    parser.add_argument("--write", type=Path, help="write the document here")
    parser.add_argument("--no-import", action="store_true", help="only generate (and check) the document")
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions")
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative or tottime")
    args = parser.parse_args()
    document = generate_document(
        args.organisations,
        opportunities_per_organisation=args.opportunities_per_organisation,
        exchanges=args.exchanges,
    )
    started = time.perf_counter()
    parse_document(document)
    parsed = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        path = args.write or home / "network.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        print(
            f"{args.organisations} organisations, {len(document['opportunities'])} opportunities, "
            f"{len(document['exchanges'])} exchanges: {path.stat().st_size / 1e6:.1f} MB, "
            f"parsed and checked in {parsed:.1f} s"
        )
        if args.no_import:
            return 0
        env = _env(home)
        python = sys.executable
        subprocess.run([python, "-m", "matchmaking.cli", "migrate"], env=env, check=True, capture_output=True)
        if args.dry_run:
            command = [python, "-m", "matchmaking.cli", "import", "--dry-run", str(path)]
            _timed("matchmaking import --dry-run", lambda: subprocess.run(command, env=env, check=True))
        if args.profile:
            stats = home / "import.prof"
            command = [python, "-c", PROFILED, str(path), str(stats)]
            _timed("matchmaking import (profiled)", lambda: subprocess.run(command, env=env, check=True))
            pstats.Stats(str(stats)).sort_stats(args.sort).print_stats(25)
        else:
            command = [python, "-m", "matchmaking.cli", "import", str(path)]
            _timed("matchmaking import", lambda: subprocess.run(command, env=env, check=True))
    return 0


def _timed(label: str, run: Any) -> None:
    """Run, then print the wall-clock time, the CPU time of the command (what an idle machine needs)
    and the load average, which says how much the machine's other work stretched the former."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{label}: {wall:.1f} s (whole command), CPU {cpu:.1f} s; load average {load}")


if __name__ == "__main__":
    sys.exit(main())

"""Generate a network of a given size through the project's own import paths, for the load test.

Into a fresh SQLite database in ``--data-dir`` (or ``DATABASE_URL`` when set, an empty database): the
tables by ``matchmaking migrate``; organisations, their offers and requests and a few exchanges by
``matchmaking import`` of an interchange document (``import_network.generate_document``); participants
and placements by the spreadsheet import a case worker and a host use (``placements.importing``), in files
of at most 5,000 rows; one account per role, all with the password ``PASSWORD``; what the worker does
after such imports (the queued tasks of the ``default`` queue, among them the search texts of the
imported records, then the daily table statistics); the partner suggestions of the first
organisation's opportunities, scored without description vectors (embedding 40,000 descriptions
takes a quarter of an hour; the page reads the stored rows either way). The full refresh the import
queued on the ``batch`` queue is left queued. Prints each step's time and writes ``network.json``
(the accounts and keys the load test uses) into ``--data-dir``.

    .venv/bin/python benchmarks/network.py --data-dir var/bench --organisations 1000 --participants 10000
    .venv/bin/python benchmarks/network.py --data-dir var/bench          # 10,000 / 30,000 / 100,000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_network import generate_document  # noqa: E402
from import_spreadsheet import participants_csv, placements_csv  # noqa: E402

PASSWORD = "load-test-password-0123456789"  # noqa: S105 - generated test accounts only
FILE_ROWS = 5000


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'matchmaking.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="matchmaking.config.settings.demo",
        MATCHMAKING_DATA_DIR=str(data_dir),
        ESCO_WARM_ON_START="false",
        IMPORT_MAX_ROWS=str(FILE_ROWS),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src"), str(ROOT / "benchmarks")]),
    )
    return env


def _step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def populate(args: argparse.Namespace) -> None:
    """In the Django process: accounts, participants and placements, suggestions; writes network.json."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from matchmaking.accounts.models import User
    from matchmaking.core.periodic import run_periodic
    from matchmaking.mobility import matching
    from matchmaking.mobility.models import Opportunity
    from matchmaking.organisations.models import Membership, Organisation, Role
    from matchmaking.participants.esco_lookup import search_skills
    from matchmaking.placements import importing

    started = time.perf_counter()
    home = Organisation.objects.get(key="net-org-00000")
    partner = Organisation.objects.get(key="net-org-00001")
    accounts = {}
    for role, organisation, email in (
        (Role.COORDINATOR, home, "coordinator@bench.example.org"),
        (Role.ORG_ADMIN, partner, "admin@bench.example.org"),
        (Role.STAFF, home, "staff@bench.example.org"),
        (Role.CASE_WORKER, home, "worker@bench.example.org"),
    ):
        user = User.objects.create_user(email=email, password=PASSWORD)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        accounts[str(role)] = email
    worker = User.objects.get(email=accounts[str(Role.CASE_WORKER)])
    host = User.objects.get(email=accounts[str(Role.STAFF)])
    started = _step("accounts", started)
    skills = [item.uri for item in search_skills("customer service", 2)]
    for kind, actor, rows, make in (
        ("participants", worker, args.participants, participants_csv),
        ("placements", host, args.placements, placements_csv),
    ):
        done = 0
        while done < rows:
            size = min(FILE_ROWS, rows - done)
            content = make(size, skills).replace(b"bench", home.key.encode())
            if kind == "participants":  # a reference of its own for each file's rows
                content = content.replace(b"R-", f"F{done // FILE_ROWS}-".encode())
            else:
                content = content.replace(b"-q", f"-f{done // FILE_ROWS}-q".encode())
            importing.import_file(actor=actor, kind=kind, filename=f"{kind}.csv", content=content)
            done += size
        started = _step(f"{rows} {kind} imported", started)
    call_command("db_worker", batch=True, queue_name="default", interval=0, reload=False, startup_delay=False)
    started = _step("the worker's queued tasks (search texts)", started)
    run_periodic(force=True, only="database-statistics")
    started = _step("table statistics", started)
    settings.PARTNER_DESCRIPTION_VECTORS = False
    mine = list(Opportunity.objects.filter(organisation=home))
    matching.refresh(mine)
    started = _step(f"suggestions of {len(mine)} opportunities", started)
    network = {
        "accounts": accounts,
        "password": PASSWORD,
        "opportunity": mine[0].key,
        "organisation": partner.key,
        "database": connection.vendor,
        "organisations": Organisation.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "participants": args.participants,
        "placements": args.placements,
    }
    (args.data_dir / "network.json").write_text(json.dumps(network, indent=2), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="where the database and network.json go")
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--opportunities-per-organisation", type=int, default=3)
    parser.add_argument("--exchanges", type=int, default=200)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=2_000)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.data_dir = args.data_dir.resolve()
    if args.in_process:
        populate(args)
        return 0
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.data_dir)
    python = sys.executable
    print(
        f"Network: {args.organisations} organisations × {args.opportunities_per_organisation} opportunities, "
        f"{args.participants} participants, {args.placements} placements",
        flush=True,
    )
    started = time.perf_counter()
    subprocess.run([python, "-m", "matchmaking.cli", "migrate"], env=env, check=True, capture_output=True)
    started = _step("migrate", started)
    document = generate_document(
        args.organisations,
        opportunities_per_organisation=args.opportunities_per_organisation,
        exchanges=args.exchanges,
    )
    path = args.data_dir / "network-document.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    subprocess.run([python, "-m", "matchmaking.cli", "import", str(path)], env=env, check=True)
    started = _step("matchmaking import", started)
    command = [python, str(Path(__file__).resolve()), "--in-process", "--data-dir", str(args.data_dir)]
    command += ["--participants", str(args.participants), "--placements", str(args.placements)]
    subprocess.run(command, env=env, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

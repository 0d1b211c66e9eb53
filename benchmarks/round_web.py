"""An allocation round of the web app at real size, end to end through the background worker.

Generates a participants spreadsheet and a placements spreadsheet (varied ESCO skills, languages,
support needs, availability), migrates a fresh SQLite database in a temporary directory (or uses
``DATABASE_URL``, which must be an empty migrated database), imports both with the import page's own
code (``placements.importing.import_file``), creates a round of everyone and every placement, asks
for a proposal (``rounds.round_propose``: a large round is queued for the worker), then starts
``matchmaking worker`` and times it until the round is proposed, reading the round's progress and
the worker's peak memory (VmHWM) as it goes.

    .venv/bin/python benchmarks/round_web.py --participants 20000 --placements 2000
    .venv/bin/python benchmarks/round_web.py --participants 2000 --placements 200 --method stable
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_spreadsheet import LANGUAGES, _csv, _env  # noqa: E402

TERMS = ("customer", "cook", "clean", "care", "sales", "software", "build", "drive", "garden", "teach")
TERMS += ("account", "repair", "paint", "store", "nurse", "weld", "farm", "design", "serve", "office")


def participants_csv(rows: int, skills: list[str], rng: random.Random) -> bytes:
    table: list[list[object]] = [
        [
            "reference", "organisation", "registered_on", "given_name", "family_name", "date_of_birth",
            "email", "phone", "home_country", "available_from", "willing_to_go_abroad",
            "support_requirements", "languages", "skills_formal", "skills_informal",
        ]
    ]  # fmt: skip
    for i in range(rows):
        sector = rng.randrange(len(skills) // 20)
        pool = skills[sector * 20 : sector * 20 + 20]
        held = rng.sample(pool, rng.randint(3, 8)) + rng.sample(skills, 2)
        one, two = rng.sample(LANGUAGES, 2)
        table.append(
            [
                f"R-{i:06d}", "bench", "2026-01-15", f"Given {i}", f"Family {i}",
                f"{1980 + i % 25}-0{1 + i % 9}-1{i % 9}", f"p{i}@example.org", f"+46 70 {i:06d}", "SE",
                "2026-03-01", "yes" if rng.random() < 0.6 else "no", "mentor" if i % 7 == 0 else "",
                f"{one}:B2;{two}:C1", ";".join(held[:-2]), ";".join(held[-2:]),
            ]
        )  # fmt: skip
    return _csv(table)


def placements_csv(rows: int, skills: list[str], rng: random.Random) -> bytes:
    table: list[list[object]] = [
        [
            "key", "host", "title", "seats", "start", "end", "country", "city", "languages",
            "required_skills", "desired_skills", "support_offered", "description",
        ]
    ]  # fmt: skip
    for i in range(rows):
        sector = rng.randrange(len(skills) // 20)
        pool = skills[sector * 20 : sector * 20 + 20]
        picked = rng.sample(pool, 6)
        table.append(
            [
                f"bench-q{i:05d}", "bench", f"Placement {i}", 1 + i % 8, "2026-04-01", "2026-06-30",
                "SE" if i % 5 else "ES", f"City {i % 50}", f"{rng.choice(LANGUAGES)}:B1",
                ";".join(picked[:4]), ";".join(picked[4:]), "mentor" if i % 2 else "",
                f"A generated placement, number {i}.",
            ]
        )  # fmt: skip
    return _csv(table)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (from /proc; 0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _hwm_gb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from tests.factories import OrganisationFactory, member

    from matchmaking.organisations.models import Role
    from matchmaking.participants.esco_lookup import search_skills
    from matchmaking.participants.models import Participant
    from matchmaking.placements import importing, rounds
    from matchmaking.placements.models import Placement, Round

    rng = random.Random(3)
    organisation = OrganisationFactory(key="bench", name="Benchmark", country="SE")
    worker = member(Role.CASE_WORKER, organisation, email="worker@example.org")
    host = member(Role.STAFF, organisation, email="host@example.org")
    coordinator = member(Role.COORDINATOR, organisation, email="coordinator@example.org")
    skills = list(dict.fromkeys(item.uri for term in TERMS for item in search_skills(term, 20)))
    skills = skills[: len(skills) // 20 * 20]
    started = time.perf_counter()
    for kind, actor, content in (
        ("participants", worker, participants_csv(args.participants, skills, rng)),
        ("placements", host, placements_csv(args.placements, skills, rng)),
    ):
        report = importing.import_file(actor=actor, kind=kind, filename=f"{kind}.csv", content=content)
        print(f"imported {report.created} {kind} ({len(content) / 1e6:.1f} MB)", flush=True)
    print(f"import: {time.perf_counter() - started:.1f} s ({len(skills)} distinct ESCO skills)", flush=True)
    found = rounds.round_create(
        actor=coordinator,
        name="Benchmark round",
        method=args.method,
        participants=Participant.objects.all(),
        placements=Placement.objects.all(),
    )
    rounds.round_propose(actor=coordinator, allocation_round=found)
    env = {**os.environ}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "matchmaking.cli", "worker", "--no-periodic"], env=env)
    peak = cpu = 0.0
    try:
        while True:
            time.sleep(2)
            peak = max(peak, _hwm_gb(process.pid))
            cpu = max(cpu, _cpu_seconds(process.pid))
            row = Round.objects.values("status", "progress_done", "progress_total").get(pk=found.pk)
            elapsed = time.perf_counter() - started
            print(
                f"  {elapsed:6.0f} s  {row['status']:9} {row['progress_done']}/{row['progress_total']}",
                flush=True,
            )
            if row["status"] in (Round.Status.PROPOSED, Round.Status.FAILED) or process.poll() is not None:
                break
            if elapsed > args.timeout:
                print("timed out", flush=True)
                break
    finally:
        peak = max(peak, _hwm_gb(process.pid))
        cpu = max(cpu, _cpu_seconds(process.pid))
        process.terminate()
        process.wait(timeout=60)
    found.refresh_from_db()
    summary = found.summary or {}
    print(
        f"round {args.participants:,} × {args.placements:,} ({args.method}): {found.status} in "
        f"{elapsed:.0f} s through the worker (worker CPU {cpu:.0f} s, start-up included), worker peak "
        f"memory {peak:.2f} GB; placed "
        f"{summary.get('placed')} of {args.participants}, {summary.get('seats')} seats; "
        f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores",
        flush=True,
    )
    if found.status == Round.Status.FAILED:
        print(found.error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--placements", type=int, default=2_000)
    parser.add_argument("--method", choices=("stable", "optimal"), default="optimal")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for the worker")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        run(args)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = _env(home, ROOT / "src")
        env["IMPORT_MAX_ROWS"] = str(max(args.participants, args.placements, 5000))
        env["IMPORT_MAX_BYTES"] = str(200_000_000)
        python = sys.executable
        subprocess.run([python, "-m", "matchmaking.cli", "migrate"], env=env, check=True, capture_output=True)
        command = [python, str(Path(__file__).resolve()), *sys.argv[1:], "--in-process"]
        subprocess.run(command, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast the monitoring cockpit answers on a large network, for a range of filters.

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL``, which must be an
empty migrated database): the organisations come in through the project's import (``matchmaking
import`` of a generated interchange document, as ``import_network.py`` makes it); the exchanges and
their visitors are then written with ``bulk_create`` (the import path for a million people would take
hours here), spread over eight countries' NUTS-2 regions, six years, every type and activity code,
with one visitor in seven flagged "with fewer opportunities" and one exchange in three with green
travel. It then rebuilds the pre-aggregated tables (``monitoring.facts.refresh``, timed) and computes
the whole cockpit (``selectors.cockpit``, every indicator, disclosure control included) for each filter
several times and prints the median and the 95th percentile; ``--live`` computes every figure from the
live tables instead, as before the pre-aggregated tables existed.

    .venv/bin/python benchmarks/monitoring_cockpit.py          # 100,000 exchanges, 10 visitors each
    .venv/bin/python benchmarks/monitoring_cockpit.py --exchanges 20000 --visitors 5 --repeats 5
    .venv/bin/python benchmarks/monitoring_cockpit.py --database /tmp/cockpit.sqlite3   # keep it, or reuse it
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, show  # noqa: E402
from benchmarks.import_network import generate_document  # noqa: E402

ACTIVITY = ("SM-JOB-SHDW", "SM-TTA", "LM-SHORT-VET", "LM-LONG-VET", "")
STATES = ("agreed", "confirmed", "completed", "reported", "reported", "proposed", "declined")
KINDS = ("staff", "staff", "vet-learner", "apprentice", "adult-learner")


def build(exchanges: int, visitors: int, organisations: int, seed: int) -> None:
    import json

    from django.core.management import call_command

    from matchmaking.cli import main as matchmaking
    from matchmaking.exchanges.models import Exchange, Visitor
    from matchmaking.organisations.models import Organisation
    from matchmaking.taxonomies.models import Term

    call_command("migrate", verbosity=0)
    document = generate_document(organisations, exchanges=0, prefix="bench")
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(document, handle)
    assert matchmaking(["import", handle.name]) == 0  # the project's import, all or nothing
    print(f"imported {organisations} organisations in {time.perf_counter() - started:.1f} s")
    rng = random.Random(seed)
    orgs = list(Organisation.objects.values_list("pk", flat=True))
    types = list(Term.objects.filter(scheme="opportunity-types").values_list("pk", flat=True))
    started = time.perf_counter()
    batch: list[Exchange] = []
    for n in range(exchanges):
        host, guest = rng.sample(orgs, 2)
        start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
        batch.append(
            Exchange(
                key=f"bench-ex-{n:07d}",
                host_id=host,
                visitor_id=guest,
                proposed_by_id=guest,
                type_id=rng.choice(types),
                title=f"Exchange {n}",
                start=start,
                end=start + timedelta(days=rng.choice((2, 3, 5, 14, 30))),
                group_size=visitors,
                activity_code=rng.choice(ACTIVITY),
                state=rng.choice(STATES),
                green_travel=rng.random() < 1 / 3,
            )
        )
        if len(batch) == 5000:
            Exchange.objects.bulk_create(batch)
            batch = []
    Exchange.objects.bulk_create(batch)
    people: list[Visitor] = []
    for ex_id in Exchange.objects.values_list("pk", flat=True).iterator():
        for k in range(visitors):
            people.append(
                Visitor(
                    exchange_id=ex_id,
                    name=f"P{ex_id}-{k}",
                    kind=rng.choice(KINDS),
                    accompanying=k == visitors - 1 and visitors > 2,
                    fewer_opportunities=rng.random() < 1 / 7,
                )
            )
            if len(people) == 20000:
                Visitor.objects.bulk_create(people)
                people = []
    Visitor.objects.bulk_create(people)
    seconds = time.perf_counter() - started
    print(f"wrote {exchanges} exchanges and {exchanges * visitors} visitors in {seconds:.1f} s")


def measure(repeats: int, live: bool) -> list[tuple[str, ...]]:
    from matchmaking.monitoring import selectors
    from matchmaking.monitoring.filters import CockpitFilters
    from matchmaking.organisations.models import Organisation

    some = Organisation.objects.select_related("region").filter(region__isnull=False).first()
    assert some is not None
    filters = {
        "none": CockpitFilters(),
        "one year": CockpitFilters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
        "country ES": CockpitFilters(country="ES"),
        f"region {some.region.code}": CockpitFilters(region=some.region.code),
        "organisation": CockpitFilters(organisation_id=some.pk),
        "job shadowing, 2025": CockpitFilters(activity_type="job-shadowing", date_from=date(2025, 1, 1)),
        "target group neet-youth": CockpitFilters(target_group="neet-youth"),
        "no data (PT)": CockpitFilters(country="PT"),
    }
    rows = []
    for name, f in filters.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            selectors.cockpit(user=None, filters=f, live=live)
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append((name, f"{statistics.median(times):.3f}", f"{p95:.3f}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--visitors", type=int, default=10, help="visitors per exchange")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", type=Path, help="SQLite file: built if missing, else reused (migrated)")
    parser.add_argument("--live", action="store_true", help="every figure from the live tables")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="cockpit-bench-"))
    database = args.database or home / "matchmaking.sqlite3"
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
    else:
        build(args.exchanges, args.visitors, args.organisations, args.seed)
    if not args.live:
        from matchmaking.monitoring import facts

        state = facts.refresh()
        print(f"pre-aggregated tables rebuilt: {state.rows:,} rows in {state.seconds:.1f} s")
    rows = measure(args.repeats, args.live)
    source = "live tables" if args.live else "pre-aggregated tables"
    show(
        f"Monitoring cockpit, {args.exchanges:,} exchanges × {args.visitors} visitors, {source} "
        f"({machine()}, SQLite, {args.repeats} runs)",
        rows,
        ("filter", "median s", "p95 s"),
    )


if __name__ == "__main__":
    main()

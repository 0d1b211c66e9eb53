"""How fast the monitoring cockpit answers on a large network, for a range of filters.

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL``, which must be an
empty migrated database): the organisations come in through the project's import (``matchmaking
import`` of a generated interchange document, as ``import_network.py`` makes it); the exchanges and
their visitors are then written with ``bulk_create`` (the import path for a million people would take
hours here), spread over eight countries' NUTS-2 regions, six years, every type and activity code,
with one visitor in seven flagged "with fewer opportunities" and one exchange in three with green
travel. It then rebuilds the pre-aggregated tables (``monitoring.facts.refresh``, timed) and computes
the whole cockpit (``selectors.cockpit``, every indicator, disclosure control included) for each filter
several times and prints the median and the 95th percentile, for every kind of filter and for one
organisation's own (scoped) cockpit; ``--live`` computes every figure from the live tables instead, as
before the pre-aggregated tables existed; ``--profile NAME`` profiles one of them (cProfile and the
slowest queries of the SQL log).

    .venv/bin/python benchmarks/monitoring_cockpit.py          # 100,000 exchanges, 10 visitors each
    .venv/bin/python benchmarks/monitoring_cockpit.py --exchanges 20000 --visitors 5 --repeats 5
    .venv/bin/python benchmarks/monitoring_cockpit.py --database /tmp/cockpit.sqlite3   # keep it, or reuse it
    .venv/bin/python benchmarks/monitoring_cockpit.py --database /tmp/cockpit.sqlite3 --profile unfiltered
    .venv/bin/python benchmarks/monitoring_cockpit.py --database /tmp/cockpit.sqlite3 --no-refresh --page
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, show, sqlite_django  # noqa: E402
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


def _member(organisation_pk: int) -> Any:
    """An administrator of one organisation (created once), for its scoped cockpit."""
    from matchmaking.accounts.models import User
    from matchmaking.organisations.models import Membership, Role

    user, _created = User.objects.get_or_create(email="bench-admin@example.org")
    Membership.objects.get_or_create(user=user, organisation_id=organisation_pk, role=Role.ORG_ADMIN)
    return user


def cases() -> dict[str, tuple[Any, Any]]:
    """Every kind of filter, for the coordinator (user None: the whole network) and for one
    organisation's administrator (its own figures only)."""
    from matchmaking.monitoring.filters import CockpitFilters
    from matchmaking.organisations.models import Organisation

    some = Organisation.objects.select_related("region", "kind").filter(region__isnull=False).first()
    assert some is not None
    assert some.region is not None
    assert some.kind is not None
    admin = _member(some.pk)
    year = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}
    return {
        "unfiltered": (None, CockpitFilters()),
        "year 2024": (None, CockpitFilters(**year)),
        "country ES": (None, CockpitFilters(country="ES")),
        f"region {some.region.code}": (None, CockpitFilters(region=some.region.code)),
        "organisation": (None, CockpitFilters(organisation_id=some.pk)),
        f"kind {some.kind.code}": (None, CockpitFilters(kind=some.kind.code)),
        "activity type job-shadowing": (None, CockpitFilters(activity_type="job-shadowing")),
        "target group neet-youth": (None, CockpitFilters(target_group="neet-youth")),
        "combined": (
            None,
            CockpitFilters(**year, country="ES", activity_type="job-shadowing", target_group="neet-youth"),
        ),
        "no data (PT)": (None, CockpitFilters(country="PT")),
        "organisation's own, unfiltered": (admin, CockpitFilters()),
        "organisation's own, year and target group": (
            admin,
            CockpitFilters(**year, target_group="neet-youth"),
        ),
    }


def _coordinator() -> Any:
    """The partnership's coordinator (created once), for the whole network's page."""
    from matchmaking.accounts.models import User
    from matchmaking.organisations.models import Membership, Organisation, Role

    user, _created = User.objects.get_or_create(email="bench-coordinator@example.org")
    home = Organisation.objects.order_by("pk").first()
    assert home is not None
    Membership.objects.get_or_create(user=user, organisation=home, role=Role.COORDINATOR)
    return user


def _query(f: Any) -> str:
    """The cockpit's address for the filters ``f``, as its form sends them."""
    from urllib.parse import urlencode

    from matchmaking.organisations.models import Organisation

    params = {
        "date_from": f.date_from.isoformat() if f.date_from else "",
        "date_to": f.date_to.isoformat() if f.date_to else "",
        "country": f.country,
        "region": f.region,
        "organisation": Organisation.objects.get(pk=f.organisation_id).key if f.organisation_id else "",
        "kind": f.kind,
        "activity_type": f.activity_type,
        "target_group": f.target_group,
    }
    shown = {k: v for k, v in params.items() if v}
    return "/monitoring/" + (f"?{urlencode(shown)}" if shown else "")


def measure_page(repeats: int, only: str = "") -> list[tuple[str, ...]]:
    """The whole page (view, figures, template) through the test client, for each filter."""
    from django.test import Client

    coordinator = _coordinator()
    rows: list[tuple[str, ...]] = []
    for name, (user, f) in cases().items():
        if only and only not in name:
            continue
        client = Client()
        client.force_login(user or coordinator)
        address = _query(f)
        response = client.get(address)  # warm: the session, the map, the definitions
        assert response.status_code == 200, (address, response.status_code)
        assert b"form" in response.content
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(address)
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        size = f"{len(response.content) / 1024:,.0f}"
        rows.append((name, f"{statistics.median(times):.3f}", f"{p95:.3f}", f"{times[-1]:.3f}", size))
    return rows


def measure(repeats: int, live: bool, only: str = "") -> list[tuple[str, ...]]:
    from matchmaking.monitoring import selectors

    rows = []
    for name, (user, f) in cases().items():
        if only and only not in name:
            continue
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            selectors.cockpit(user=user, filters=f, live=live)
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        rows.append((name, f"{statistics.median(times):.3f}", f"{p95:.3f}", f"{times[-1]:.3f}"))
    return rows


def profile(name: str, live: bool) -> None:
    """One cockpit under cProfile, with the SQL log: the slowest functions and the slowest queries."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaking.monitoring import selectors

    user, f = next(case for key, case in cases().items() if name in key)
    selectors.cockpit(user=user, filters=f, live=live)  # warm: the map, the definitions, the targets
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        selectors.cockpit(user=user, filters=f, live=live)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"monitoring", 30)
    slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in slow)
    print(f"{len(slow)} queries, {total:.3f} s in the database; the slowest:")
    for q in slow[:12]:
        print(f"  {float(q['time']):.3f} s  {q['sql'][:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--visitors", type=int, default=10, help="visitors per exchange")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", type=Path, help="SQLite file: built if missing, else reused (migrated)")
    parser.add_argument("--live", action="store_true", help="every figure from the live tables")
    parser.add_argument("--only", default="", help="only the filters whose name contains this")
    parser.add_argument("--profile", metavar="FILTER", help="profile one cockpit (cProfile and the SQL log)")
    parser.add_argument("--page", action="store_true", help="time the whole page through the test client")
    parser.add_argument("--no-refresh", action="store_true", help="reuse the tables as the database has them")
    args = parser.parse_args()
    if not sqlite_django(args.database, "cockpit-bench-"):
        build(args.exchanges, args.visitors, args.organisations, args.seed)
    if not args.live and not args.no_refresh:
        from matchmaking.monitoring import facts

        state = facts.refresh()
        print(f"pre-aggregated tables rebuilt: {state.rows:,} rows in {state.seconds:.1f} s")
    if args.profile:
        profile(args.profile, args.live)
        return
    if args.page:
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        show(
            f"Monitoring cockpit page (whole response), {args.exchanges:,} exchanges × {args.visitors} "
            f"visitors ({machine()}, SQLite, {args.repeats} runs)",
            measure_page(args.repeats, args.only),
            ("filter", "p50 s", "p95 s", "max s", "page KB"),
        )
        return
    rows = measure(args.repeats, args.live, args.only)
    source = "live tables" if args.live else "pre-aggregated tables"
    show(
        f"Monitoring cockpit, {args.exchanges:,} exchanges × {args.visitors} visitors, {source} "
        f"({machine()}, SQLite, {args.repeats} runs)",
        rows,
        ("filter", "p50 s", "p95 s", "max s"),
    )


if __name__ == "__main__":
    main()

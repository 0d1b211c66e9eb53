"""Pages one request at a time: what each page costs alone, beside what the load test measures under load.

Against a network made by ``benchmarks/network.py``, in this one process (the Django test client, no
server): for each page, one warm-up request, then ``--repeat`` timed ones; prints the median, the
fastest and slowest, the number of queries and the page's size, and the slowest queries with
``--queries``.

    .venv/bin/python benchmarks/pages.py --data-dir var/bench-full
    .venv/bin/python benchmarks/pages.py --data-dir var/bench-full --queries 3 --page "staff /mobility/"

``--cold`` closes the database connection before each request, as a server does with ``CONN_MAX_AGE=0``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import show  # noqa: E402
from network import environment  # noqa: E402

PAGES = [
    ("staff", "/dashboard/"),
    ("staff", "/organisations/"),
    ("staff", "/organisations/?q=Organisation+001&country=SE"),
    ("staff", "/mobility/"),
    ("staff", "/mobility/?q=Generated+offer&country=ES&direction=offer"),
    ("staff", "/mobility/{opportunity}/suggestions/"),
    ("staff", "/exchanges/"),
    ("staff", "/library/"),
    ("staff", "/api/organisations?limit=50"),
    ("staff", "/api/opportunities?limit=50"),
    ("staff", "/api/exchanges?limit=50"),
    ("case-worker", "/dashboard/"),
    ("case-worker", "/participants/"),
    ("case-worker", "/participants/?clock=overdue"),
    ("case-worker", "/api/participants?limit=50"),
    ("coordinator", "/participants/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="made by benchmarks/network.py")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--page", action="append", help='"ROLE PATH" instead of the default pages')
    parser.add_argument("--queries", type=int, default=0, help="print this many slowest queries a page")
    parser.add_argument("--cold", action="store_true", help="a new database connection for each request")
    args = parser.parse_args()
    os.environ.update(environment(args.data_dir.resolve()))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    network = json.loads((args.data_dir / "network.json").read_text(encoding="utf-8"))
    pages = [tuple(p.split(" ", 1)) for p in args.page] if args.page else PAGES
    rows = [_time(network, role, path.format(**network), args) for role, path in pages]
    show(
        f"Pages alone: {network['database']}, {network['organisations']} organisations, "
        f"{network['opportunities']} opportunities, {network['participants']} participants",
        rows,
        ("role", "page", "median ms", "min–max ms", "queries", "KB"),
    )
    return 0


def _time(network: dict, role: str, path: str, args: argparse.Namespace) -> tuple[str, ...]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from matchmaking.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=network["accounts"][role]))
    response = client.get(path)
    if response.status_code != 200:
        return (role, path, f"status {response.status_code}", "", "", "")
    times = []
    for _ in range(args.repeat):
        if args.cold:
            connection.close()
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[: args.queries]:
        print(f"  {role} {path}: {float(query['time']) * 1000:.0f} ms  {query['sql'][:300]}")
    return (
        role,
        path,
        f"{statistics.median(times):.0f}",
        f"{min(times):.0f}–{max(times):.0f}",
        str(len(captured.captured_queries)),
        f"{len(response.content) / 1024:.0f}",
    )


if __name__ == "__main__":
    raise SystemExit(main())

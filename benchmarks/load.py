"""Load test: gunicorn on 127.0.0.1 (a random free port) serving a network from benchmarks/network.py,
and locust, headless, logged in as each role (coordinator, organisation administrator, staff, case
worker), for a bounded time and number of requests. Prints p50, p95, max and errors for each page and
role, with the machine's load average. The server keeps its database connections between requests
(``CONN_MAX_AGE=60``, as docs/deployment.md sets up production) unless the environment says otherwise.

    .venv/bin/python benchmarks/network.py --data-dir var/bench --organisations 1000 --participants 10000
    .venv/bin/python benchmarks/load.py --data-dir var/bench --users 4 --run-time 60
    .venv/bin/python benchmarks/load.py --postgres --organisations 1000 --participants 10000

``--postgres`` runs everything (network generation included) against a throwaway PostgreSQL server
started by scripts/with-postgres.sh.
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import machine  # noqa: E402
from network import environment  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own http://127.0.0.1 address
                return
        except urllib.error.HTTPError:  # 503 from /healthz without a worker: the server is up
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer on {url}")


def run(args: argparse.Namespace) -> int:
    env = environment(args.data_dir)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env.update(
        ALLOWED_HOSTS="127.0.0.1", GUNICORN_WORKERS=str(args.workers), GUNICORN_THREADS=str(args.threads)
    )
    env.update(GUNICORN_ACCESS_LOG=str(args.data_dir / "access.log"))
    # Connections kept between requests, as docs/deployment.md sets up production; CONN_MAX_AGE=0 in
    # the environment measures a new connection per request instead.
    env.setdefault("CONN_MAX_AGE", "60")
    log = (args.data_dir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:matchmaking.config.gunicorn",
         "--bind", f"127.0.0.1:{port}", "matchmaking.cli.wsgi_proxied:application"],
        env=env, cwd=ROOT, stderr=log,
    )  # fmt: skip
    try:
        wait_until_up(f"{host}/healthz")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            load_env = {**env, "NETWORK_FILE": str(args.data_dir / "network.json")}
            load_env["LOAD_MAX_REQUESTS"] = str(args.max_requests)
            before = os.getloadavg()
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
                 "--headless",
                 "--host", host, "--users", str(args.users), "--spawn-rate", str(args.users),
                 "--run-time", f"{args.run_time}s", "--stop-timeout", "10", "--csv", str(prefix),
                 "--only-summary", "--loglevel", "WARNING"],
                env=load_env, cwd=ROOT, check=False,
            )  # fmt: skip
            after = os.getloadavg()
            report(prefix.with_name("load_stats.csv"), args, before, after, env["CONN_MAX_AGE"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return 0


def report(
    stats: Path,
    args: argparse.Namespace,
    before: tuple[float, ...],
    after: tuple[float, ...],
    conn_max_age: str,
) -> None:
    import json

    network = json.loads((args.data_dir / "network.json").read_text(encoding="utf-8"))
    print(
        f"\n{network['database']}: {network['organisations']} organisations, {network['opportunities']} "
        f"opportunities, {network['participants']} participants, {network['placements']} placements; "
        f"{args.users} users, gunicorn {args.workers}×{args.threads}, CONN_MAX_AGE={conn_max_age}, "
        f"{args.run_time} s"
    )
    print(f"{machine()}; load average {before[0]:.1f} before, {after[0]:.1f} after\n")
    print(f"{'page':<44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    with stats.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated" or "login" in row["Name"]:
                continue
            print(
                f"{row['Name']:<44} {row['Request Count']:>8} {row['Failure Count']:>6} "
                f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a network made by benchmarks/network.py")
    parser.add_argument("--users", type=int, default=4, help="concurrent simulated users")
    parser.add_argument("--run-time", type=int, default=60, help="seconds")
    parser.add_argument("--max-requests", type=int, default=5000, help="stop after this many requests")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument(
        "--postgres", action="store_true", help="generate and serve on a throwaway PostgreSQL"
    )
    parser.add_argument("--organisations", type=int, default=1000, help="with --postgres: network size")
    parser.add_argument("--participants", type=int, default=10_000, help="with --postgres: network size")
    parser.add_argument("--placements", type=int, default=500, help="with --postgres: network size")
    args, _ = parser.parse_known_args()
    if args.postgres and "DATABASE_URL" not in os.environ:
        data_dir = Path(tempfile.mkdtemp(prefix="matchmaking-load-"))
        python = sys.executable
        inner = (
            f"{python} {ROOT / 'benchmarks' / 'network.py'} --data-dir {data_dir} "
            f"--organisations {args.organisations} --participants {args.participants} "
            f"--placements {args.placements} && "
            f"{python} {Path(__file__).resolve()} --data-dir {data_dir} --users {args.users} "
            f"--run-time {args.run_time} --max-requests {args.max_requests} --workers {args.workers} "
            f"--threads {args.threads}"
        )
        return subprocess.run(
            ["bash", str(ROOT / "scripts" / "with-postgres.sh"), "bash", "-c", inner]
        ).returncode
    if args.data_dir is None:
        parser.error("--data-dir is required (or --postgres)")
    args.data_dir = args.data_dir.resolve()
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())

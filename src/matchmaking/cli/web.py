"""Subcommands of ``matchmaking`` that run the web application and its database jobs.

This is the one module of the command that imports inside functions, and only what needs Django:
settings, models, services and management commands can only be imported once ``django.setup()`` has
run, and that happens when one of these subcommands is chosen (``_django_setup``), not when the
parser is built. Importing them at the top would make every run of ``matchmaking``, including
``--help`` and the file-only ``suggest`` and ``allocate``, configure Django and need its settings.
Modules that work without Django are imported at the top as usual.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from waitress.proxy_headers import proxy_headers_middleware

from matchmaking.interchange.document import InterchangeError, read_document

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Any]


def _django_setup(profile: str = "dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"matchmaking.config.settings.{profile}")
    import django

    django.setup()


def register(sub: Any) -> None:
    """Add the subcommands that need Django; each sets Django up before it runs."""

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text, description=help_text)

        def run(args: argparse.Namespace) -> int:
            _django_setup()
            return handler(args)

        parser.set_defaults(handler=run)
        return parser

    p = add(
        "demo", cmd_demo, "Set up the demo database and data, then serve the app with a background worker."
    )
    p.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "8000")), help="port (default 8000 or $PORT)"
    )
    p.add_argument("--no-serve", action="store_true", help="only prepare the database and demo data")

    p = add("serve", cmd_serve, "Serve the web application (waitress) on 127.0.0.1.")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--threads", type=int, default=8)

    p = add("worker", cmd_worker, "Run background tasks, and the periodic jobs every minute.")
    p.add_argument("--no-periodic", action="store_true", help="do not run the periodic jobs")
    p.add_argument(
        "--queues",
        default="*",
        help="the task queues to serve, comma-separated: default, batch (default: * for all)",
    )
    p.add_argument("--periodic-interval", type=int, default=60, help="seconds between periodic runs")

    p = add(
        "run-periodic", cmd_run_periodic, "Run the periodic jobs that are due (for cron or a systemd timer)."
    )
    p.add_argument("--force", action="store_true", help="run every job now, due or not")
    p.add_argument("--job", help="run only this job")
    p.add_argument("--list", action="store_true", help="list the jobs and when they last ran")

    p = add(
        "import",
        cmd_import,
        "Import organisations, opportunities and exchanges from an interchange JSON file.",
    )
    p.add_argument("file", type=Path, help="interchange file (JSON)")
    p.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    p = add(
        "export", cmd_export, "Export organisations, opportunities and exchanges to an interchange JSON file."
    )
    p.add_argument("file", help="output file, or - for standard output")

    # Erasmus+-style per-mobility export (exchanges and placements abroad).
    p = add(
        "export-mobilities",
        cmd_export_mobilities,
        "Export one row per mobility (Erasmus+ Beneficiary Module style) to FILE.csv or FILE.xlsx.",
    )
    p.add_argument("file", type=Path, help="FILE.csv (plus FILE-summary.csv) or FILE.xlsx")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="mobilities ending on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="mobilities starting on or before")
    p.add_argument("--organisation", help="only mobilities this organisation (identifier) sends or receives")

    p = add("indicators", cmd_indicators, "Print the monitoring indicators, small counts suppressed.")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="mobilities starting on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="mobilities starting on or before")
    p.add_argument("--region", metavar="CODE", help="a NUTS 2024 level-2 region (either side of a mobility)")
    p.add_argument("--format", dest="fmt", choices=("json", "csv"), default="json")
    p.add_argument("--refresh", action="store_true", help="rebuild the pre-aggregated tables first")

    p = add("migrate", cmd_migrate, "Create or update the database tables.")

    p = add("createcoordinator", cmd_createcoordinator, "Create a network coordinator account.")
    p.add_argument("email")
    p.add_argument(
        "--organisation", required=True, help="identifier of the network secretariat's organisation"
    )
    p.add_argument("--name", default="")

    p = sub.add_parser("manage", help="Run a Django management command.", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_manage)


def _manage(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["matchmaking manage", *args.rest])
    return 0


def _print(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    call_command("createcachetable", verbosity=0)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:

    from matchmaking.demo.services import demo_load, demo_password

    cmd_migrate(args)
    result = demo_load()
    _print(f"Demo data: {result.summary}; {result.users_created} new demo users.")
    for line in result.extensions:
        _print(f"  {line}")
    _print("")
    _print(f"Demo logins (password for all: {demo_password()}):")
    for user in result.users:
        _print(f"  {user.role:<12} {user.email:<36} {user.organisation}")
    if args.no_serve:
        return 0
    if "SITE_URL" not in os.environ:
        # Links in the demo's emails point at the port it actually serves on (the worker inherits it).
        from django.conf import settings

        os.environ["SITE_URL"] = settings.SITE_URL = f"http://127.0.0.1:{args.port}"
    _print("")
    _print(f"Serving on http://127.0.0.1:{args.port}/  (log in at /accounts/login/; Ctrl-C stops everything)")
    return _serve_with_worker(args.port)


def _serve_with_worker(port: int) -> int:
    """Start the workers as child processes (one for the default queue with the periodic jobs, one for
    the batch queue, so a long computation never holds back emails) and serve in this one; Ctrl-C stops
    them all."""
    command = [sys.executable, "-m", "matchmaking.cli", "worker"]
    workers = [
        subprocess.Popen([*command, "--queues", "default"], env=os.environ.copy()),
        subprocess.Popen([*command, "--queues", "batch", "--no-periodic"], env=os.environ.copy()),
    ]
    try:
        return _waitress(host="127.0.0.1", port=port, threads=8)
    except KeyboardInterrupt:
        return 0
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


# The headers a trusted proxy sets (see docs/deployment.md): the client's address, the scheme and the
# host name the browser used.
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}


def behind_proxies(application: WSGIApplication, proxies: list[str]) -> WSGIApplication:
    """``application`` believing the forwarded headers only of a request that comes from ``proxies``.

    From such a proxy, waitress's own proxy handling (the one its ``trusted_proxy`` option turns on)
    takes the client's address, scheme and host from the headers, trusting the last hop only; from
    anyone else every forwarded header is removed before Django sees it. Waitress trusts a single
    address; this dispatch lets ``TRUSTED_PROXIES`` list several, and networks.
    """
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]
    trusting = proxy_headers_middleware(
        application, trusted_proxy="*", trusted_proxy_count=1, trusted_proxy_headers=PROXY_HEADERS
    )
    distrusting = proxy_headers_middleware(application, trusted_proxy=None, clear_untrusted=True)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            return distrusting(environ, start_response)
        if any(peer in network for network in networks):
            return trusting(environ, start_response)
        return distrusting(environ, start_response)

    return app


def _waitress(*, host: str, port: int, threads: int) -> int:
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import serve
    from whitenoise import WhiteNoise  # noqa: F401  (static files are served by the middleware)

    serve(
        behind_proxies(get_wsgi_application(), settings.TRUSTED_PROXIES),
        host=host,
        port=port,
        threads=threads,
        ident="matchmaking",
        # behind_proxies has already dealt with the forwarded headers; waitress's own pass would remove
        # them all, since on its own it trusts no proxy.
        clear_untrusted_proxy_headers=False,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings

    proxies = ", ".join(settings.TRUSTED_PROXIES) or "none (set TRUSTED_PROXIES behind a reverse proxy)"
    _print(f"Serving on http://{args.host}:{args.port}/  (trusted proxies: {proxies})")
    try:
        return _waitress(host=args.host, port=args.port, threads=args.threads)
    except KeyboardInterrupt:
        return 0


def _periodic_loop(interval: int, stop: threading.Event) -> None:
    from django.db import close_old_connections

    from matchmaking.core.periodic import run_periodic

    while not stop.is_set():
        try:
            for name, summary in run_periodic():
                _print(f"[periodic] {name}: {summary}")
        finally:
            close_old_connections()
        stop.wait(interval)


def cmd_worker(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    stop = threading.Event()
    if not args.no_periodic:
        threading.Thread(target=_periodic_loop, args=(args.periodic_interval, stop), daemon=True).start()
    try:
        call_command("db_worker", interval=1, reload=False, queue_name=args.queues)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0


def cmd_run_periodic(args: argparse.Namespace) -> int:
    from matchmaking.core.periodic import registered_jobs, run_periodic

    if args.list:
        from matchmaking.core.models import PeriodicJobRun

        runs = {r.name: r for r in PeriodicJobRun.objects.all()}
        for job in registered_jobs():
            run = runs.get(job.name)
            last = f"{run.last_started_at:%Y-%m-%d %H:%M}" if run and run.last_started_at else "never"
            _print(f"{job.name:<28} every {job.every}  last run: {last}  {job.description}")
        return 0
    known = {job.name for job in registered_jobs()}
    if args.job and args.job not in known:
        sys.stderr.write(f"error: unknown job {args.job!r}; known: {', '.join(sorted(known))}\n")
        return 2
    failed = False
    for name, summary in run_periodic(force=args.force, only=args.job):
        _print(f"{name}: {summary}")
        failed = failed or summary.startswith("failed")
    return 1 if failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    from matchmaking.interchange.services import (
        interchange_check,
        interchange_import,
        known_opportunity_keys,
        known_organisation_keys,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    started = time.perf_counter()
    try:
        with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
            reading = bar.add_task("reading the file", total=None)
            document = read_document(args.file, known_organisation_keys(), known_opportunity_keys())
            bar.update(reading, total=1, completed=1)
            stages: dict[str, Any] = {}

            def step(stage: str, done: int, total: int) -> None:
                if stage not in stages:
                    stages[stage] = bar.add_task(stage, total=total)
                bar.update(stages[stage], completed=done, total=total)

            if args.dry_run:
                summary = interchange_check(actor=None, document=document, progress=step)
            else:
                summary = interchange_import(actor=None, document=document, progress=step)
    except InterchangeError as exc:
        sys.stderr.write(f"error: {args.file}: nothing was imported.\n")
        for problem in exc.problems:
            sys.stderr.write(f"  {problem}\n")
        return 1
    seconds = time.perf_counter() - started
    if args.dry_run:
        _print(
            f"{args.file}: valid (format version {document.format_version}), nothing written; "
            f"an import would give {summary} ({seconds:.1f} s)"
        )
        return 0
    _print(f"{args.file}: imported – {summary} ({seconds:.1f} s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from matchmaking.interchange.selectors import interchange_export

    text = json.dumps(interchange_export(), ensure_ascii=False, indent=2) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        _print(f"exported to {args.file}")
    return 0


def cmd_export_mobilities(args: argparse.Namespace) -> int:
    from matchmaking.monitoring.mobilities import export_mobilities_file

    try:
        _print(export_mobilities_file(args.file, args.date_from, args.date_to, args.organisation))
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    from matchmaking.monitoring.report import indicators_report, refresh_facts

    if args.refresh:
        sys.stderr.write(refresh_facts() + "\n")
    try:
        _print(indicators_report(args.date_from, args.date_to, args.region, args.fmt))
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


def cmd_createcoordinator(args: argparse.Namespace) -> int:
    from matchmaking.accounts.models import User
    from matchmaking.organisations.models import Organisation, Role
    from matchmaking.organisations.services import membership_add

    organisation = Organisation.objects.filter(key=args.organisation).first()
    if organisation is None:
        sys.stderr.write(f"error: --organisation: no organisation with identifier {args.organisation!r}\n")
        return 1
    password = os.environ.get("COORDINATOR_PASSWORD") or getpass.getpass("Password: ")
    user = User.objects.filter(email=args.email.lower()).first() or User.objects.create_user(
        email=args.email, password=password, name=args.name
    )
    membership_add(actor=None, organisation=organisation, user=user, role=Role.COORDINATOR)
    _print(f"{user.email} is a coordinator of {organisation.name}.")
    return 0

"""``matchmaking suggestions``: refresh the stored partner suggestions from the command line.

``suggestions refresh --all`` recomputes every one (what the nightly job queues for the batch worker),
with a progress bar, and prints the time it took; without ``--all`` it refreshes the opportunities
never computed yet, and those a change to ``--organisation`` or ``--opportunity`` affects.
``suggestions status`` shows the progress of a full refresh running in the worker, or the last one.

Like ``web``, this module imports what needs Django inside the functions, after ``django.setup()``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from matchmaking.cli.web import _django_setup


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "suggestions",
        help="Refresh the stored partner suggestions, or show how the last refresh went.",
        description="Refresh the stored partner suggestions, or show how the last refresh went.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "refresh",
        help="Recompute suggestions: all of them, or those never computed and those changes affect.",
        description="Recompute suggestions: all of them (--all), or those never computed yet and those "
        "a change to the given organisations and opportunities affects.",
    )
    p.add_argument("--all", action="store_true", help="recompute every opportunity's suggestions")
    p.add_argument(
        "--rewrite",
        action="store_true",
        help="write every list again, also those that rank as stored (after relabelling topics, say)",
    )
    p.add_argument("--organisation", action="append", default=[], metavar="KEY", help="a changed profile")
    p.add_argument("--opportunity", action="append", default=[], metavar="KEY", help="a changed listing")
    p.set_defaults(handler=_run(cmd_refresh))
    p = actions.add_parser("status", help="Progress of the running full refresh, or the last one.")
    p.set_defaults(handler=_run(cmd_status))


def _run(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        _django_setup()
        result: int = handler(args)
        return result

    return run


def cmd_refresh(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from matchmaking.mobility import suggestion_refresh
    from matchmaking.mobility.models import Opportunity

    console = Console(stderr=True)
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        job = bar.add_task("suggestions", total=None)

        def step(done: int, total: int) -> None:
            bar.update(job, completed=done, total=total)

        if args.all:
            count = suggestion_refresh.refresh_all(progress=step, rewrite=args.rewrite)
        else:
            as_of = timezone.now()
            scored = suggestion_refresh.network_and_index()
            keys = set(
                suggestion_refresh.affected(
                    organisations=args.organisation, opportunities=args.opportunity, scored=scored
                )
            )
            keys |= set(
                Opportunity.objects.filter(
                    status__in=suggestion_refresh.NOT_CLOSED, suggestion_run__isnull=True
                ).values_list("key", flat=True)
            )
            targets = suggestion_refresh.refresh_targets(keys)
            count = (
                suggestion_refresh.refresh(
                    targets, progress=step, scored=scored, as_of=as_of, rewrite=args.rewrite
                )
                if targets
                else 0
            )
    seconds = time.perf_counter() - started
    print(f"suggestions refreshed for {count} opportunities in {seconds:.1f} s")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from matchmaking.mobility.suggestion_refresh import refresh_status

    status = refresh_status()
    if status is None:
        print("no full refresh recorded")
    elif status.running:
        print(
            f"full refresh running: {status.done} of {status.total} ({status.percent} %), {status.seconds} s"
        )
    else:
        print(f"last full refresh: {status.done} of {status.total} opportunities in {status.seconds} s")
    return 0

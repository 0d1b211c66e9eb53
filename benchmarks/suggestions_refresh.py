"""How long refreshing partner suggestions takes on a large network: all of them, and after one change.

Generates a network (``import_network.generate_document``: N organisations with K opportunities each)
and imports it with the project's own import service into a fresh SQLite database in a temporary
directory (or into ``DATABASE_URL`` when given, e.g. through ``scripts/with-postgres.sh``), then times:

* reading the network and building the candidate index and the arrays (``suggestion_cache.read``);
* the full refresh (``suggestion_cache.refresh_all``, measured), or, with ``--sample S``, the array
  scoring and top cut of every list (measured) and the refresh of S opportunities (extrapolated);
* the refresh after one organisation's profile change and after one listing's change, as the worker
  runs it with the network kept in memory (``suggestion_cache.refresh_changed``'s steps).

    .venv/bin/python benchmarks/suggestions_refresh.py --organisations 1000 --per-organisation 3
    .venv/bin/python benchmarks/suggestions_refresh.py --organisations 10000 --per-organisation 3 --sample 300
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/suggestions_refresh.py --organisations 1000
    .venv/bin/python benchmarks/suggestions_refresh.py --organisations 1000 --sample 200 --profile
    .venv/bin/python benchmarks/suggestions_refresh.py --organisations 10000 --processes 2 1 --no-vectors

``--processes`` (default: the setting's, the cores up to 2) runs the full refresh and the two change
refreshes once per number of processes given (``SUGGESTION_REFRESH_PROCESSES``), in the same run: 1 is
the baseline of one process. CPU times include the forked processes'. Only the first full refresh
writes into a table that was never filled: the later ones reuse the pages the benchmark emptied, which
SQLite writes faster, so give first the number of processes whose first refresh matters.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.common import cpu_seconds_with_children as cpu_seconds  # noqa: E402
from benchmarks.common import peak_rss_gb, show  # noqa: E402
from benchmarks.import_network import generate_document  # noqa: E402


def _setup(home: Path) -> None:
    for key in [k for k in os.environ if k.startswith("DJANGO_")]:
        del os.environ[key]
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{home / 'matchmaking.sqlite3'}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="matchmaking.config.settings.dev",
        MATCHMAKING_DATA_DIR=str(home),
        ESCO_WARM_ON_START="false",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--per-organisation", type=int, default=3, help="opportunities per organisation")
    parser.add_argument("--sample", type=int, help="refresh only this many, and extrapolate the full run")
    parser.add_argument("--profile", action="store_true", help="print the costliest functions of the refresh")
    parser.add_argument("--profile-sort", default="tottime", help="pstats order (tottime, cumulative)")
    parser.add_argument("--no-vectors", action="store_true", help="score without description vectors")
    parser.add_argument(
        "--processes", type=int, nargs="+", help="processes of the refresh, each measured (e.g. 2 1)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        if args.no_vectors:
            from django.conf import settings

            settings.PARTNER_DESCRIPTION_VECTORS = False
        return _run(args)


class _CollectorTime:
    """Seconds the cycle collector ran, by generation (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0
        gc.callbacks.append(self._record)

    def _record(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._started

    def note(self) -> str:
        return "cycle collector " + ", ".join(f"gen{g} {s:.1f} s" for g, s in enumerate(self.seconds))


def _run(args: argparse.Namespace) -> int:
    from django.db import connection

    from matchmaking.interchange.document import parse_document
    from matchmaking.interchange.services import interchange_import
    from matchmaking.mobility import suggestion_cache, suggestion_refresh
    from matchmaking.mobility.models import Opportunity

    rows: list[tuple[str, ...]] = []
    document = generate_document(args.organisations, opportunities_per_organisation=args.per_organisation)
    started = time.perf_counter()
    interchange_import(actor=None, document=parse_document(document))
    total = Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED).count()
    rows.append(
        ("import (interchange service)", f"{time.perf_counter() - started:.1f}", f"{total} opportunities")
    )

    cpu, started = cpu_seconds(), time.perf_counter()
    suggestion_refresh.network_and_index()
    rows.append(
        (
            "first read (embeds new texts)",
            f"{time.perf_counter() - started:.1f}",
            f"CPU {cpu_seconds() - cpu:.1f} s",
        )
    )
    cpu, started = cpu_seconds(), time.perf_counter()
    batch = suggestion_cache.read()
    build = time.perf_counter() - started
    rows.append(("read network + index + arrays", f"{build:.1f}", f"CPU {cpu_seconds() - cpu:.1f} s"))
    network = batch.network
    keys = sorted(network.opportunities)
    rng = random.Random(3)
    probe = rng.sample(keys, min(200, len(keys)))
    counts = [len(batch.candidate_rows(k)) for k in probe]
    rows.append(
        (
            "candidates (mean of 200)",
            "",
            f"{sum(counts) / len(counts):.0f} of {len(keys)} after every hard rule",
        )
    )

    from django.conf import settings

    for processes in args.processes or [settings.SUGGESTION_REFRESH_PROCESSES]:
        settings.SUGGESTION_REFRESH_PROCESSES = processes
        rows.append((f"--- {processes or 'default'} process(es) ---", "", ""))
        rows += _refreshes(args, batch, keys, rng, processes)
    rows.append(("peak memory", f"{peak_rss_gb():.2f} GB", connection.vendor))
    show(
        f"Suggestion refresh: {args.organisations} organisations, {total} opportunities",
        rows,
        ("step", "seconds", "notes"),
    )
    return 0


def _refreshes(args: argparse.Namespace, batch, keys: list[str], rng: random.Random, processes: int) -> list:
    """The full refresh (or the sample) and the refresh after one profile and one listing change."""
    from matchmaking.mobility import matching, suggestion_cache, suggestion_refresh
    from matchmaking.mobility.models import Opportunity, Suggestion, SuggestionRun
    from matchmaking.organisations.models import Organisation
    from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Term

    rows: list[tuple[str, ...]] = []
    total = len(keys)
    profiler = cProfile.Profile() if args.profile else None
    targets = suggestion_refresh.refresh_targets()
    if args.sample:
        # Every list is scored and cut (what a change needs to know of it), then a sample is written.
        cpu, started = cpu_seconds(), time.perf_counter()
        pairs = batch.rank(keys, top=matching.TOP_PARTNERS + 10, weights=matching.WEIGHTS)
        suggestion_cache.learn(batch)
        ranked = time.perf_counter() - started
        ranked_cpu = cpu_seconds() - cpu
        rows.append(
            (
                f"array scores and top cut, all {len(keys)}",
                f"{ranked:.1f}",
                f"CPU {ranked_cpu:.1f} s, {pairs} pairs",
            )
        )
        targets = rng.sample(targets, min(args.sample, len(targets)))
    if not args.sample:
        # The first full refresh: nothing stored yet (as after an import), so every list is written.
        SuggestionRun.objects.all().delete()
        Suggestion.objects.all().delete()
    collector = _CollectorTime()
    cpu, started = cpu_seconds(), time.perf_counter()
    if profiler:
        profiler.enable()
    if args.sample:
        done = suggestion_refresh.refresh(targets, scored=batch)
        suggestion_cache.learn(batch)
    else:
        done = suggestion_cache.refresh_all()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    spent = cpu_seconds() - cpu
    if args.sample:
        rows.append(
            (
                f"refresh of a sample of {done}",
                f"{seconds:.1f}",
                f"{seconds / done * 1000:.1f} ms each, CPU {spent:.1f} s "
                f"({spent / done * 1000:.1f} ms each); full refresh ≈ CPU "
                f"{spent / done * total:.0f} s (sample extrapolated, not measured); {collector.note()}",
            )
        )
    else:
        rows.append(
            (
                f"first full refresh of {done} (read included, measured)",
                f"{seconds:.1f}",
                f"CPU {spent:.1f} s, {Suggestion.objects.count()} rows; {collector.note()}",
            )
        )

    org = Organisation.objects.filter(opportunities__isnull=False).order_by("key").first()
    assert org is not None
    org.hosting_capacity += 1
    org.save()
    org.languages.set(Term.objects.filter(scheme=LANGUAGES_SCHEME, code__in=["en", "is"]))
    org.target_groups.set(Term.objects.filter(scheme="target-groups").order_by("code")[:3])
    change_profiler = cProfile.Profile() if args.profile else None
    rows.append(_change(args, "one profile change", {"organisations": [org.key]}, change_profiler))
    opp = Opportunity.objects.filter(status=Opportunity.Status.OPEN).order_by("key").last()
    assert opp is not None
    opp.languages.set(Term.objects.filter(scheme=LANGUAGES_SCHEME, code__in=["is"]))
    rows.append(_change(args, "one listing change", {"opportunities": [opp.key]}))
    if not args.sample:
        rows.append(_nightly())
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.profile_sort).print_stats(40)
        print(out.getvalue())
    return rows


def _nightly() -> tuple[str, str, str]:
    """The full refresh again, as the nightly job runs it after the changes above: the network read
    again, every list scored, written only where it ranks differently from the stored one or
    concerns a record saved since (``suggestion_rows.unchanged``)."""
    from matchmaking.mobility import suggestion_cache

    cpu, started = cpu_seconds(), time.perf_counter()
    done = suggestion_cache.refresh_all()
    seconds = time.perf_counter() - started
    current = suggestion_cache.kept()
    same = current.batch.stats["unchanged"] if current is not None else 0
    note = f"CPU {cpu_seconds() - cpu:.1f} s; {done - same} written, {same} found unchanged"
    return ("full refresh again (nightly, read included)", f"{seconds:.1f}", note)


def _change(
    args: argparse.Namespace,
    what: str,
    changed: dict[str, list[str]],
    profiler: cProfile.Profile | None = None,
) -> tuple[str, str, str]:
    """The refresh after a change, as the worker runs it: the network kept in memory, the changed
    records read again, only what the change can affect re-scored (measured, never extrapolated)."""
    from matchmaking.mobility import suggestion_cache, suggestion_refresh

    cpu, started = cpu_seconds(), time.perf_counter()
    if profiler:
        profiler.enable()
    with suggestion_refresh.collector_paused():  # as ``suggestion_cache.refresh_changed`` runs them
        batch, before = suggestion_cache.current(**changed)
        keys = suggestion_cache.affected(batch, before, **changed)
        found = time.perf_counter() - started
        same = batch.stats["unchanged"]
        suggestion_refresh.refresh(
            suggestion_refresh.refresh_targets(keys), scored=batch, as_of=suggestion_cache.synced(batch)
        )
        same = batch.stats["unchanged"] - same
        suggestion_cache.learn(batch)
    seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.profile_sort).print_stats(30)
        print(f"--- {what} ---\n{out.getvalue()}")
    kept = "kept network" if before is not None else "network read again"
    note = (
        f"{len(keys)} re-scored, {len(keys) - same} written ({kept}, patch + find {found:.1f} s), "
        f"CPU {cpu_seconds() - cpu:.1f} s"
    )
    return (f"after {what}", f"{seconds:.1f}", note)


if __name__ == "__main__":
    sys.exit(main())

"""Subcommands of ``matchmaking`` that run the engine on files (``suggest``, ``allocate``): no database.

Bad input ends the command with exit status 2 and a message naming the file, the record or row, the
field and the value; nothing is written then. Messages are written as plain lines, never wrapped to
the terminal's width, so a message piped into a log or another program stays one line that can be
searched for; rich is kept for the progress bar and the tables.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from matchmaking.cli.allocation_files import (
    GROUP,
    InputError,
    check_preference_ids,
    read_participants,
    read_placements,
    result_rows,
    write_results,
)
from matchmaking.engine.allocation_round import OPTIMAL, STABLE, RoundResult, run_round
from matchmaking.engine.near_misses import NEAR_MISS_WHEN_FEWER, near_misses
from matchmaking.engine.network import Network
from matchmaking.engine.partners import (
    PartnerSuggestion,
    PartnerWeights,
    organisations_to_invite,
    suggest_partners,
)
from matchmaking.engine.ranking import top_k
from matchmaking.engine.reasons import Reason
from matchmaking.engine.shortlist import SHORTLIST, run_round_shortlisted
from matchmaking.interchange.document import InterchangeError, read_document
from matchmaking.taxonomies import codelists
from matchmaking.taxonomies.regions import load_regions

BAD_INPUT = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommands that work on files to the ``matchmaking`` parser."""
    suggest = sub.add_parser(
        "suggest",
        help="suggest partners for one opportunity of an interchange file",
        description="Rank the opportunities (or, with --invite, the organisations without one) that "
        "fit one opportunity, with a score and reasons.",
    )
    suggest.add_argument("--data", required=True, type=Path, metavar="FILE.json", help="interchange file")
    suggest.add_argument("--for", dest="opportunity", required=True, metavar="OPPORTUNITY_ID")
    suggest.add_argument("--top", type=int, default=10, metavar="K", help="how many (default 10)")
    suggest.add_argument("--format", choices=("table", "json"), default="table")
    suggest.add_argument("--invite", action="store_true", help="organisations with no opportunity to invite")
    suggest.add_argument(
        "--spread-countries",
        type=float,
        default=0.0,
        metavar="POINTS",
        help="re-rank to spread countries: points off per better suggestion from the same country",
    )
    suggest.add_argument(
        "--semantic",
        action="store_true",
        help="also compare the descriptions in meaning with the text model (slower: every description "
        "is embedded)",
    )
    suggest.set_defaults(handler=suggest_command)

    allocate = sub.add_parser(
        "allocate",
        help="allocate participants to placements from CSV files",
        description="Rank the placements for every participant, score and explain each one's best "
        "(every pair when there are few placements, or when preferences are stated), allocate "
        "(stable or optimal), write one row per participant and print a summary with placement "
        "rates per group.",
    )
    allocate.add_argument("--participants", required=True, type=Path, metavar="P.csv")
    allocate.add_argument("--placements", required=True, type=Path, metavar="Q.csv")
    allocate.add_argument("--method", required=True, choices=(STABLE, OPTIMAL))
    allocate.add_argument("--out", required=True, type=Path, metavar="R.csv")
    allocate.add_argument(
        "--floor",
        type=int,
        default=0,
        metavar="N",
        help="optimal only: place at least N participants flagged 'fewer opportunities'",
    )
    allocate.add_argument(
        "--shortlist",
        type=int,
        default=SHORTLIST,
        metavar="K",
        help=f"score and explain each participant's K best placements they can take (default {SHORTLIST})",
    )
    allocate.add_argument(
        "--dask",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="rank on a Dask cluster: the scheduler at ADDRESS, else $DASK_SCHEDULER_ADDRESS, "
        "else two local workers",
    )
    allocate.set_defaults(handler=allocate_command)


def _fail(messages: list[str], heading: str) -> int:
    """Report bad input on standard error, one unwrapped line per message."""
    print(heading, file=sys.stderr)
    for message in messages:
        print(f"  {message}", file=sys.stderr)
    print("Nothing was written.", file=sys.stderr)
    return BAD_INPUT


def _labeller() -> Callable[[str], str]:
    """Labels from the taxonomy files when present; the engine itself never needs them."""
    try:
        schemes = [
            codelists.load_scheme(name)
            for name in (codelists.PRACTICE_TOPICS, codelists.TARGET_GROUPS, codelists.OPPORTUNITY_TYPES)
        ]
    except (OSError, KeyError, ValueError):
        return lambda code: code.replace("-", " ")
    labels = {t.code: t.label("en") for scheme in schemes for t in scheme.terms}
    return lambda code: labels.get(code, code.replace("-", " "))


def suggest_command(args: argparse.Namespace) -> int:
    """``matchmaking suggest``: partner suggestions for one opportunity of an interchange file."""
    try:
        document = read_document(args.data)
    except InterchangeError as exc:
        return _fail(exc.problems, f"{args.data}: the file cannot be used")
    network = Network.from_records(
        document.organisations, document.opportunities, labels=_labeller(), region_names=_region_names()
    )
    if args.opportunity not in network.opportunities:
        known = ", ".join(sorted(network.opportunities)[:10])
        return _fail(
            [f"{args.data}, field 'opportunities[].id', value {args.opportunity!r}: no such opportunity "
             f"(some known ids: {known})"],
            "Unknown opportunity",
        )  # fmt: skip
    if args.top < 1:
        return _fail([f"--top, value {args.top!r}: give a number of 1 or more"], "Bad option")
    if args.semantic:
        network.vectors = _vectors(network)
    weights = PartnerWeights(country_spread=args.spread_countries)
    rank = organisations_to_invite if args.invite else suggest_partners
    found = rank(network, args.opportunity, top=args.top, weights=weights)
    if args.format == "json":
        json.dump([_as_json(s) for s in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_suggestions(network, args.opportunity, found)
    if not args.invite and len(found) < NEAR_MISS_WHEN_FEWER:
        _print_near_misses(network, near_misses(network, args.opportunity, top=args.top, weights=weights))
    return 0


def _region_names() -> dict[str, str]:
    """NUTS code → region name, so that a request naming a region can be read."""
    try:
        return {code: region.name for code, region in load_regions().items()}
    except (OSError, ValueError):
        return {}


def _vectors(network: Network) -> dict[str, Any]:
    """Description vectors from the text model; none (with a notice) when it cannot load."""
    from matchmaking.engine.text_model import text_model

    model = text_model()
    if model is None:
        print(
            "The text model is not available: descriptions are compared by key words only.", file=sys.stderr
        )
        return {}
    texts = [(key, text) for key, text in network.description_texts() if text.strip()]
    if not texts:
        return {}
    vectors = model.embed_passages([text for _, text in texts])
    return {key: vectors[i] for i, (key, _) in enumerate(texts)}


def _as_json(s: PartnerSuggestion) -> dict[str, Any]:
    return {
        "organisation": s.organisation,
        "opportunity": s.opportunity,
        "country": s.country,
        "score": s.score,
        "breakdown": {p.name: {"fit": p.fit, "weight": p.weight, "points": p.points} for p in s.parts},
        "reasons": [r.text for r in s.reasons],
        "explanations": [r.as_dict() for r in s.reasons],
    }


def _print_suggestions(network: Network, opportunity: str, found: list[PartnerSuggestion]) -> None:
    console = Console(highlight=False)
    table = Table(title=f"Suggestions for {opportunity}", show_lines=True)
    for column in ("#", "organisation", "opportunity", "country", "score", "reasons"):
        table.add_column(column, justify="right" if column in {"#", "score"} else "left")
    for number, s in enumerate(found, start=1):
        name = network.organisation(s.organisation).name or s.organisation
        reasons = "\n".join(f"• {r.text}" for r in s.reasons)
        table.add_row(str(number), name, s.opportunity or "(invite)", s.country, f"{s.score:.1f}", reasons)
    console.print(table)
    if not found:
        console.print("No suggestion meets the hard rules.", soft_wrap=True)


def _print_near_misses(network: Network, found: list[tuple[PartnerSuggestion, Reason]]) -> None:
    console = Console(highlight=False)
    if not found:
        console.print("No near miss either: no pair breaks just one rule that could change.", soft_wrap=True)
        return
    table = Table(title="Near misses: each breaks one rule the two sides could change", show_lines=True)
    for column in ("#", "organisation", "opportunity", "country", "score", "the rule it breaks", "reasons"):
        table.add_column(column, justify="right" if column in {"#", "score"} else "left")
    for number, (s, rule) in enumerate(found, start=1):
        name = network.organisation(s.organisation).name or s.organisation
        reasons = "\n".join(f"• {r.text}" for r in s.reasons)
        table.add_row(str(number), name, s.opportunity or "", s.country, f"{s.score:.1f}", rule.text, reasons)
    console.print(table)


def allocate_command(args: argparse.Namespace) -> int:
    """``matchmaking allocate``: CSV files in, one result row per participant out, and a summary."""
    if args.floor and args.method != OPTIMAL:
        return _fail(
            [f"--floor, value {args.floor}: the floor applies to --method optimal only"], "Bad option"
        )
    if args.floor < 0:
        return _fail([f"--floor, value {args.floor}: give 0 or more"], "Bad option")
    try:
        people = read_participants(args.participants)
        places = read_placements(args.placements)
        check_preference_ids(people, places, args.participants, args.placements)
    except InputError as exc:
        return _fail(exc.problems, "The input files cannot be used")
    if args.shortlist < 1:
        return _fail([f"--shortlist, value {args.shortlist!r}: give a number of 1 or more"], "Bad option")
    stated = any(p is not None for p in people.preferences) or any(p is not None for p in places.preferences)
    if stated and args.dask is not None:
        return _fail(
            ["--dask: stated preferences are followed over every pair, on this machine; leave out --dask"],
            "Bad option",
        )
    client = None
    if args.dask is not None:
        from matchmaking.engine.distributed import connect

        client = connect(args.dask or None)
    try:
        result = _allocate(args, people, places, stated, client)
    finally:
        if client is not None:
            from matchmaking.engine.distributed import close

            close(client)
    try:
        write_results(args.out, result_rows(result, places))
    except OSError as exc:
        return _fail([f"{args.out}: cannot be written ({exc.strerror})"], "No result file")
    _print_summary(result, args)
    return 0


def _allocate(args: argparse.Namespace, people: Any, places: Any, stated: bool, client: Any) -> RoundResult:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as progress:
        task = progress.add_task("Scoring participants", total=len(people.participants))

        def step(done: int, _total: int) -> None:
            progress.update(task, completed=done)

        if stated:  # a stated order is followed over every pair, not only a shortlist
            return run_round(
                people.participants,
                places.placements,
                people.monitoring,
                args.method,
                floor=args.floor,
                participant_preferences=people.preferences,
                placement_preferences=places.preferences,
                step=step,
            )
        ranker: Any = top_k
        if client is not None:
            from matchmaking.engine.distributed import top_k_dask

            ranker = partial(top_k_dask, client=client)
        return run_round_shortlisted(
            people.participants,
            places.placements,
            people.monitoring,
            args.method,
            k=args.shortlist,
            floor=args.floor,
            ranker=ranker,
            step=step,
        )


def _print_summary(result: RoundResult, args: argparse.Namespace) -> None:
    console = Console(highlight=False)
    total = result.placed + result.unplaced
    console.print(
        f"[bold]{args.method.capitalize()} allocation[/]: placed {result.placed} of {total} participants "
        f"({result.placed / total if total else 0:.0%}); {result.unplaced} unplaced; {result.seats} seats. "
        f"Written to {args.out}.",
        soft_wrap=True,
    )
    for reason in result.reasons:
        console.print(reason.text, markup=False, soft_wrap=True)
    audit = result.audits.get(GROUP)
    if audit is not None and audit.groups:
        table = Table(title="Placement rate per group (monitoring only)")
        for column in ("group", "participants", "placed", "rate", "ratio to best", "check"):
            table.add_column(column)
        for g in audit.groups:
            flag = "[red]below 0.8: review[/]" if g.flagged else "ok"
            table.add_row(
                g.group, str(g.participants), str(g.placed), f"{g.rate:.0%}", f"{g.ratio_to_best:.2f}", flag
            )
        console.print(table)

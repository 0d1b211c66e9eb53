"""``matchmaking esco search``: the cross-lingual skills search on the command line, no database.

One query::

    matchmaking esco search "svetsning" [--lang sv] [--top 10] [--format json]

prints the ranked skills (text: score, label and URI a line; JSON: a list of objects with ``uri``,
``label`` and ``score``). Many queries in one process (the model is loaded once)::

    matchmaking esco search --queries FILE.jsonl [--top 10]

reads JSON lines with ``query`` and optional ``lang`` and prints one JSON line per query, in order:
``{"query": ..., "results": [{"uri": ..., "label": ..., "score": ...}, ...]}``. ``-`` reads standard
input. ``--occupations`` ranks ESCO occupations instead of skills, the same way. A line that is not a
JSON object with a string ``query`` ends the command with exit status 2 and a message naming the line.
Without the text model the search is keyword only and a notice says so on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from matchmaking.taxonomies.skill_finder import SkillHit, find_occupations, find_skills, model_status

BAD_INPUT = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``esco`` group to the ``matchmaking`` parser."""
    esco = sub.add_parser(
        "esco",
        help="ESCO skills: search in any of the six languages",
        description="ESCO skills search that works on the command line.",
    )
    commands = esco.add_subparsers(dest="esco_command", metavar="COMMAND", required=True)
    search = commands.add_parser(
        "search",
        help="rank ESCO skills for a query (or for each line of a JSON lines file)",
        description="Rank ESCO skills for what a case worker would type, in Swedish, Norwegian, "
        "German, Spanish, Catalan or English: a short term or a short story.",
    )
    search.add_argument("query", nargs="?", metavar="QUERY")
    search.add_argument(
        "--queries",
        type=Path,
        metavar="FILE.jsonl",
        help='JSON lines with "query" and optional "lang"; prints one JSON line per query ("-": stdin)',
    )
    search.add_argument("--lang", metavar="xx", help="the query's language (a hint, not a filter)")
    search.add_argument("--top", type=int, default=10, metavar="N", help="results per query (10)")
    search.add_argument("--format", choices=("text", "json"), default="text")
    search.add_argument("--occupations", action="store_true", help="rank ESCO occupations instead of skills")
    search.set_defaults(handler=search_command)


def _results(hits: Iterable[SkillHit]) -> list[dict[str, object]]:
    return [{"uri": h.uri, "label": h.label, "score": h.score} for h in hits]


def _notice() -> None:
    status = model_status()
    if not status.available:
        print("Notice: the text model is not available; keyword search only.", file=sys.stderr)


def search_command(args: argparse.Namespace) -> int:
    if args.top < 1:
        print(f"--top, value {args.top}: give 1 or more", file=sys.stderr)
        return BAD_INPUT
    if (args.query is None) == (args.queries is None):
        print("Give either a QUERY or --queries FILE.jsonl.", file=sys.stderr)
        return BAD_INPUT
    find = find_occupations if args.occupations else find_skills
    if args.queries is not None:
        return _many(args.queries, args.top, sys.stdout, find)
    _notice()
    hits = find(args.query, lang=args.lang, limit=args.top)
    if args.format == "json":
        print(json.dumps(_results(hits), ensure_ascii=False))
    else:
        for hit in hits:
            print(f"{hit.score:.3f}  {hit.label}  {hit.uri}")
    return 0


def _many(path: Path, top: int, out: TextIO, find: Callable[..., list[SkillHit]] = find_skills) -> int:
    try:
        lines = sys.stdin.read().splitlines() if str(path) == "-" else path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot be read ({exc})", file=sys.stderr)
        return BAD_INPUT
    queries: list[tuple[str, str | None]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path}, line {number}: not JSON ({exc.msg})", file=sys.stderr)
            return BAD_INPUT
        if not isinstance(record, dict) or not isinstance(record.get("query"), str):
            print(f'{path}, line {number}: give an object with a string "query"', file=sys.stderr)
            return BAD_INPUT
        lang = record.get("lang")
        queries.append((record["query"], lang if isinstance(lang, str) else None))
    _notice()
    for query, lang in queries:
        hits = find(query, lang=lang, limit=top)
        out.write(json.dumps({"query": query, "results": _results(hits)}, ensure_ascii=False) + "\n")
        out.flush()
    return 0

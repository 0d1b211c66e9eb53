"""The ``matchmaking`` command.

``files`` holds the subcommands that run the engine on files (``suggest``, ``allocate``) and never
touch Django, as do ``events`` (``events solve-dzn``, the meeting scheduler on a benchmark file) and
``esco`` (``esco search``, the skills search);
``api_tokens`` makes a personal API token (``api-token create``);
``web`` holds the rest, which set Django up first and then run management commands or services.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence

from matchmaking.cli import api_tokens, esco, events, files, suggestions, web

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matchmaking",
        description="Mobility Matchmaking Tool: serve the web app, run jobs, import and export data, "
        "and run the matching engine on files.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    web.register(sub)
    suggestions.register(sub)
    files.register(sub)
    events.register(sub)
    esco.register(sub)
    api_tokens.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.demo")
    handler: Handler = args.handler
    return handler(args)

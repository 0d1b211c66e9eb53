"""The ``matchmaking`` command.

Subcommands that work on files only (``suggest``, ``allocate``) come from the engine and never touch
Django; the rest set Django up first and run management commands or services.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def _django_setup(profile: str = "dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"matchmaking.config.settings.{profile}")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matchmaking",
        description="Mobility Matchmaking Tool: serve the web app, run jobs, import and export data, "
        "and run the matching engine on files.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from matchmaking import commands as web_commands
    from matchmaking.engine import commands as engine_commands

    web_commands.register(sub, django_setup=_django_setup)
    engine_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.demo")
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())

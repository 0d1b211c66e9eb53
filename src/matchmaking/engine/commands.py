"""Engine subcommands of ``matchmaking`` (``suggest``, ``allocate``): files in, files out, no database."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the engine's subcommands to the ``matchmaking`` parser."""

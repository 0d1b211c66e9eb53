"""Build the demo network as an interchange document, and list its demo logins.

Pure Python on purpose (no Django import): the ``demo`` command, the tests and anyone exploring the
engine can all build the same document. Dates are relative, so call ``build_demo_document`` with the
day the demo is loaded and every window lies ahead of it (a few are already open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "network.json"

FORMAT_VERSION = 1

ROLES = ("coordinator", "org-admin", "staff", "case-worker")

_RELATIVE_DATES = {"earliest_in_days": "earliest", "latest_in_days": "latest"}


@dataclass(frozen=True)
class DemoUser:
    """A demo login: one person at one organisation with one role."""

    email: str
    name: str
    organisation: str
    role: str


def load_network_data() -> dict[str, Any]:
    """The raw demo data as stored: organisations, opportunities (relative dates) and users.

    A fresh object on every call, so callers may change it freely.
    """
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def build_demo_document(today: date) -> dict[str, Any]:
    """The demo network as an interchange document (format version 1), dated from ``today``.

    Organisations are passed through as stored. Each opportunity's ``earliest_in_days`` and
    ``latest_in_days`` become ISO dates ``earliest`` and ``latest``, in the same place in the record.
    """
    data = load_network_data()
    return {
        "format_version": FORMAT_VERSION,
        "organisations": data["organisations"],
        "opportunities": [_dated(opportunity, today) for opportunity in data["opportunities"]],
    }


def _dated(opportunity: dict[str, Any], today: date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in opportunity.items():
        if key in _RELATIVE_DATES:
            out[_RELATIVE_DATES[key]] = (today + timedelta(days=value)).isoformat()
        else:
            out[key] = value
    return out


def demo_users() -> list[DemoUser]:
    """The demo logins, in file order; every role is represented."""
    users = [DemoUser(**user) for user in load_network_data()["users"]]
    unknown = sorted({user.role for user in users} - set(ROLES))
    if unknown:
        raise ValueError(f"unknown demo user role(s): {', '.join(unknown)}; known: {', '.join(ROLES)}")
    return users

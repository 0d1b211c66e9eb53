"""An assignment's history: each step stored as a code and its parameters, read in the reader's language."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matchmaking.accounts.models import User
from matchmaking.placements.models import Assignment, EndReason, Proposal
from matchmaking.placements.models_lifecycle import Outcome

HISTORY: dict[str, Promise] = {
    "proposed": _("Proposed to %(org)s with fit %(score)s"),
    "accepted-in-round": _("Accepted by %(org)s in the round %(round)s"),
    "on-hold": _("Put on hold for an interview on %(date)s"),
    "accepted": _("Accepted by %(org)s"),
    "declined": _("Declined by %(org)s: %(reason)s"),
    "withdrawn": _("Withdrawn"),
    "started": _("Started on %(date)s"),
    "attendance": _("Attendance noted for %(date)s"),
    "completed": _("Completed on %(date)s; outcome: %(outcome)s"),
    "ended-early": _("Ended early on %(date)s (%(reason)s); outcome: %(outcome)s"),
}

_LABELS: dict[str, dict[str, Any]] = {
    "reason": {**dict(Proposal.DeclineReason.choices), **dict(EndReason.choices)},
    "outcome": dict(Outcome.choices),
}


def history_add(assignment: Assignment, code: str, actor: User | None, **params: Any) -> None:
    """Append one step (not saved: the calling service saves the assignment)."""
    plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
    assignment.history = [
        *assignment.history,
        {"code": code, "params": plain, "at": timezone.now().isoformat(), "by": str(actor or "")},
    ]


def history_text(entry: dict[str, Any]) -> str:
    """One entry as a sentence in the reader's language."""
    template = HISTORY.get(str(entry.get("code", "")))
    if template is None:
        return str(entry.get("code", ""))
    params = dict(entry.get("params") or {})
    for key, names in _LABELS.items():
        if key in params:
            params[key] = str(names.get(params[key], params[key]))
    if params.get("date"):
        with contextlib.suppress(ValueError):
            params["date"] = date_format(date.fromisoformat(str(params["date"])), "DATE_FORMAT")
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(entry.get("code", ""))


def history_lines(assignment: Assignment) -> list[tuple[datetime | None, str, str]]:
    """(when, who, sentence) for each step, oldest first."""
    lines = []
    for entry in assignment.history:
        try:
            when: datetime | None = datetime.fromisoformat(str(entry.get("at", "")))
        except ValueError:
            when = None
        lines.append((when, str(entry.get("by", "")), history_text(entry)))
    return lines

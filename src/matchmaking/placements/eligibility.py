"""Who may be proposed in an allocation round: only people still in the programme and not paused.

Checked when a round is created, when it is computed (a round created earlier drops people who have
left since, and lists them with the reason) and again when it is confirmed, and before a freed seat is
offered to anyone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from matchmaking.participants.models import Participant

EXITED = "exited"
PAUSED = "paused"
INACTIVE = "inactive"


def ineligibility(participant: Participant) -> str | None:
    """Why the person may not be proposed (a code), or ``None`` when they may."""
    if participant.exited_on is not None or participant.status == Participant.Status.EXITED:
        return EXITED
    if participant.status == PAUSED:
        return PAUSED
    if participant.status != Participant.Status.ACTIVE:
        return INACTIVE
    return None


def ineligibility_text(code: str) -> str:
    """The reason, in the reader's language."""
    if code == EXITED:
        return _("Left the programme: not proposed.")
    if code == PAUSED:
        return _("Paused: not proposed until the pause ends.")
    return _("No longer active in the programme: not proposed.")


def eligible_filter() -> dict[str, object]:
    """The same rule as a query filter, for candidates looked up in the database."""
    return {"status": Participant.Status.ACTIVE, "exited_on__isnull": True}

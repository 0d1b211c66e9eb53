"""How long each Erasmus+ activity type may last, in days (first and last day included).

From the Erasmus+ Programme Guide, VET mobility (accreditation projects); the activity-type codes are
those of the Beneficiary Module (``mobility.models.ActivityType``). The one place the bands are kept:
offers and requests (their duration) and exchanges (their dates) are checked against this table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# activity code → (fewest days, most days)
ACTIVITY_DAYS: dict[str, tuple[int, int]] = {
    "SM-JOB-SHDW": (2, 60),  # job shadowing
    "SM-TTA": (2, 365),  # teaching or training assignment
    "SM-COUR-TRAIN": (2, 30),  # courses and training
    "LM-SKILL-VET": (1, 10),  # skills competitions
    "LM-SHORT-VET": (10, 89),  # short-term learner mobility
    "LM-LONG-VET": (90, 365),  # ErasmusPro
    "OA-INV-EXP": (2, 60),  # invited experts
    "OA-HOS-TTT": (10, 365),  # hosting teachers and educators in training
}


def duration_problem(activity_code: str, days: int) -> str | None:
    """The rule broken by ``days`` for ``activity_code`` (None when it fits or the code has no band)."""
    band = ACTIVITY_DAYS.get(activity_code)
    if band is None or band[0] <= days <= band[1]:
        return None
    return _("%(code)s lasts %(min)s to %(max)s days under the Erasmus+ rules; %(days)s days were given.") % {
        "code": activity_code,
        "min": band[0],
        "max": band[1],
        "days": days,
    }

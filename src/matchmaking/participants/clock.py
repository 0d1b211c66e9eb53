"""The Youth Guarantee clock: an offer within 4 months for young people, 12 for adults (seed 004).

Pure date arithmetic, so it is easy to test; the limits and the age limit are settings.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Clock:
    started_on: date
    months: int
    due_on: date
    stopped_on: date | None
    days: int
    young: bool

    @property
    def overdue(self) -> bool:
        return self.stopped_on is None and self.days > (self.due_on - self.started_on).days

    @property
    def days_left(self) -> int:
        return (self.due_on - self.started_on).days - self.days

    @property
    def running(self) -> bool:
        return self.stopped_on is None


def clock_months(age_group: str) -> int:
    """Months to an offer: the young people's limit or the adults' (settings)."""
    young = age_group == "young"
    return settings.YOUTH_GUARANTEE_YOUNG_MONTHS if young else settings.YOUTH_GUARANTEE_ADULT_MONTHS


def youth_guarantee_clock(
    *, started_on: date, age_group: str, first_offer_on: date | None, today: date
) -> Clock:
    """Days since the clock started, stopped by the first typed offer made on or after the start
    (``first_offer_on``: the first offer on or after the start; an earlier one does not stop it)."""
    young = age_group == "young"
    months = clock_months(age_group)
    stopped = first_offer_on if first_offer_on and first_offer_on >= started_on else None
    end = stopped or today
    return Clock(started_on, months, add_months(started_on, months), stopped, (end - started_on).days, young)

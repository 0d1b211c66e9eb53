"""Hosting capacity: the most visitors a host receives on any one day, across exchanges that hold
places (agreed or later). Pending proposals hold nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.utils.translation import gettext as _

from matchmaking.exchanges.models import HOLDING_STATES, Exchange
from matchmaking.organisations.models import Organisation


def visitors_per_day(
    host: Organisation, start: date, end: date, *, exclude: int | None = None
) -> Counter[date]:
    """Visitors already booked at ``host`` on each day from ``start`` to ``end``."""
    booked: Counter[date] = Counter()
    overlapping = Exchange.objects.filter(host=host, state__in=HOLDING_STATES, start__lte=end, end__gte=start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    for first, last, size in overlapping.values_list("start", "end", "group_size"):
        day = max(first, start)
        while day <= min(last, end):
            booked[day] += size
            day += timedelta(days=1)
    return booked


def capacity_problem(
    host: Organisation, start: date, end: date, group_size: int, *, exclude: int | None = None
) -> str | None:
    """Why ``group_size`` more visitors from ``start`` to ``end`` would exceed the host's capacity, or None.

    Call it with the host row locked (``select_for_update``) so two acceptances cannot both pass.
    """
    capacity = host.hosting_capacity
    if capacity <= 0:
        return _("%(host)s has not set a hosting capacity, so it cannot host visitors yet.") % {"host": host}
    if group_size > capacity:
        return _(
            "%(size)s visitors are more than the %(capacity)s that %(host)s can host on any one day."
        ) % {
            "size": group_size,
            "capacity": capacity,
            "host": host,
        }
    booked = visitors_per_day(host, start, end, exclude=exclude)
    for day in sorted(booked):
        if booked[day] + group_size > capacity:
            return _(
                "On %(day)s %(host)s already hosts %(booked)s visitors; %(size)s more would exceed its "
                "capacity of %(capacity)s a day."
            ) % {
                "day": day.isoformat(),
                "host": host,
                "booked": booked[day],
                "size": group_size,
                "capacity": capacity,
            }
    return None

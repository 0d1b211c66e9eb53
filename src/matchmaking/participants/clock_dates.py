"""The Youth Guarantee clock's two stored dates, worked out in the database for many people at once.

``Participant.clock_due_on`` (the start plus the months of the person's age group) and
``Participant.clock_stopped_on`` (the first offer made on or after the start) let the caseload order and
filter every person by plain, indexed columns (``clock_sql.with_clock``). ``Participant.save`` and
``Offer.save`` keep them for one person; this module keeps them for many, in one ``UPDATE`` per few
hundred people: after an import's bulk writes, and daily (``jobs.py``), which also applies a change of
the month limits in the settings to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, DateField, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from matchmaking.participants.clock_sql import AddMonths
from matchmaking.participants.models import AgeGroup, Participant

CHUNK = 500


def clock_dates_refresh(*, participant_ids: Iterable[int] | None = None) -> int:
    """Work out both dates again for these people (everyone: ``None``); returns how many rows changed."""
    if participant_ids is None:
        return _refresh(Participant.objects.all())
    ids = sorted(set(participant_ids))
    return sum(
        _refresh(Participant.objects.filter(pk__in=ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)
    )


def _refresh(people: object) -> int:
    started = Coalesce(F("clock_start_on"), F("registered_on"), output_field=DateField())
    months = Case(
        When(age_group=AgeGroup.YOUNG, then=Value(settings.YOUTH_GUARANTEE_YOUNG_MONTHS)),
        default=Value(settings.YOUTH_GUARANTEE_ADULT_MONTHS),
        output_field=IntegerField(),
    )
    offers = Participant.offers.rel.related_model._default_manager
    first = (
        offers.filter(
            participant=OuterRef("pk"),
            offered_on__gte=Coalesce(OuterRef("clock_start_on"), OuterRef("registered_on")),
        )
        .order_by("offered_on")
        .values("offered_on")[:1]
    )
    return people.update(  # type: ignore[attr-defined]
        clock_due_on=AddMonths(started, months),
        clock_stopped_on=Subquery(first, output_field=DateField()),
    )

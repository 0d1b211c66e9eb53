"""The Youth Guarantee clock computed in the database (filters and order of the caseload over every row)
gives the same due date, stop and overdue state as the Python clock, month ends and leap days included;
the caseload page shows every person through its pages, overdue people first wherever they are."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from matchmaking.participants import selectors
from matchmaking.participants.clock import youth_guarantee_clock
from matchmaking.participants.clock_dates import clock_dates_refresh
from matchmaking.participants.clock_sql import with_clock
from matchmaking.participants.jobs import participant_clock_dates
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Offer
from tests.factories_participants import participant

pytestmark = pytest.mark.database

STARTS = [
    date(2024, 1, 31), date(2024, 2, 29), date(2023, 2, 28), date(2024, 8, 31), date(2024, 10, 31),
    date(2024, 11, 30), date(2024, 12, 31), date(2025, 3, 15), date(2024, 9, 1),
]  # fmt: skip


OFFERS = [(), (-3,), (0,), (40,), (-3, 25), (60, 10)]  # days from the start, in the order recorded


def _expected(p: Participant, offer_days: tuple[int, ...], today: date):
    started = p.clock_start_on or p.registered_on
    after = [started + timedelta(days=d) for d in offer_days if d >= 0]
    return youth_guarantee_clock(
        started_on=started, age_group=p.age_group, first_offer_on=min(after, default=None), today=today
    )


def test_clock_in_the_database_equals_the_clock_in_python(world):
    people = []
    for i, (start, age, offer_days) in enumerate(itertools.product(STARTS, ["young", "adult", ""], OFFERS)):
        p = Participant.objects.create(
            organisation=world.home,
            registered_on=start - timedelta(days=i % 3),
            clock_start_on=start if i % 3 else None,
            age_group=age,
        )
        for days in offer_days:
            offered = (p.clock_start_on or p.registered_on) + timedelta(days=days)
            Offer.objects.create(participant=p, type="job", offered_on=offered, organisation=world.home)
        people.append((p, offer_days))
    offers = {p.pk: days for p, days in people}
    for refreshed in (False, True):
        if refreshed:  # the bulk path gives the dates the saves gave
            Participant.objects.update(clock_due_on=None, clock_stopped_on=None)
            clock_dates_refresh()
        for today in (date(2024, 6, 1), date(2025, 1, 1), date(2025, 7, 15), date(2024, 5, 31)):
            rows = with_clock(Participant.objects.filter(pk__in=offers), today=today)
            for row in rows:
                clock = _expected(row, offers[row.pk], today)
                seen = (row.clock_due_on, row.clock_running, row.clock_overdue, row.clock_days_left)
                assert seen == (clock.due_on, clock.running, clock.overdue, clock.days_left), (row.pk, today)
                assert row.first_offer_on == clock.stopped_on


def test_moving_the_start_or_the_age_group_moves_the_stored_dates(world):
    p = Participant.objects.create(
        organisation=world.home, registered_on=date(2025, 1, 31), age_group="young"
    )
    assert (p.clock_due_on, p.clock_stopped_on) == (date(2025, 5, 31), None)
    Offer.objects.create(participant=p, type="job", offered_on=date(2025, 3, 1), organisation=world.home)
    p.refresh_from_db()
    assert p.clock_stopped_on == date(2025, 3, 1)
    p.clock_start_on = date(2025, 4, 1)  # the offer now came before the clock started: it runs again
    p.save(update_fields=["clock_start_on"])
    p.refresh_from_db()
    assert (p.clock_due_on, p.clock_stopped_on) == (date(2025, 8, 1), None)
    p.age_group = "adult"
    p.save()
    p.refresh_from_db()
    assert p.clock_due_on == date(2026, 4, 1)


def test_the_daily_job_applies_new_month_limits_to_everyone(world, settings):
    p = Participant.objects.create(
        organisation=world.home, registered_on=date(2025, 1, 10), age_group="young"
    )
    settings.YOUTH_GUARANTEE_YOUNG_MONTHS = 6
    summary = participant_clock_dates(timezone.now())
    assert summary == f"clock dates of {Participant.objects.count()} participants worked out again"
    p.refresh_from_db()
    assert p.clock_due_on == date(2025, 7, 10)


def test_the_caseload_shows_everyone_through_its_pages_overdue_first(client, world):
    today = timezone.localdate()
    made = Participant.objects.bulk_create(
        Participant(organisation=world.home, registered_on=today - timedelta(days=5 + i % 50))
        for i in range(120)
    )
    clock_dates_refresh(participant_ids=[p.pk for p in made])
    late = participant(world.home, registered_on=today - timedelta(days=900), age_group="young")
    # Registered last of all, with a clock started long ago: the old page (first rows by registration) hid it.
    latest = participant(
        world.home, registered_on=today, clock_start_on=today - timedelta(days=800), age_group="adult"
    )
    client.force_login(world.worker)
    first = client.get(reverse("participants:caseload")).content.decode()
    assert late.pseudonym in first
    assert latest.pseudonym in first
    assert "2 participants have had no offer" in first
    shown = set()
    for number in (1, 2, 3):
        body = client.get(reverse("participants:caseload") + f"?page={number}").content.decode()
        shown |= {p for p in Participant.objects.values_list("pseudonym", flat=True) if p in body}
    assert shown == set(Participant.objects.values_list("pseudonym", flat=True))
    overdue = client.get(reverse("participants:caseload") + "?clock=overdue").content.decode()
    assert late.pseudonym in overdue
    assert latest.pseudonym in overdue
    assert world.person.pseudonym not in overdue


def test_pages_among_the_overdue_people_follow_the_same_order_as_the_whole_list(world):
    """A page among the overdue people is read by the due date (the clock index), a later one by the days
    left over everyone: read page by page, the list equals the clock order worked out in Python, pages
    across the boundary included, and so do the overdue list and the dashboard's first five."""
    today = timezone.localdate()
    rows = []
    for i in range(130):  # overdue: three due dates shared by many, registrations in a different order
        rows.append(
            Participant(
                organisation=world.home,
                registered_on=today - timedelta(days=300 - i % 5),
                clock_start_on=today - timedelta(days=200 + i % 3),
                age_group="young",
            )
        )
    for i in range(40):  # running, not yet due
        registered = today - timedelta(days=i % 7)
        rows.append(Participant(organisation=world.home, registered_on=registered, age_group="young"))
    made = Participant.objects.bulk_create(rows)
    clock_dates_refresh(participant_ids=[p.pk for p in made])
    for p in [*made[:5], *made[-20:]]:  # some clocks stopped by an offer
        Offer.objects.create(participant=p, type="job", offered_on=today, organisation=world.home)
    found = list(with_clock(Participant.objects.exclude(status=Participant.Status.ERASED), today=today))
    expected = [
        p.pk
        for p in sorted(
            found, key=lambda p: (not p.clock_overdue, p.clock_days_left, p.registered_on, p.pseudonym)
        )
    ]
    overdue = sum(p.clock_overdue for p in found)
    assert overdue > 100  # more than two pages of 50

    filters = selectors.CaseloadFilters()
    total, counted = selectors.caseload_counts(user=world.worker, filters=filters)
    assert (total, counted) == (len(found), overdue)
    ids = selectors.caseload_ids_in_pages(user=world.worker, filters=filters, total=total, overdue=counted)
    paged = [pk for page in Paginator(ids, 50) for pk in page.object_list]
    assert paged == expected
    assert ids[overdue - 10 : overdue + 10] == expected[overdue - 10 : overdue + 10]
    assert (ids[0], ids[-1], ids[5:1]) == (expected[0], expected[-1], [])

    only_overdue = selectors.CaseloadFilters(clock="overdue")
    overdue_ids = selectors.caseload_ids_by_clock(user=world.worker, filters=only_overdue)
    assert list(overdue_ids) == expected[:overdue]
    shown = selectors.caseload_rows(user=world.worker, filters=only_overdue, limit=5)
    assert [row.participant.pk for row in shown] == expected[:5]

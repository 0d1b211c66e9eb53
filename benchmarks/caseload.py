"""The caseload page's queries at network size, as they are and as they were, in the same run on the same
database. Now: the Youth Guarantee clock read from the dates stored on each person, the caseload's
people found by testing the holding organisation on each row and the key worker's and groups'
people by a small union, the page's ids sorted before its 50 rows are read. Before: the clock worked
out for every row (the first offer by a subquery, the due date by month arithmetic), the people
found by one OR, whole rows sorted.

Builds a fresh SQLite database in a temporary directory (or reuses ``--database``; with ``DATABASE_URL``
set, an empty PostgreSQL database, as ``scripts/with-postgres.sh`` gives): ``--participants``
people spread over ``--organisations`` organisations (the case worker's own holds ``--own`` of them),
registered over the last three years, a third of them with one to three offers. For the case worker
(one organisation's caseload) and a coordinator (no caseload of its own, which the page must find
without reading everyone), it times what the page asks
the database: the pager's count, the first page of 50 rows ordered by the clock, and the count of
overdue clocks; the median and maximum over ``--repeats`` runs.

    .venv/bin/python benchmarks/caseload.py --participants 100000 --own 10000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, show, sqlite_django


def build(people: int, organisations: int, own: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from matchmaking.accounts.models import User
    from matchmaking.organisations.models import Membership, Organisation, Role
    from matchmaking.participants.clock_dates import clock_dates_refresh
    from matchmaking.participants.models import Participant
    from matchmaking.pathways.models import Offer
    from matchmaking.taxonomies.models import Term

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    kind = Term.objects.get(scheme="organisation-kinds", code="municipality")
    orgs = Organisation.objects.bulk_create(
        Organisation(key=f"org-{n}", name=f"Organisation {n}", kind=kind, country="SE")
        for n in range(organisations)
    )
    network = Organisation.objects.create(
        key="secretariat",
        name="Secretariat",
        kind=Term.objects.get(scheme="organisation-kinds", code="network"),
    )
    worker = User.objects.create_user(email="worker@example.org")
    coordinator = User.objects.create_user(email="coordinator@example.org")
    Membership.objects.create(user=worker, organisation=orgs[0], role=Role.CASE_WORKER)
    Membership.objects.create(user=coordinator, organisation=network, role=Role.COORDINATOR)
    today = date.today()
    rows = []
    for n in range(people):
        registered = today - timedelta(days=rng.randint(0, 3 * 365))
        rows.append(
            Participant(
                pseudonym=f"P{n:09d}",
                organisation=orgs[0] if n < own else orgs[1 + n % (organisations - 1)],
                registered_on=registered,
                clock_start_on=registered + timedelta(days=rng.randint(0, 30)) if n % 4 == 0 else None,
                age_group=rng.choice(["young", "adult", ""]),
            )
        )
    made = Participant.objects.bulk_create(rows, batch_size=2000)
    offers = [
        Offer(
            participant=p,
            type="job",
            offered_on=p.registered_on + timedelta(days=rng.randint(-20, 500)),
            organisation=p.organisation,
        )
        for p in made
        if rng.random() < 1 / 3
        for _ in range(rng.randint(1, 3))
    ]
    Offer.objects.bulk_create(offers, batch_size=2000)
    clock_dates_refresh()
    # Table statistics, as a running server's database has them: SQLite from the daily job's ANALYZE,
    # PostgreSQL from autovacuum (which may not have come round yet right after this bulk load).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built: {people:,} participants, {len(offers):,} offers")


def computed_clock(found: Any, today: date) -> Any:
    """The clock as the page worked it out before the dates were stored: the first offer on or after
    the start by a correlated subquery, the due date by month arithmetic, for every row."""
    from django.conf import settings
    from django.db.models import (
        BooleanField,
        Case,
        DateField,
        F,
        IntegerField,
        OuterRef,
        Q,
        Subquery,
        Value,
        When,
    )
    from django.db.models.functions import Coalesce

    from matchmaking.participants.clock_sql import AddMonths, DaysBetween
    from matchmaking.pathways.models import Offer

    started = Coalesce(F("clock_start_on"), F("registered_on"), output_field=DateField())
    months = Case(
        When(age_group="young", then=Value(settings.YOUTH_GUARANTEE_YOUNG_MONTHS)),
        default=Value(settings.YOUTH_GUARANTEE_ADULT_MONTHS),
        output_field=IntegerField(),
    )
    first = (
        Offer.objects.filter(participant=OuterRef("pk"), offered_on__gte=OuterRef("due_start"))
        .order_by("offered_on")
        .values("offered_on")[:1]
    )
    found = found.annotate(due_start=started)
    found = found.annotate(
        stop=Subquery(first, output_field=DateField()), due=AddMonths(F("due_start"), months)
    )
    stopped = Q(stop__isnull=False)
    day = Value(today, output_field=DateField())
    return found.annotate(
        overdue=Case(
            When(~stopped & Q(due__lt=day), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        days_left=DaysBetween(F("due"), Coalesce(F("stop"), day)),
    )


def caseload_as_before(user: Any) -> Any:
    """The caseload's people as the page found them before: one OR of the three ways in, which the
    database answered by reading every person."""
    from django.db.models import Q

    from matchmaking.participants.access import _groups_with_access
    from matchmaking.participants.models import Participant
    from matchmaking.permissions.roles import caseload_organisations

    return Participant.objects.exclude(status="erased").filter(
        Q(organisation_id__in=caseload_organisations(user))
        | Q(key_worker=user)
        | Q(pk__in=_groups_with_access(user).values("participant_id"))
    )


def page_queries(user: Any, stored: bool) -> None:
    """What the caseload page asks: the pager's count, the first 50 rows by the clock, the overdue count."""
    from django.utils import timezone

    from matchmaking.participants import selectors

    if stored:
        ordered = selectors.caseload_ids_by_clock(user=user)
        ordered.count()
        selectors.caseload_people(ids=list(ordered[:50]))
        selectors.caseload_overdue_count(user=user)
        return
    found = computed_clock(caseload_as_before(user).filter(status="active"), timezone.localdate())
    found.count()
    list(found.order_by("-overdue", "days_left", "registered_on", "pseudonym")[:50])
    found.filter(overdue=True).count()


def measure(repeats: int) -> list[tuple[str, ...]]:
    from matchmaking.accounts.models import User

    rows = []
    for email, who in (("worker@example.org", "case worker"), ("coordinator@example.org", "coordinator")):
        user = User.objects.get(email=email)
        medians = {}
        for stored in (False, True):
            times = []
            for _ in range(repeats + 1):
                start = time.perf_counter()
                page_queries(user, stored)
                times.append(time.perf_counter() - start)
            times = times[1:]  # the first run warms the caches
            medians[stored] = statistics.median(times)
            label = "now: stored dates, ids first" if stored else "before: computed per row, OR"
            rows.append((who, label, f"{medians[stored] * 1000:,.0f}", f"{max(times) * 1000:,.0f}", ""))
        rows[-1] = (*rows[-1][:4], f"{medians[False] / medians[True]:.1f}×")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--own", type=int, default=10_000, help="people in the case worker's organisation")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", type=Path, help="SQLite file: built if missing, else reused")
    args = parser.parse_args()
    if not sqlite_django(args.database, "caseload-bench-"):
        build(args.participants, args.organisations, args.own, args.seed)
    from django.db import connection

    show(
        f"Caseload page queries, {args.participants:,} participants, {args.own:,} in the case worker's "
        f"organisation ({machine()}, {connection.vendor}, load {os.getloadavg()[0]:.1f}, "
        f"median of {args.repeats})",
        measure(args.repeats),
        ("user", "queries", "median ms", "max ms", "ratio"),
    )


if __name__ == "__main__":
    main()

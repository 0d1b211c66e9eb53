"""The cockpit costs the same number of queries with few exchanges and with many, across regions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from matchmaking.exchanges.models import State
from matchmaking.taxonomies.models import Region
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange, visitor_of
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db

REGIONS = ["DE11", "ES51", "FI1B", "NO0A", "SE11", "SE23", "PL91", "ITC4", "FR10", "NL32", "AT13", "BE10"]


def test_the_cockpit_runs_as_many_queries_at_any_size(coordinator):
    client = Client()
    client.force_login(coordinator)
    made: list[str] = []

    def grow(n: int) -> list[str]:
        while len(made) < n:
            i = len(made)
            host = OrganisationFactory(region=Region.objects.get(code=REGIONS[i % len(REGIONS)]))
            guest = OrganisationFactory(region=Region.objects.get(code=REGIONS[(i + 5) % len(REGIONS)]))
            ex = exchange(host, guest, state=State.COMPLETED, start=date(2026, 2, 2) + timedelta(days=i),
                          activity_code="SM-JOB-SHDW")  # fmt: skip
            for k in range(6):
                visitor_of(ex, name=f"P{i}-{k}", fewer_opportunities=k == 0)
            made.append(f"{REGIONS[(i + 5) % len(REGIONS)]}) to")
        return [f"{6 * n}</td>"]

    assert_same_queries(client, "/monitoring/", grow)

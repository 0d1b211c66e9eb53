"""A small network for the monitoring tests: Borås (SE23) sends staff to Barcelona (ES51) and
learners to Stuttgart (DE11); Vestland (NO0A) visits Borås."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matchmaking.exchanges.models import State
from matchmaking.organisations.models import Role
from matchmaking.taxonomies.models import Region
from tests.factories import OrganisationFactory, member, term
from tests.factories_mobility import exchange, visitor_of


def _org(key, name, country, region, kind="municipality"):
    return OrganisationFactory(
        key=key,
        name=name,
        country=country,
        region=Region.objects.get(code=region),
        kind=term("organisation-kinds", kind),
    )


@pytest.fixture
def network(db):
    boras = _org("boras", "Borås Working Life", "SE", "SE23")
    barcelona = _org("soc-barcelona", "SOC Barcelona", "ES", "ES51", "public-employment-service")
    vestland = _org("vestland", "Vestland County", "NO", "NO0A", "regional-authority")
    stuttgart = _org("stuttgart-vet", "Stuttgart VET School", "DE", "DE11", "vet-provider")
    start = date(2026, 3, 2)
    shadowing = exchange(
        barcelona, boras, state=State.COMPLETED, start=start, days=3, activity_code="SM-JOB-SHDW"
    )
    for n in range(7):
        visitor_of(shadowing, name=f"Staff {n}", fewer_opportunities=n < 2)
    visit = exchange(boras, vestland, state=State.REPORTED, start=start + timedelta(days=40), days=2)
    for n in range(3):
        visitor_of(visit, name=f"Visitor {n}")
    placement = exchange(stuttgart, boras, state=State.CONFIRMED, start=date(2026, 5, 4), days=21,
                         activity_code="LM-SHORT-VET")  # fmt: skip
    for n in range(12):
        visitor_of(placement, name=f"Learner {n}", kind="vet-learner", fewer_opportunities=n < 4)
    visitor_of(placement, name="Teacher", accompanying=True)
    exchange(barcelona, boras, state=State.PROPOSED, start=start)
    return {
        "boras": boras,
        "barcelona": barcelona,
        "vestland": vestland,
        "stuttgart": stuttgart,
        "boras_admin": member(Role.ORG_ADMIN, boras, email="admin@boras.example.org"),
        "vestland_staff": member(Role.STAFF, vestland, email="staff@vestland.example.org"),
    }

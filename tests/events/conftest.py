"""An event open for requests with two registered delegations and a member of each side."""

from __future__ import annotations

import pytest

from matchmaking.events.models import EventState
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_events import event, register


@pytest.fixture
def delegations():
    organiser = OrganisationFactory(name="Organiser")
    found = event(organiser, state=EventState.REQUESTS_OPEN)
    boras = register(found, OrganisationFactory(name="Borås"), delegates=("Anna", "Björn", "Cecilia"))
    vestland = register(found, OrganisationFactory(name="Vestland"))
    return {
        "event": found,
        "boras": boras,
        "vestland": vestland,
        "manager": member(Role.STAFF, organiser),
        "boras_user": member(Role.STAFF, boras.organisation),
        "vestland_user": member(Role.STAFF, vestland.organisation),
    }

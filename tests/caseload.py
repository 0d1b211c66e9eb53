"""The case-work fixture shared by the participants, placements and pathways tests: each of those
folders' conftest.py imports it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker, consent, group_member, participant


@pytest.fixture
def world(db):
    """Two organisations with a case worker each, a participant in the first, and a group member from the
    second without personal-detail access, there under the person's consent to share with the second."""
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    other = OrganisationFactory(key="nav", name="NAV", country="NO")
    worker = case_worker(home, email="worker@example.org")
    stranger = case_worker(other, email="stranger@example.org")
    helper = case_worker(other, email="helper@example.org")
    admin = member(Role.ORG_ADMIN, home, email="orgadmin@example.org")
    person = participant(home, key_worker=worker)
    consent(person, "sharing", other)
    group_member(person, helper, other, personal=False)
    return SimpleNamespace(
        home=home, other=other, worker=worker, stranger=stranger, helper=helper, admin=admin, person=person
    )

"""Shared fixtures. Engine and other pure tests use none of these and need no database."""

from __future__ import annotations

import pytest


@pytest.fixture
def coordinator(db):
    from matchmaking.organisations.models import Role
    from tests.factories import OrganisationFactory, member, term

    secretariat = OrganisationFactory(
        key="network-secretariat", name="Network secretariat", kind=term("organisation-kinds", "network")
    )
    return member(Role.COORDINATOR, secretariat, email="coordinator@example.org")


@pytest.fixture
def org_admin(db):
    from matchmaking.organisations.models import Role
    from tests.factories import member

    return member(Role.ORG_ADMIN, email="admin@example.org")


@pytest.fixture
def staff(db):
    from matchmaking.organisations.models import Role
    from tests.factories import member

    return member(Role.STAFF, email="staff@example.org")

"""The organisation-wide suggestions page is linked from the organisation's page and the dashboard,
for the people who may see it."""

from __future__ import annotations

import pytest

from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_suggestions_link_on_organisation_page_and_dashboard(client):
    ours = OrganisationFactory(name="Ours")
    theirs = OrganisationFactory(name="Theirs")
    user = member(Role.STAFF, ours, email="staff-nav@example.org")
    member(Role.STAFF, theirs, email="other-nav@example.org")
    client.force_login(user)
    link = f"/mobility/organisations/{ours.key}/suggestions/"
    assert link in client.get(f"/organisations/{ours.key}/").content.decode()
    assert client.get(link).status_code == 200
    assert link in client.get("/dashboard/").content.decode()
    # Not on another organisation's page: its suggestions are not ours to see.
    other_page = client.get(f"/organisations/{theirs.key}/").content.decode()
    assert f"/mobility/organisations/{theirs.key}/suggestions/" not in other_page

"""Which listings a member sees: open listings of active organisations, and every listing of their own
organisations; a coordinator sees all. Checked on the list, its count and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.mobility import selectors
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import Role
from tests.factories import OpportunityFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings():
    mine, active, suspended = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    suspended.status = Organisation.Status.SUSPENDED
    suspended.save()
    made = {
        "my open": OpportunityFactory(organisation=mine, status=Opportunity.Status.OPEN),
        "my draft": OpportunityFactory(organisation=mine, status=Opportunity.Status.DRAFT),
        "their open": OpportunityFactory(organisation=active, status=Opportunity.Status.OPEN),
        "their draft": OpportunityFactory(organisation=active, status=Opportunity.Status.DRAFT),
        "suspended open": OpportunityFactory(organisation=suspended, status=Opportunity.Status.OPEN),
    }
    return mine, made


def _names(made, found) -> set[str]:
    keys = {o.key for o in found}
    return {name for name, o in made.items() if o.key in keys}


def test_a_member_sees_open_listings_of_active_organisations_and_all_of_their_own(listings):
    mine, made = listings
    user = member(Role.STAFF, organisation=mine)
    visible = selectors.visible_opportunities(user=user)
    assert _names(made, visible) == {"my open", "my draft", "their open"}
    assert visible.count() == 3


def test_the_list_and_its_count_show_only_open_visible_listings(listings, client):
    mine, made = listings
    user = member(Role.STAFF, organisation=mine)
    found = selectors.opportunity_list(user=user)
    assert _names(made, found) == {"my open", "their open"}
    assert found.count() == 2
    mine_only = selectors.opportunity_list(user=user, filters=selectors.OpportunityFilters(mine=True))
    assert _names(made, mine_only) == {"my open", "my draft"}
    client.force_login(user)
    page = client.get(reverse("mobility:opportunity-list")).content.decode()
    assert "2 offers and requests found" in page


def test_a_suspended_organisations_members_lose_access_with_it(listings):
    _, made = listings
    user = member(Role.STAFF, organisation=made["suspended open"].organisation)
    assert not selectors.visible_opportunities(user=user).exists()


def test_a_coordinator_sees_every_listing(listings):
    _, made = listings
    coordinator = member(Role.COORDINATOR)
    assert _names(made, selectors.visible_opportunities(user=coordinator)) == set(made)


def test_the_api_hides_the_suspended_organisations_listing(listings, client):
    mine, made = listings
    client.force_login(member(Role.STAFF, organisation=mine))
    keys = {item["id"] for item in client.get("/api/opportunities?limit=50").json()}
    assert made["their open"].key in keys
    assert made["suspended open"].key not in keys
    assert made["their draft"].key not in keys

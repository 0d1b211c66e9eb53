"""The network read as rows gives the records reading it through model instances gives."""

from __future__ import annotations

import pytest

from matchmaking.mobility import matching, network_records, suggestion_refresh
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.factories_mobility import opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from matchmaking.demo.services import demo_load

    demo_load()


def test_rows_give_the_records_instances_give_on_the_demo_in_the_same_order(demo):
    organisations = Organisation.objects.all()
    instances = organisations.select_related("kind", "region").prefetch_related(
        "languages", "target_groups", "expertise", "interests"
    )
    assert network_records.organisation_records(organisations) == [
        matching.engine_organisation(o) for o in instances
    ]
    opportunities = Opportunity.objects.all()
    by_instance = [matching.engine_opportunity(o) for o in matching._opportunities(opportunities)]
    assert network_records.opportunity_records(opportunities) == by_instance
    assert len(by_instance) > 50
    assert any(o.topics and o.target_groups and o.languages for o in by_instance)


def test_a_record_without_codes_or_region_gets_empty_ones():
    org = OrganisationFactory(region=None)
    org.languages.clear()
    listing = opportunity(org, languages=(), topic_codes=())
    (record,) = network_records.organisation_records(Organisation.objects.filter(pk=org.pk))
    assert record == matching.engine_organisation(org)
    assert (record.region, record.languages, record.expertise) == (None, (), ())
    (found,) = network_records.opportunity_records(Opportunity.objects.filter(pk=listing.pk))
    assert found == matching.engine_opportunity(listing)
    assert (found.topics, found.languages) == ((), ())


def test_the_network_holds_the_drafts_and_paused_listings_once(demo):
    the_network = suggestion_refresh.network()
    not_closed = set(
        Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED).values_list("key", flat=True)
    )
    assert set(the_network.opportunities) == not_closed
    assert set(the_network.organisations) == set(
        Organisation.objects.filter(status=Organisation.Status.ACTIVE).values_list("key", flat=True)
    )

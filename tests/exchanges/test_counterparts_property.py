"""Whatever listings an organisation has, the choice offered when answering an offer is exactly its open
requests of the same or a neighbouring kind, the same kind first."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.exchanges import counterparts
from matchmaking.mobility.models import Opportunity
from tests.factories import term
from tests.factories_mobility import opportunity, pair

pytestmark = pytest.mark.django_db

KINDS = ["job-shadowing", "study-visit", "teaching-assignment", "learner-placement"]
listing = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(["offer", "request"]),
    st.sampled_from([Opportunity.Status.OPEN, Opportunity.Status.DRAFT, Opportunity.Status.CLOSED]),
)


@pytest.fixture
def two_sides():
    return pair()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(listings=st.lists(listing, max_size=8), their_kind=st.sampled_from(KINDS))
def test_the_choice_is_exactly_the_open_compatible_requests(two_sides, listings, their_kind):
    _host, visitor, offer, _request, _host_user, visitor_user = two_sides
    Opportunity.objects.filter(organisation=visitor).delete()
    offer.type = term("opportunity-types", their_kind)
    offer.save()
    made = [
        opportunity(visitor, type=term("opportunity-types", kind), direction=direction, status=status)
        for kind, direction, status in listings
    ]
    found = counterparts.counterpart_listings(user=visitor_user, theirs=offer, role=counterparts.VISIT)
    expected = {
        o.pk
        for o in made
        if o.direction == "request"
        and o.status == Opportunity.Status.OPEN
        and counterparts.types_compatible(o.type.code, their_kind)
    }
    assert {o.pk for o in found} == expected
    same = [o.type.code == their_kind for o in found]
    assert same == sorted(same, reverse=True)  # the same kind before the neighbouring one

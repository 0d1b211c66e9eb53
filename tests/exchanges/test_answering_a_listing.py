"""Answering someone's offer or request: "we want to visit" an offer, "we want to host" a request, with
one of our own listings of the right direction and a compatible kind (the engine's neighbouring kinds
allowed), or with a new listing created in the same step, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges import counterparts, proposing, services
from matchmaking.exchanges.models import Exchange
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member, term
from tests.factories_mobility import opportunity, pair

pytestmark = pytest.mark.django_db


def _dates(days: int = 2):
    start = timezone.localdate() + timedelta(days=30)
    return {"start": start, "end": start + timedelta(days=days - 1)}


def test_the_engine_neighbours_are_compatible_and_other_kinds_are_not():
    assert counterparts.types_compatible("job-shadowing", "study-visit")
    assert counterparts.types_compatible("study-visit", "study-visit")
    assert not counterparts.types_compatible("job-shadowing", "teaching-assignment")


def test_only_our_listings_of_the_right_direction_and_a_compatible_kind_are_offered():
    _host, visitor, offer, request, _host_user, visitor_user = pair()
    study = opportunity(visitor, direction="request", type=term("opportunity-types", "study-visit"))
    opportunity(visitor, direction="request", type=term("opportunity-types", "teaching-assignment"))
    opportunity(visitor, direction="offer")  # we host with it: not an answer to an offer
    opportunity(visitor, direction="request", status=Opportunity.Status.CLOSED)
    found = counterparts.counterpart_listings(user=visitor_user, theirs=offer, role=counterparts.VISIT)
    assert found == [request, study]  # the same kind first, then the neighbouring one


def test_a_role_that_the_listing_contradicts_is_refused():
    host, _visitor, offer, request, _host_user, visitor_user = pair()
    with pytest.raises(ValidationError) as caught:
        services.exchange_propose(
            actor=visitor_user, ours=request, other=host, theirs=offer, message="Hello",
            group_size=2, role=counterparts.HOST, **_dates(),
        )  # fmt: skip
    assert "ours" in caught.value.error_dict
    assert not Exchange.objects.exists()


def test_an_incompatible_kind_is_refused_and_a_neighbouring_one_accepted():
    host, visitor, offer, _request, _host_user, visitor_user = pair()
    teaching = opportunity(
        visitor, direction="request", type=term("opportunity-types", "teaching-assignment")
    )
    with pytest.raises(ValidationError):
        services.exchange_propose(
            actor=visitor_user, ours=teaching, other=host, theirs=offer, message="Hello", group_size=2,
            **_dates(),
        )  # fmt: skip
    study = opportunity(visitor, direction="request", type=term("opportunity-types", "study-visit"))
    ex = services.exchange_propose(
        actor=visitor_user, ours=study, other=host, theirs=offer, message="Hello", group_size=2,
        role=counterparts.VISIT, **_dates(),
    )  # fmt: skip
    assert (ex.visitor_id, ex.host_id, ex.request_id, ex.offer_id) == (
        visitor.pk,
        host.pk,
        study.pk,
        offer.pk,
    )


def test_a_new_request_is_created_with_the_proposal():
    host, visitor, offer, _request, _host_user, visitor_user = pair()
    ex = proposing.exchange_propose_with_new_listing(
        actor=visitor_user, organisation=visitor, theirs=offer, role=counterparts.VISIT,
        message="Two of us would like to come.", group_size=2, **_dates(),
    )  # fmt: skip
    new = ex.request
    assert new is not None
    assert new.organisation == visitor
    assert new.direction == "request"
    assert new.type == offer.type
    assert new.status == Opportunity.Status.OPEN
    assert (new.earliest, new.latest, new.group_size) == (ex.start, ex.end, 2)
    assert (ex.visitor, ex.host, ex.offer) == (visitor, host, offer)


def test_a_refused_proposal_leaves_no_new_listing_behind():
    _host, visitor, offer, _request, _host_user, visitor_user = pair(capacity=1)
    before = Opportunity.objects.count()
    with pytest.raises(ValidationError):
        proposing.exchange_propose_with_new_listing(
            actor=visitor_user, organisation=visitor, theirs=offer, role=counterparts.VISIT,
            message="All of us!", group_size=5, **_dates(),
        )  # fmt: skip
    assert Opportunity.objects.count() == before
    assert not Exchange.objects.exists()


def test_visiting_a_request_is_refused_for_a_new_listing():
    host, _visitor, _offer, request, host_user, _visitor_user = pair()
    with pytest.raises(ValidationError) as caught:
        proposing.exchange_propose_with_new_listing(
            actor=host_user, organisation=host, theirs=request, role=counterparts.VISIT,
            message="Hello", group_size=2, **_dates(),
        )  # fmt: skip
    assert "role" in caught.value.error_dict


# --- Through the pages --------------------------------------------------------------------------------


def test_an_offer_page_says_we_want_to_visit_and_offers_contact(client):
    host, _visitor, offer, request, host_user, visitor_user = pair()
    client.force_login(visitor_user)
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "We want to visit" in page
    assert "Express interest" not in page
    assert reverse("exchanges:conversation-start", args=[host.key]) + f"?about={offer.key}" in page
    page = client.get(request.get_absolute_url()).content.decode()  # our own: no such buttons
    assert "We want to" not in page
    client.force_login(host_user)
    assert "We want to host" in client.get(request.get_absolute_url()).content.decode()


def test_the_proposal_page_lists_the_compatible_listings_and_proposes_from_the_chosen_one(client):
    host, visitor, offer, request, _host_user, visitor_user = pair()
    study = opportunity(visitor, direction="request", type=term("opportunity-types", "study-visit"))
    other = opportunity(visitor, direction="request", type=term("opportunity-types", "teaching-assignment"))
    client.force_login(visitor_user)
    url = reverse("exchanges:exchange-propose")
    page = client.get(url, {"theirs": offer.key, "role": "visit"}).content.decode()
    assert f'value="{request.key}"' in page
    assert f'value="{study.key}"' in page
    assert f'value="{other.key}"' not in page
    assert "We want to visit Host Org" in page
    dates = _dates()
    response = client.post(
        url,
        {
            "theirs": offer.key, "role": "visit", "ours": study.key, "organisation": visitor.key,
            "type": "job-shadowing", "message": "We would like to come.", "start": dates["start"],
            "end": dates["end"], "group_size": 2,
        },
    )  # fmt: skip
    ex = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ex.get_absolute_url()
    assert (ex.visitor, ex.host, ex.request, ex.offer) == (visitor, host, study, offer)


def test_the_proposal_page_creates_the_listing_in_the_same_step(client):
    host, visitor, offer, _request, _host_user, _visitor_user = pair()
    newcomer = member(Role.STAFF, visitor, email="new@example.org")
    client.force_login(newcomer)
    dates = _dates()
    client.post(
        reverse("exchanges:exchange-propose"),
        {
            "theirs": offer.key, "role": "visit", "ours": "new", "organisation": visitor.key,
            "type": "study-visit", "description": "Study visit of the outreach team",
            "message": "We would like to come.", "start": dates["start"], "end": dates["end"],
            "group_size": 2,
        },
    )  # fmt: skip
    ex = Exchange.objects.get()
    assert ex.request.type.code == "study-visit"
    assert ex.request.description == "Study visit of the outreach team"
    assert (ex.visitor, ex.host) == (visitor, host)


def test_the_proposal_page_is_404_without_an_organisation_of_ones_own_elsewhere(client):
    _host, _visitor, offer, _request, host_user, _visitor_user = pair()
    client.force_login(host_user)  # the offer's own organisation
    assert client.get(reverse("exchanges:exchange-propose"), {"theirs": offer.key}).status_code == 404
    outsider_org = OrganisationFactory()
    closed = opportunity(outsider_org, direction="offer", status=Opportunity.Status.DRAFT)
    assert client.get(reverse("exchanges:exchange-propose"), {"theirs": closed.key}).status_code == 404


def test_the_exchange_list_names_visitors_and_host(client):
    host, _visitor, offer, request, _host_user, visitor_user = pair()
    services.exchange_propose(
        actor=visitor_user, ours=request, other=host, theirs=offer, message="Hello", group_size=2,
        **_dates(),
    )  # fmt: skip
    client.force_login(visitor_user)
    page = client.get(reverse("exchanges:exchange-list")).content.decode()
    assert "Visitors → host" in page
    assert "Visitor Org → Host Org" in page

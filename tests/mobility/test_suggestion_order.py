"""Partner suggestions and "organisations you could invite" are ranked apart, each from 1: the list
shows every partner before any invitation, whatever order the database returns rows of equal rank."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matchmaking.mobility.models import Suggestion
from matchmaking.mobility.selectors import suggestion_list
from tests.factories import OrganisationFactory
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db


def test_partners_come_before_invitations_of_the_same_rank():
    host, _visitor, offer, request, _host_user, _visitor_user = pair()
    invited = [OrganisationFactory(), OrganisationFactory()]
    now = timezone.now()

    def row(rank: int, organisation, their_opportunity=None) -> Suggestion:
        return Suggestion(
            opportunity=request,
            rank=rank,
            organisation=organisation,
            their_opportunity=their_opportunity,
            score=10.0,
            computed_at=now,
        )

    # Invitations stored first, so their primary keys are lower than the partner's.
    Suggestion.objects.bulk_create([row(1, invited[0]), row(2, invited[1]), row(1, host, offer)])

    listed = [(s.organisation_id, s.their_opportunity_id) for s in suggestion_list(opportunity=request)]
    assert listed == [(host.pk, offer.pk), (invited[0].pk, None), (invited[1].pk, None)]

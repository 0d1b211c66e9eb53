"""Who visits and who hosts comes from the two listings of a proposal: an offer answers a request; two
offers (or two requests) are refused rather than guessed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matchmaking.exchanges import services
from matchmaking.exchanges.models import Exchange
from tests.factories_mobility import opportunity, pair

pytestmark = pytest.mark.django_db


def _propose(actor, ours, other, theirs):
    day = timezone.localdate() + timedelta(days=30)
    return services.exchange_propose(
        actor=actor, ours=ours, other=other, theirs=theirs, message="Shall we?", start=day,
        end=day + timedelta(days=2), group_size=2,
    )  # fmt: skip


def test_a_request_answering_an_offer_visits_it():
    host, visitor, offer, request, _host_user, visitor_user = pair()
    ex = _propose(visitor_user, request, host, offer)
    assert (ex.host_id, ex.visitor_id, ex.offer_id, ex.request_id) == (
        host.pk,
        visitor.pk,
        offer.pk,
        request.pk,
    )


def test_an_offer_answering_an_offer_is_refused():
    host, visitor, offer, _request, _host_user, visitor_user = pair()
    our_offer = opportunity(visitor, direction="offer")
    with pytest.raises(ValidationError):
        _propose(visitor_user, our_offer, host, offer)
    assert not Exchange.objects.exists()

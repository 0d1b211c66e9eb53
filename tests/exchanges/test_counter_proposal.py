"""Before agreement, other dates from the side that received the proposal are a counter-proposal: the
proposal becomes theirs and the first proposer accepts or declines it (one side never agrees alone)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchmaking.core.models import AuditEvent
from matchmaking.exchanges import changes, services
from matchmaking.exchanges.models import State
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


def test_the_receivers_other_dates_turn_the_proposal_round():
    host, visitor, _o, _r, host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.PROPOSED, proposed_by=visitor)
    later = ex.start + timedelta(days=7)
    changes.exchange_update(
        actor=host_user, exchange=ex, start=later, end=later + timedelta(days=2), group_size=2
    )
    ex.refresh_from_db()
    assert ex.start == later
    assert ex.proposed_by_id == host.pk
    assert ex.answering_organisation_id == visitor.pk
    with pytest.raises(ValidationError):
        services.exchange_accept(actor=host_user, exchange=ex)  # not their own counter-proposal
    services.exchange_accept(actor=visitor_user, exchange=ex)
    assert AuditEvent.objects.filter(action="exchange.change-proposed", organisation_id=host.pk).exists()


def test_the_proposers_own_change_applies_without_turning_it(client):
    host, visitor, _o, _r, _host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.PROPOSED, proposed_by=visitor)
    client.force_login(visitor_user)
    later = ex.start + timedelta(days=7)
    client.post(
        reverse("exchanges:exchange-dates", args=[ex.pk]),
        {"start": later, "end": later + timedelta(days=2), "group_size": 2},
    )
    ex.refresh_from_db()
    assert (ex.start, ex.proposed_by_id) == (later, visitor.pk)

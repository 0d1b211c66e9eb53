"""Partner suggestions know who worked together before, without importing the exchanges app."""

from __future__ import annotations

import pytest

from matchmaking.exchanges.models import HOLDING_STATES, State
from matchmaking.mobility.matching import EXCHANGE_STATES_WENT_AHEAD, past_exchange_pairs
from tests.factories import OrganisationFactory
from tests.factories_mobility import exchange

pytestmark = pytest.mark.django_db


def test_the_states_read_by_suggestions_are_the_exchanges_holding_states():
    assert set(EXCHANGE_STATES_WENT_AHEAD) == {str(s) for s in HOLDING_STATES}


def test_past_pairs_are_exchanges_that_went_ahead_and_only_those():
    a, b, c, d = (OrganisationFactory() for _ in range(4))
    exchange(a, b, state=State.AGREED)
    exchange(a, c, state=State.DECLINED)  # never went ahead: not a past partner
    exchange(c, b, state=State.REPORTED)
    exchange(a, d, state=State.PROPOSED)
    exchange(d, a, state=State.COMPLETED)
    exchange(a, b, state=State.COMPLETED)  # a second exchange of the same pair counts once

    assert sorted(past_exchange_pairs()) == sorted([(a.key, b.key), (c.key, b.key), (d.key, a.key)])

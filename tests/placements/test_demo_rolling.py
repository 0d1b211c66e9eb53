"""The demo's rolling-start placement at DEHOGA, made for walking through one person's placement, with a
Borås person's proposal waiting in DEHOGA's inbox."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matchmaking.demo.placements import FOOD_HYGIENE, _rolling_start
from matchmaking.placements.models import Assignment, Placement
from tests.factories import OrganisationFactory
from tests.factories_participants import participant

pytestmark = pytest.mark.django_db


def test_the_rolling_start_placement_has_a_proposal_waiting():
    dehoga = OrganisationFactory(key="dehoga-academy", country="DE")
    boras = OrganisationFactory(key="boras-working-life", country="SE")
    stays_home = participant(boras, languages=(), is_demo=True, willing_to_go_abroad=False)
    goes = participant(boras, languages=(), is_demo=True, willing_to_go_abroad=True)
    today = timezone.localdate()
    _rolling_start(today)
    placement = Placement.objects.get(key="demo-dehoga-rolling-kitchen", host=dehoga)
    assert placement.start < today < placement.end
    assert placement.skills.get(required=True).uri == FOOD_HYGIENE[0]
    waiting = Assignment.objects.get()
    assert waiting.status == "proposed"
    assert waiting.participant == goes
    assert waiting.participant != stays_home

"""The demo data: enough people and placements, every state present, and a second run changes nothing."""

from __future__ import annotations

import pytest

from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Referral, Step
from matchmaking.placements.models import Placement, Proposal, Round


@pytest.mark.django_db
def test_demo_is_big_enough_covers_every_state_and_is_idempotent():
    from matchmaking.demo.services import demo_load

    demo_load()
    counts = (Participant.objects.count(), Placement.objects.count(), Round.objects.count())
    pseudonyms = set(Participant.objects.values_list("pseudonym", flat=True))
    assert counts[0] >= 300
    assert counts[1] >= 80
    assert {"draft", "proposed", "confirmed"} <= set(Round.objects.values_list("status", flat=True))
    assert {"accepted", "declined", "confirmed", "proposed"} <= set(
        Proposal.objects.values_list("status", flat=True)
    )
    assert set(Step.Status.values) <= set(Step.objects.values_list("status", flat=True))
    assert set(Referral.Status.values) <= set(Referral.objects.values_list("status", flat=True))
    assert Participant.objects.filter(status="exited").exists()
    assert Placement.objects.filter(skills__required=True).distinct().count() == counts[1]
    demo_load()
    assert (Participant.objects.count(), Placement.objects.count(), Round.objects.count()) == counts
    assert set(Participant.objects.values_list("pseudonym", flat=True)) == pseudonyms

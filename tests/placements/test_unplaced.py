"""After a round is confirmed, people who got no placement are shown as not placed (not "proposed"),
and their worker is offered the waiting list of a full placement they could have taken."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.core.models import Notification
from matchmaking.organisations.models import Role
from matchmaking.placements import rounds
from matchmaking.placements.models import Proposal, WaitingListEntry
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, participant, placement


@pytest.fixture
def confirmed(world, coordinator):
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    member(Role.STAFF, host, email="host@example.org")
    kitchen = placement(host, key="kitchen", seats=1, required=[HYGIENE])
    world.person.skills.create(uri=HYGIENE, label="hygiene", how="informal", esco_version="1.1.1")
    runner_up = participant(world.home, key_worker=world.worker, skills=[HYGIENE])
    # No Swedish: the kitchen's language requirement (a hard rule) excludes this person.
    misfit = participant(world.home, key_worker=world.worker, skills=[CUSTOMERS], languages=(("en", "A1"),))
    found = rounds.round_create(
        actor=coordinator,
        name="Kitchen round",
        method="stable",
        participants=[world.person, runner_up, misfit],
        placements=[kitchen],
    )
    rounds.round_propose(actor=coordinator, allocation_round=found)
    found.refresh_from_db()
    world.round, world.kitchen, world.runner_up, world.misfit = found, kitchen, runner_up, misfit
    world.coordinator = coordinator
    return world


def _unplaced(w):
    placed = w.round.proposals.get(placement=w.kitchen).participant
    return w.runner_up if placed == w.person else w.person


def test_unplaced_people_are_not_placed_after_confirmation(confirmed):
    w = confirmed
    before = {p.participant_id: p.status for p in w.round.proposals.all()}
    assert set(before.values()) == {Proposal.Status.PROPOSED}  # still under review

    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    statuses = {p.participant_id: p.status for p in w.round.proposals.all()}
    waiting = _unplaced(w)
    assert statuses[waiting.pk] == Proposal.Status.UNPLACED
    assert statuses[w.misfit.pk] == Proposal.Status.UNPLACED
    assert list(statuses.values()).count(Proposal.Status.CONFIRMED) == 1
    assert Proposal.Status.PROPOSED not in statuses.values()
    # The key worker is told, with a link to the person's page.
    told = Notification.objects.filter(recipient=w.worker, kind="round.unplaced")
    assert {n.url for n in told} == {waiting.get_absolute_url(), w.misfit.get_absolute_url()}


def test_overridden_to_no_placement_is_not_placed(confirmed):
    w = confirmed
    placed = w.round.proposals.get(placement=w.kitchen)
    rounds.proposal_override(actor=w.coordinator, proposal=placed, placement=None, reason="Course first")
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    assert set(w.round.proposals.values_list("status", flat=True)) == {Proposal.Status.UNPLACED}


def test_worker_is_offered_the_waiting_list_of_a_full_placement(client, confirmed):
    w = confirmed
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    waiting = _unplaced(w)
    client.force_login(w.worker)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Not placed" in page
    assert "Proposed" not in page
    assert "Put on the waiting list for Kitchen assistant" in page
    # A placement the person could not take at all is not offered as a waiting list.
    misfit_page = client.get(w.misfit.get_absolute_url()).content.decode()
    assert "Not placed" in misfit_page
    assert "Put on the waiting list" not in misfit_page

    response = client.post(
        reverse("placements:waiting-list", args=[w.kitchen.key]),
        {"pseudonym": waiting.pseudonym, "back": "participant"},
    )
    assert response.status_code == 302
    assert response["Location"] == waiting.get_absolute_url()
    assert WaitingListEntry.objects.filter(
        placement=w.kitchen, participant=waiting, status=WaitingListEntry.Status.WAITING
    ).exists()
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Put on the waiting list for Kitchen assistant" not in page  # offered once, taken up

    # The coordinator's round page names the full placement beside the unplaced person.
    client.force_login(w.coordinator)
    round_page = client.get(w.round.get_absolute_url()).content.decode()
    assert "Not placed" in round_page


def test_another_organisation_is_not_offered_anything(client, confirmed):
    w = confirmed
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    waiting = _unplaced(w)
    client.force_login(w.stranger)
    assert client.get(waiting.get_absolute_url()).status_code == 404
    client.post(reverse("placements:waiting-list", args=[w.kitchen.key]), {"pseudonym": waiting.pseudonym})
    assert not WaitingListEntry.objects.filter(participant=waiting).exists()

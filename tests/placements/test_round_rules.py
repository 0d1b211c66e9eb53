"""Rounds follow the rules: nobody who left or is paused is proposed, nobody below the round's minimum
fit; an upheld contest withdraws the proposal and offers its seat on; a freed seat becomes a proposal
the host decides on, held for a set time; the reviewer sees the fit of every alternative."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.audit import AuditEvent
from matchmaking.core.models import Notification
from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant
from matchmaking.placements import decisions, rounds, seat_offers
from matchmaking.placements.models import Contest, Proposal, Round, WaitingListEntry
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, participant, placement


@pytest.fixture
def kitchen_round(world, coordinator):
    """One kitchen seat; two people who fit it, one who fits nothing at the minimum (lacks both skills)."""
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    world.host_member = member(Role.STAFF, host, email="host@example.org")
    world.kitchen = placement(host, key="kitchen", seats=1, required=[HYGIENE])
    world.bar = placement(host, key="bar", seats=1, required=[HYGIENE, CUSTOMERS], title="Bar assistant")
    world.person.skills.create(uri=HYGIENE, label="hygiene", how="informal", esco_version="1.1.1")
    world.runner_up = participant(world.home, key_worker=world.worker, skills=[HYGIENE])
    world.novice = participant(world.home, key_worker=world.worker)
    world.coordinator = coordinator
    world.round = rounds.round_create(
        actor=coordinator,
        name="Kitchen round",
        method="stable",
        participants=[world.person, world.runner_up, world.novice],
        placements=[world.kitchen],
    )
    return world


def _compute(w):
    rounds.round_propose(actor=w.coordinator, allocation_round=w.round)
    w.round.refresh_from_db()
    return {p.participant_id: p for p in w.round.proposals.all()}


def _held(placement_id: int) -> int:
    return Proposal.objects.filter(placement_id=placement_id, status__in=Proposal.HOLDS_SEAT).count()


# --- Eligibility -------------------------------------------------------------------------------------


def test_people_who_left_or_are_paused_are_dropped_from_an_earlier_round(kitchen_round):
    w = kitchen_round
    Participant.objects.filter(pk=w.person.pk).update(exited_on=timezone.localdate())
    Participant.objects.filter(pk=w.runner_up.pk).update(status="paused")
    proposals = _compute(w)
    assert set(proposals) == {w.novice.pk}
    excluded = {e["participant"]: e["code"] for e in w.round.summary["excluded"]}
    assert excluded == {w.person.pseudonym: "ineligible-exited", w.runner_up.pseudonym: "ineligible-paused"}


def test_a_round_cannot_be_created_with_someone_who_left(kitchen_round):
    w = kitchen_round
    Participant.objects.filter(pk=w.person.pk).update(status=Participant.Status.EXITED)
    w.person.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        rounds.round_create(
            actor=w.coordinator, name="R", method="stable", participants=[w.person], placements=[w.kitchen]
        )
    assert "participants" in refused.value.message_dict


def test_someone_who_left_after_the_computation_is_not_confirmed(kitchen_round):
    w = kitchen_round
    proposals = _compute(w)
    placed = next(p for p in proposals.values() if p.placement_id == w.kitchen.pk)
    Participant.objects.filter(pk=placed.participant_id).update(exited_on=timezone.localdate())
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    placed.refresh_from_db()
    assert placed.status == Proposal.Status.WITHDRAWN
    assert placed.reasons[0]["code"] == "ineligible-exited"
    assert _held(w.kitchen.pk) == 0


# --- Minimum fit -------------------------------------------------------------------------------------


def test_nobody_is_proposed_below_the_minimum_fit_and_the_gaps_are_listed(kitchen_round, client):
    w = kitchen_round
    w.round.placements.set([w.bar])
    Round.objects.filter(pk=w.round.pk).update(min_fit=40)
    proposals = _compute(w)
    novice = proposals[w.novice.pk]
    assert novice.placement is None
    assert novice.reasons[0]["code"] == "unplaced-fit"
    assert {g["uri"] for g in novice.skill_gap} == {HYGIENE, CUSTOMERS}
    for p in proposals.values():
        assert p.placement is None or p.score >= 40
    assert w.round.summary["no_suitable"] >= 1
    client.force_login(w.coordinator)
    page = client.get(w.round.get_absolute_url()).content.decode()
    assert "No suitable placement" in page
    assert novice.participant.pseudonym in page


def test_the_minimum_fit_is_checked_and_named(kitchen_round):
    w = kitchen_round
    for bad in (-1, 101, "20", True):
        with pytest.raises(ValidationError) as refused:
            rounds.round_create(
                actor=w.coordinator,
                name="R",
                method="stable",
                min_fit=bad,
                participants=[w.novice],
                placements=[w.kitchen],
            )
        assert "min_fit" in refused.value.message_dict


def test_the_round_form_shows_the_default_minimum_fit(kitchen_round, client):
    client.force_login(kitchen_round.coordinator)
    page = client.get(reverse("placements:round-create")).content.decode()
    assert 'name="min_fit"' in page
    assert 'value="20"' in page
    assert "default 20" in page


def test_an_override_below_the_minimum_fit_is_refused_naming_the_placement(kitchen_round):
    w = kitchen_round
    proposals = _compute(w)
    with pytest.raises(ValidationError) as refused:
        rounds.proposal_override(
            actor=w.coordinator, proposal=proposals[w.novice.pk], placement=w.kitchen, reason="Try"
        )
    assert "placement" in refused.value.message_dict


# --- The reviewer's alternatives -----------------------------------------------------------------------


def test_the_review_shows_each_alternative_with_its_fit_not_every_placement(kitchen_round, client):
    w = kitchen_round
    far = placement(w.kitchen.host, key="far-away", seats=1, required=[CUSTOMERS], title="Night porter")
    w.round.placements.add(far)
    proposals = _compute(w)
    person = proposals[w.person.pk]
    assert person.alternatives
    assert all("score" in a for a in person.alternatives)
    assert far.pk not in {a["placement"] for a in person.alternatives}  # below the minimum for them
    client.force_login(w.coordinator)
    page = client.get(w.round.get_absolute_url()).content.decode()
    assert f"Kitchen assistant · Hotel Göta · fit {person.alternatives[0]['score']:.0f}/100" in page
    assert 'name="placement_key"' in page
    assert '<option value="far-away">' not in page  # found by the search field, not listed in the page
    options = client.get(reverse("placements:round-placement-options", args=[w.round.pk]), {"q": "far"})
    assert '<option value="far-away">' in options.content.decode()


def test_an_override_by_placement_key(kitchen_round, client):
    w = kitchen_round
    proposals = _compute(w)
    unplaced = next(
        p for p in proposals.values() if p.placement_id is None and p.participant_id != w.novice.pk
    )
    placed = next(p for p in proposals.values() if p.placement_id == w.kitchen.pk)
    rounds.proposal_override(actor=w.coordinator, proposal=placed, placement=None, reason="Course first")
    client.force_login(w.coordinator)
    url = reverse("placements:proposal-override", args=[w.round.pk, unplaced.pk])
    client.post(url, {"placement_key": "no-such", "reason": "Swap"})
    unplaced.refresh_from_db()
    assert unplaced.placement_id is None
    client.post(url, {"placement_key": "kitchen", "reason": "Swap"})
    unplaced.refresh_from_db()
    assert unplaced.placement_id == w.kitchen.pk
    assert unplaced.score is not None


# --- Contests ----------------------------------------------------------------------------------------


def _confirmed(w):
    proposals = _compute(w)
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    placed = next(p for p in proposals.values() if p.placement_id == w.kitchen.pk)
    placed.refresh_from_db()
    return placed


def test_an_upheld_contest_withdraws_the_proposal_and_offers_the_seat_on(
    kitchen_round, django_capture_on_commit_callbacks
):
    w = kitchen_round
    placed = _confirmed(w)
    contest = decisions.contest_raise(actor=w.worker, proposal=placed, reason="Not what they want")
    with django_capture_on_commit_callbacks(execute=True):
        decisions.contest_answer(actor=w.coordinator, contest=contest, upheld=True, answer="Agreed")
    placed.refresh_from_db()
    assert placed.status == Proposal.Status.WITHDRAWN
    other = w.runner_up if placed.participant_id == w.person.pk else w.person
    offered = w.round.proposals.get(participant=other)
    assert offered.status == Proposal.Status.OFFERED
    assert offered.placement_id == w.kitchen.pk
    assert offered.hold_until is not None
    assert _held(w.kitchen.pk) == 1
    # The novice fits below the minimum and is never offered it.
    assert w.round.proposals.get(participant=w.novice).placement_id is None
    assert AuditEvent.objects.filter(action="proposal.offer").exists()
    assert Notification.objects.filter(recipient=w.host_member, kind="round.confirmed").count() >= 2
    assert Contest.objects.get(pk=contest.pk).outcome == Contest.Outcome.UPHELD


def test_an_upheld_contest_under_review_gives_the_seat_to_the_next_in_the_round(kitchen_round):
    w = kitchen_round
    proposals = _compute(w)
    placed = next(p for p in proposals.values() if p.placement_id == w.kitchen.pk)
    contest = decisions.contest_raise(actor=w.worker, proposal=placed, reason="Not this one")
    decisions.contest_answer(actor=w.coordinator, contest=contest, upheld=True, answer="Agreed")
    statuses = {p.participant_id: (p.status, p.placement_id) for p in w.round.proposals.all()}
    assert statuses[placed.participant_id] == (Proposal.Status.WITHDRAWN, w.kitchen.pk)
    other = w.runner_up if placed.participant_id == w.person.pk else w.person
    assert statuses[other.pk] == (Proposal.Status.PROPOSED, w.kitchen.pk)
    rounds.round_confirm(actor=w.coordinator, allocation_round=w.round)
    assert _held(w.kitchen.pk) == 1


def test_a_rejected_contest_changes_nothing(kitchen_round):
    w = kitchen_round
    placed = _confirmed(w)
    contest = decisions.contest_raise(actor=w.worker, proposal=placed, reason="Hm")
    decisions.contest_answer(actor=w.coordinator, contest=contest, upheld=False, answer="No")
    placed.refresh_from_db()
    assert placed.status == Proposal.Status.CONFIRMED


# --- Waiting lists and seat holds --------------------------------------------------------------------


def _waiting(w, person):
    return WaitingListEntry.objects.create(placement=w.kitchen, participant=person, added_by=w.worker)


def test_a_declined_seat_offered_from_the_waiting_list_is_a_proposal_the_host_decides(
    kitchen_round, django_capture_on_commit_callbacks
):
    w = kitchen_round
    placed = _confirmed(w)
    other = w.runner_up if placed.participant_id == w.person.pk else w.person
    entry = _waiting(w, other)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.proposal_decide(actor=w.host_member, proposal=placed, accept=False, reason="dates")
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED
    offered = Proposal.objects.get(participant=other, placement=w.kitchen)
    assert offered.status == Proposal.Status.OFFERED
    held = (offered.hold_until - timezone.now()).days
    assert seat_offers.seat_hold_days() - 1 <= held <= seat_offers.seat_hold_days()
    assert Notification.objects.filter(recipient=w.worker, kind="placement.waiting-list").exists()
    decisions.proposal_decide(actor=w.host_member, proposal=offered, accept=True)
    offered.refresh_from_db()
    assert offered.status == Proposal.Status.ACCEPTED
    assert _held(w.kitchen.pk) == 1


def test_someone_who_left_is_skipped_on_the_waiting_list(kitchen_round):
    w = kitchen_round
    placed = _confirmed(w)
    other = w.runner_up if placed.participant_id == w.person.pk else w.person
    gone = participant(w.home, key_worker=w.worker, skills=[HYGIENE], exited_on=timezone.localdate())
    first = _waiting(w, gone)
    _waiting(w, other)
    decisions.proposal_decide(actor=w.host_member, proposal=placed, accept=False, reason="dates")
    first.refresh_from_db()
    assert first.status == WaitingListEntry.Status.REMOVED
    assert not Proposal.objects.filter(participant=gone).exists()
    assert Proposal.objects.get(participant=other, placement=w.kitchen).status == Proposal.Status.OFFERED


def test_an_expired_hold_frees_the_seat_for_the_next_one(kitchen_round):
    w = kitchen_round
    placed = _confirmed(w)
    other = w.runner_up if placed.participant_id == w.person.pk else w.person
    third = participant(w.home, key_worker=w.worker, skills=[HYGIENE])
    _waiting(w, other)
    _waiting(w, third)
    decisions.proposal_decide(actor=w.host_member, proposal=placed, accept=False, reason="dates")
    offered = Proposal.objects.get(participant=other, placement=w.kitchen)
    later = timezone.now() + timedelta(days=seat_offers.seat_hold_days() + 1)
    assert seat_offers.seat_holds_expire(now=timezone.now()).startswith("0 ")  # not yet
    message = seat_offers.seat_holds_expire(now=later)
    assert message.startswith("1 ")
    offered.refresh_from_db()
    assert offered.status == Proposal.Status.WITHDRAWN
    assert Proposal.objects.get(participant=third, placement=w.kitchen).status == Proposal.Status.OFFERED
    assert _held(w.kitchen.pk) == 1


# --- Fairness report ---------------------------------------------------------------------------------


def test_the_fairness_report_shows_fit_and_suppresses_small_groups(kitchen_round, client):
    w = kitchen_round
    _compute(w)
    audit = w.round.fairness["organisation"]
    (group,) = audit["groups"]
    assert group["suppressed"]  # three people: fewer than five
    assert not group["flagged"]
    assert "mean_fit_placed" in group
    client.force_login(w.coordinator)
    page = client.get(w.round.get_absolute_url()).content.decode()
    assert "Mean fit of those placed" in page
    assert "&lt;5" in page
    assert "By age band" in page


def test_the_fit_at_a_placement_chosen_by_key_is_shown_before_the_change(kitchen_round, client):
    w = kitchen_round
    proposals = _compute(w)
    url = reverse("placements:proposal-fit", args=[w.round.pk, proposals[w.novice.pk].pk])
    client.force_login(w.coordinator)
    shown = client.get(url, {"placement_key": "kitchen"}).content.decode()
    assert "Kitchen assistant: fit" in shown
    assert "below the minimum fit of 20" in shown
    assert "no placement of this round" in client.get(url, {"placement_key": "nope"}).content.decode()
    client.force_login(w.worker)
    assert client.get(url, {"placement_key": "kitchen"}).status_code == 404


def test_the_round_form_does_not_offer_people_who_left(kitchen_round, client):
    w = kitchen_round
    Participant.objects.filter(pk=w.runner_up.pk).update(exited_on=timezone.localdate())
    client.force_login(w.coordinator)
    page = client.get(reverse("placements:round-create")).content.decode()
    assert w.person.pseudonym in page
    assert w.runner_up.pseudonym not in page


def test_a_bad_minimum_fit_in_the_form_is_named_not_a_500(kitchen_round, client):
    w = kitchen_round
    client.force_login(w.coordinator)
    for bad in ("abc", "101", "-5"):
        response = client.post(
            reverse("placements:round-create"),
            {
                "name": "Bad",
                "method": "stable",
                "min_fit": bad,
                "participants": [str(w.person.pk)],
                "placements": [str(w.kitchen.pk)],
            },
        )
        assert response.status_code == 200
        assert "min_fit" in response.context["form"].errors
    assert not Round.objects.filter(name="Bad").exists()


def test_the_round_page_lists_who_was_left_out_and_why(kitchen_round, client):
    w = kitchen_round
    Participant.objects.filter(pk=w.person.pk).update(exited_on=timezone.localdate())
    _compute(w)
    client.force_login(w.coordinator)
    page = client.get(w.round.get_absolute_url()).content.decode()
    assert f"{w.person.pseudonym}: Left the programme: not proposed." in page

"""Allocation rounds through the web: create, propose, override with a reason, confirm, host decides,
contest; seats never over-allocated; sensitive attributes change no score."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from matchmaking.core.models import AuditEvent
from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant
from matchmaking.pathways.models import Offer
from matchmaking.placements import rounds
from matchmaking.placements.models import Contest, Proposal, Round
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, participant, placement


@pytest.fixture
def setup(world, coordinator):
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    host_staff = member(Role.STAFF, host, email="host@example.org")
    kitchen = placement(host, key="kitchen", seats=1, required=[HYGIENE], desired=[CUSTOMERS])
    cafe = placement(host, key="cafe", seats=1, required=[CUSTOMERS], title="Café")
    world.person.skills.create(uri=HYGIENE, label="hygiene", how="informal", esco_version="1.1.1")
    second = participant(world.home, key_worker=world.worker, skills=[CUSTOMERS])
    world.host, world.host_staff, world.kitchen, world.cafe, world.second = (
        host,
        host_staff,
        kitchen,
        cafe,
        second,
    )
    world.coordinator = coordinator
    return world


def _create_round(client, w, method="stable", floor=0, name="Spring round"):
    client.force_login(w.coordinator)
    response = client.post(
        reverse("placements:round-create"),
        {
            "name": name,
            "method": method,
            "floor": floor,
            "participants": [w.person.pk, w.second.pk],
            "placements": [w.kitchen.pk, w.cafe.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Round.objects.get(name=name)


def test_full_round_through_the_web(client, setup):
    w = setup
    found = _create_round(client, w)
    client.post(reverse("placements:round-propose", args=[found.pk]))
    found.refresh_from_db()
    assert found.status == Round.Status.PROPOSED
    mine = found.proposals.get(participant=w.person)
    assert mine.placement == w.kitchen
    assert mine.reasons
    page = client.get(found.get_absolute_url()).content.decode()
    assert "Fairness report" in page
    assert "Secret-Name" not in page

    # Override needs a reason; with one it is recorded.
    url = reverse("placements:proposal-override", args=[found.pk, mine.pk])
    client.post(url, {"placement": "", "reason": ""})
    mine.refresh_from_db()
    assert mine.placement == w.kitchen
    client.post(url, {"placement": "", "reason": "Starts a course that month"})
    mine.refresh_from_db()
    assert mine.placement is None
    assert mine.override_reason == "Starts a course that month"
    assert AuditEvent.objects.filter(action="proposal.override", reason="Starts a course that month").exists()
    client.post(url, {"placement": str(w.kitchen.pk), "reason": "Course moved"})

    client.post(reverse("placements:round-confirm", args=[found.pk]))
    found.refresh_from_db()
    assert found.status == Round.Status.CONFIRMED
    mine.refresh_from_db()
    assert mine.status == Proposal.Status.CONFIRMED

    # The host accepts; the accepted placement is an offer that stops the Youth Guarantee clock.
    client.force_login(w.host_staff)
    detail = client.get(w.kitchen.get_absolute_url()).content.decode()
    assert w.person.pseudonym in detail
    assert "Secret-Name" not in detail
    client.post(reverse("placements:proposal-decide", args=[mine.pk]), {"decision": "accept"})
    mine.refresh_from_db()
    assert mine.status == Proposal.Status.ACCEPTED
    assert Offer.objects.filter(participant=w.person).exists()

    # Declining needs a structured reason.
    other = found.proposals.get(participant=w.second)
    client.post(reverse("placements:proposal-decide", args=[other.pk]), {"decision": "decline"})
    other.refresh_from_db()
    assert other.status == Proposal.Status.CONFIRMED
    client.post(
        reverse("placements:proposal-decide", args=[other.pk]), {"decision": "decline", "reason": "dates"}
    )
    other.refresh_from_db()
    assert other.status == Proposal.Status.DECLINED
    assert other.decline_reason == "dates"

    # The worker contests on the participant's behalf; the coordinator answers.
    client.force_login(w.worker)
    client.post(reverse("placements:proposal-contest", args=[other.pk]), {"reason": "The dates can move"})
    contest = Contest.objects.get(proposal=other)
    assert AuditEvent.objects.filter(action="proposal.contest").exists()
    client.force_login(w.coordinator)
    client.post(
        reverse("placements:contest-answer", args=[contest.pk]), {"upheld": "no", "answer": "Host is firm"}
    )
    contest.refresh_from_db()
    assert contest.outcome == Contest.Outcome.REJECTED
    assert contest.answer == "Host is firm"


def test_round_pages_are_for_coordinators_only(client, setup):
    w = setup
    found = _create_round(client, w)
    for user in (w.worker, w.stranger, w.host_staff):
        client.force_login(user)
        assert client.get(found.get_absolute_url()).status_code == 404
        # The coordinators' list sends case workers to the rounds of their own people, read only.
        listing = client.get(reverse("placements:round-list"), follow=True)
        assert listing.status_code == (404 if user == w.host_staff else 200)
        assert found.name not in listing.content.decode() or user == w.worker
        assert client.post(reverse("placements:round-confirm", args=[found.pk])).status_code == 404
    client.force_login(w.stranger)
    proposal_id = 999999
    assert client.post(reverse("placements:proposal-decide", args=[proposal_id]), {}).status_code == 404
    assert client.get(reverse("placements:proposal-contest", args=[proposal_id])).status_code == 404


def test_contest_by_another_organisation_is_404(client, setup):
    w = setup
    found = _create_round(client, w)
    rounds.round_propose(actor=w.coordinator, allocation_round=found)
    proposal = found.proposals.get(participant=w.person)
    for user in (w.stranger, w.helper):
        client.force_login(user)
        assert client.get(reverse("placements:proposal-contest", args=[proposal.pk])).status_code == 404


def test_seats_are_never_over_allocated_across_rounds(setup):
    w = setup
    first = rounds.round_create(
        actor=w.coordinator, name="A", method="stable", participants=[w.person], placements=[w.kitchen]
    )
    second = rounds.round_create(
        actor=w.coordinator, name="B", method="stable", participants=[w.second], placements=[w.kitchen]
    )
    w.second.skills.create(uri=HYGIENE, label="hygiene", how="formal", esco_version="1.1.1")
    rounds.round_propose(actor=w.coordinator, allocation_round=first)
    rounds.round_propose(actor=w.coordinator, allocation_round=second)
    assert first.proposals.get().placement == w.kitchen
    assert second.proposals.get().placement == w.kitchen
    rounds.round_confirm(actor=w.coordinator, allocation_round=first)
    with pytest.raises(ValidationError, match="Not enough free seats"):
        rounds.round_confirm(actor=w.coordinator, allocation_round=second)
    assert Proposal.objects.filter(placement=w.kitchen, status__in=Proposal.HOLDS_SEAT).count() == 1


def test_optimal_round_with_floor_reports_it(client, setup):
    w = setup
    w.second.fewer_opportunities = True
    w.second.save()
    found = _create_round(client, w, method="optimal", floor=1, name="Floor round")
    client.post(reverse("placements:round-propose", args=[found.pk]))
    found.refresh_from_db()
    assert found.summary["fewer_opportunities_placed"] >= 1
    assert found.summary["notes"][0]["code"] == "floor-met"
    groups = [g["group"] for g in found.fairness["fewer_opportunities"]["groups"]]
    assert "fewer-opportunities" in groups  # a code, written in the reader's language on the page
    with translation.override("sv"):
        page = client.get(reverse("placements:round-detail", args=[found.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    body = page.content.decode()
    assert "fewer-opportunities" not in body
    assert "Efter färre möjligheter" in body  # the table's caption, in Swedish
    assert "<td>färre möjligheter</td>" in body  # the group, in Swedish


def test_floor_needs_optimal(setup):
    with pytest.raises(ValidationError):
        rounds.round_create(
            actor=setup.coordinator,
            name="x",
            method="stable",
            floor=2,
            participants=[setup.person],
            placements=[setup.kitchen],
        )


def test_large_round_runs_in_the_background_with_progress(
    client, setup, settings, django_capture_on_commit_callbacks
):
    settings.ROUND_BACKGROUND_PAIRS = 1
    w = setup
    found = _create_round(client, w, name="Big")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("placements:round-propose", args=[found.pk]))
    found.refresh_from_db()
    assert found.status == Round.Status.RUNNING
    page = client.get(reverse("placements:round-progress", args=[found.pk])).content.decode()
    assert "every 2s" in page
    assert "<progress" in page
    for callback in callbacks:
        callback()
    found.refresh_from_db()
    assert found.status == Round.Status.PROPOSED
    assert found.progress_done == found.progress_total == 2


def test_changing_sensitive_attributes_changes_no_score(client, setup):
    """The score-invariance test through the web path: barriers, fewer-opportunities flag, age (date of birth)
    and gender are changed through the pages, the round is recomputed, and every score stays the same."""
    w = setup
    found = _create_round(client, w, name="Invariance")
    client.post(reverse("placements:round-propose", args=[found.pk]))
    before = {p.participant_id: (p.placement_id, p.score) for p in found.proposals.all()}
    from matchmaking.placements.matching import score_matrix

    everyone = [w.person, w.second]
    places = [w.kitchen, w.cafe]
    matrix_before = [[m.score for m in row] for row in score_matrix(everyone, places)[2]]

    client.force_login(w.worker)
    for person in everyone:
        p = person.pseudonym
        client.post(
            reverse("participants:consents", args=[p]), {"purpose": "barriers", "given_on": "2026-01-01"}
        )
        client.post(
            reverse("participants:consents", args=[p]),
            {"barriers_form": "1", "barriers": ["health", "economic", "discrimination"]},
        )
        client.post(
            reverse("participants:identity-edit", args=[p]),
            {"given_name": "Changed", "date_of_birth": "1960-02-02"},
        )
        person.refresh_from_db()
        assert person.fewer_opportunities
        assert person.barriers
        assert person.age_group == "adult"
    # Self-declared gender, changed both ways: it feeds the fairness report only.
    Participant.objects.filter(pk=w.person.pk).update(gender="woman")
    Participant.objects.filter(pk=w.second.pk).update(gender="non-binary")

    client.force_login(w.coordinator)
    client.post(reverse("placements:round-propose", args=[found.pk]))
    after = {p.participant_id: (p.placement_id, p.score) for p in found.proposals.all()}
    assert after == before
    for person in everyone:
        person.refresh_from_db()
    assert [[m.score for m in row] for row in score_matrix(everyone, places)[2]] == matrix_before


def test_accepted_placement_abroad_creates_a_mobility_record(setup):
    from datetime import date

    from matchmaking.placements import decisions
    from matchmaking.placements.models import MobilityRecord
    from tests.factories_participants import placement as make_placement

    w = setup
    abroad = make_placement(
        w.other,
        key="bergen",
        seats=1,
        required=[HYGIENE],
        languages=(),
        start=date(2026, 9, 1),
        end=date(2026, 11, 29),
        labour_market="training",
        scheme="erasmus-vet",
    )
    w.person.willing_to_go_abroad = True
    w.person.fewer_opportunities = True
    w.person.save()
    w.other.erasmus_id = "E10000001"
    w.other.save()
    found = rounds.round_create(
        actor=w.coordinator, name="Abroad", method="stable", participants=[w.person], placements=[abroad]
    )
    rounds.round_propose(actor=w.coordinator, allocation_round=found)
    rounds.round_confirm(actor=w.coordinator, allocation_round=found)
    proposal = found.proposals.get()
    host_member = member(Role.STAFF, w.other, email="bergen-host@example.org")
    decisions.proposal_decide(actor=host_member, proposal=proposal, accept=True)
    record = MobilityRecord.objects.get(participant=w.person)
    assert record.activity_code == "LM-LONG-VET"
    assert record.long_term
    assert record.learner_type == "vet-learner"
    assert record.receiving_erasmus_id == "E10000001"
    assert record.fewer_opportunities
    assert record.country == "NO"

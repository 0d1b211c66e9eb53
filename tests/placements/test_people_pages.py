"""Suggested placements for one person, the single proposal through the web, the host's side (profile,
inbox, on hold), and the read-only rounds of a case worker; each tried by the wrong organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant, ParticipantSkill
from matchmaking.placements import lifecycle, rounds
from matchmaking.placements.models import Assignment
from matchmaking.placements.suggestions import suggestions_for
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, placement


@pytest.fixture
def setup(world):
    host_org = OrganisationFactory(key="dehoga", name="DEHOGA", country="DE")
    world.host = member(Role.STAFF, host_org, email="host@example.org")
    world.host_org = host_org
    world.person.willing_to_go_abroad = True
    world.person.support_requirements = ["quiet-space"]
    world.person.save()
    ParticipantSkill.objects.create(
        participant=world.person, uri=HYGIENE, label="hygiene", how="formal", esco_version="1.1.1"
    )
    today = timezone.localdate()
    world.good = placement(
        host_org,
        title="Hotel kitchen",
        required=(HYGIENE,),
        desired=(CUSTOMERS,),
        languages=(),
        support_offered=["quiet-space"],
        start=today,
        end=today + timedelta(days=60),
    )
    world.weaker = placement(
        host_org,
        title="Reception",
        required=(CUSTOMERS,),
        languages=(),
        support_offered=["quiet-space"],
        labour_market="social-economy",
    )
    world.impossible = placement(host_org, title="German-speaking bar", languages=(("de", "C1"),))
    return world


def test_suggestions_are_ranked_by_the_engines_fit_with_what_is_matched_and_missing(setup):
    found = suggestions_for(participant=setup.person)
    titles = [s.placement.title for s in found.items]
    assert titles == ["Hotel kitchen", "Reception"]
    assert found.items[0].score > found.items[1].score
    assert found.items[0].matched_skills == [HYGIENE.rsplit("/", 1)[-1]]
    assert found.items[1].missing_required
    assert found.not_possible == 1  # the language rule excludes the bar


def test_suggestions_filter_by_labour_market_place_and_minimum_fit(setup):
    by_type = suggestions_for(participant=setup.person, labour_market="social-economy")
    assert [s.placement.title for s in by_type.items] == ["Reception"]
    assert not suggestions_for(participant=setup.person, country="SE").items
    best = suggestions_for(participant=setup.person, min_fit=setup.good and 50)
    assert [s.placement.title for s in best.items] == ["Hotel kitchen"]


def test_exited_people_get_no_suggestions_and_cannot_be_proposed(client, setup):
    setup.person.status = Participant.Status.EXITED
    setup.person.exited_on = timezone.localdate()
    setup.person.save()
    assert suggestions_for(participant=setup.person).blocked == "exited"
    client.force_login(setup.worker)
    page = client.get(reverse("placements:suggestions", args=[setup.person.pseudonym]))
    assert page.status_code == 200
    assert "Hotel kitchen" not in page.content.decode()
    client.post(reverse("placements:propose", args=[setup.person.pseudonym]), {"placement": setup.good.key})
    assert not Assignment.objects.exists()


def test_case_worker_proposes_from_the_page_and_the_host_answers(client, setup):
    client.force_login(setup.worker)
    page = client.get(reverse("placements:suggestions", args=[setup.person.pseudonym]), {"min_fit": 10})
    assert page.status_code == 200
    assert "Hotel kitchen" in page.content.decode()
    response = client.post(
        reverse("placements:propose", args=[setup.person.pseudonym]),
        {"placement": setup.good.key, "message": "Motivated, available now"},
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == assignment.get_absolute_url()

    client.force_login(setup.host)
    inbox = client.get(reverse("placements:inbox")).content.decode()
    assert setup.person.pseudonym in inbox
    detail = client.get(assignment.get_absolute_url()).content.decode()
    assert "A quiet place to work" in detail  # support needs as translated requirements
    assert "quiet-space" not in detail
    assert "worker@example.org" in detail  # the case worker's contact
    assert "SV" in detail  # languages and levels
    assert "Secret-Name" not in detail  # never the identity
    client.post(
        reverse("placements:assignment-action", args=[assignment.pk, "hold"]),
        {"interview_on": timezone.localdate().isoformat()},
    )
    assignment.refresh_from_db()
    assert assignment.status == "on-hold"
    client.post(
        reverse("placements:assignment-action", args=[assignment.pk, "decide"]), {"decision": "accept"}
    )
    assignment.refresh_from_db()
    assert assignment.status == "accepted"


def test_a_refusal_names_the_field(client, setup):
    a = lifecycle.assignment_propose(actor=setup.worker, participant=setup.person, placement=setup.good)
    client.force_login(setup.host)
    response = client.post(
        reverse("placements:assignment-action", args=[a.pk, "decide"]), {"decision": "decline"}, follow=True
    )
    assert "Reason for declining:" in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "helper"])
def test_other_organisations_get_404_on_every_page_and_action(client, setup, who):
    a = lifecycle.assignment_propose(actor=setup.worker, participant=setup.person, placement=setup.good)
    client.force_login(getattr(setup, who))
    assert client.get(reverse("placements:suggestions", args=[setup.person.pseudonym])).status_code == 404
    assert (
        client.post(
            reverse("placements:propose", args=[setup.person.pseudonym]), {"placement": setup.good.key}
        ).status_code
        == 404
    )
    assert client.get(a.get_absolute_url()).status_code == 404
    for action in ("hold", "decide", "start", "end", "withdraw"):
        assert client.post(reverse("placements:assignment-action", args=[a.pk, action])).status_code == 404
    assert setup.person.pseudonym not in client.get(reverse("placements:inbox")).content.decode()


def test_another_host_gets_404_on_the_proposal(client, setup):
    other_host = member(
        Role.STAFF, OrganisationFactory(key="other-host", country="ES"), email="es@example.org"
    )
    a = lifecycle.assignment_propose(actor=setup.worker, participant=setup.person, placement=setup.good)
    client.force_login(other_host)
    assert client.get(a.get_absolute_url()).status_code == 404


def test_case_workers_read_the_rounds_of_their_own_people(client, setup):
    coordinator = member(Role.COORDINATOR, OrganisationFactory(key="network"), email="coord@example.org")
    found = rounds.round_create(
        actor=coordinator,
        name="Spring round",
        method="stable",
        participants=[setup.person],
        placements=[setup.good],
    )
    rounds.round_propose(actor=coordinator, allocation_round=found)
    client.force_login(setup.worker)
    listing = client.get(reverse("placements:my-rounds"))
    assert listing.status_code == 200
    assert "Spring round" in listing.content.decode()
    page = client.get(reverse("placements:my-round", args=[found.pk]))
    assert page.status_code == 200
    assert setup.person.pseudonym in page.content.decode()
    client.force_login(setup.stranger)
    assert "Spring round" not in client.get(reverse("placements:my-rounds")).content.decode()
    assert client.get(reverse("placements:my-round", args=[found.pk])).status_code == 404


def test_sensitive_data_never_changes_the_suggestions(setup):
    before = [(s.placement.key, s.score) for s in suggestions_for(participant=setup.person).items]
    setup.person.fewer_opportunities = True
    setup.person.barriers = ["health"]
    setup.person.gender = "woman"
    setup.person.age_group = "young"
    setup.person.save()
    after = [(s.placement.key, s.score) for s in suggestions_for(participant=setup.person).items]
    assert after == before


def test_the_placement_page_lists_single_proposals_for_the_host_only(client, setup):
    lifecycle.assignment_propose(actor=setup.worker, participant=setup.person, placement=setup.good)
    client.force_login(setup.host)
    assert setup.person.pseudonym in client.get(setup.good.get_absolute_url()).content.decode()
    client.force_login(setup.stranger)
    page = client.get(setup.good.get_absolute_url())
    assert page.status_code == 200
    assert setup.person.pseudonym not in page.content.decode()

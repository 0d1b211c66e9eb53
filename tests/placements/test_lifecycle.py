"""The placement lifecycle for one person: propose → (on hold) → accepted → started → attendance →
completed or ended early → outcome; dates refused before the date they imply; the offer type follows
the placement; the Erasmus+ record only abroad and under Erasmus+; the plan step kept in step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from matchmaking.core.models import AuditEvent, Notification
from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant, ParticipantSkill
from matchmaking.pathways.models import Offer, RetentionCheck, Step
from matchmaking.placements import lifecycle
from matchmaking.placements.history import history_text
from matchmaking.placements.models import Assignment, MobilityRecord, Scheme
from matchmaking.placements.services import seats_taken, waiting_list_add
from tests.factories import OrganisationFactory, member
from tests.factories_participants import CUSTOMERS, HYGIENE, participant, placement

TODAY = date(2027, 3, 15)


@pytest.fixture
def host(world):
    org = OrganisationFactory(key="dehoga", name="DEHOGA", country="DE")
    return member(Role.STAFF, org, email="host@example.org")


@pytest.fixture
def job(host):
    return placement(
        host.memberships.get().organisation,
        required=(HYGIENE,),
        desired=(CUSTOMERS,),
        languages=(),
        start=TODAY - timedelta(days=30),
        end=TODAY + timedelta(days=90),
        kind="traineeship",
    )


@pytest.fixture
def person(world):
    world.person.willing_to_go_abroad = True
    world.person.save()
    ParticipantSkill.objects.create(
        participant=world.person, uri=HYGIENE, label="hygiene", how="formal", esco_version="1.1.1"
    )
    return world.person


def _accepted(world, host, job, person) -> Assignment:
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    return lifecycle.assignment_decide(actor=host, assignment=a, accept=True, today=TODAY)


def test_the_whole_lifecycle_with_an_interview_and_an_early_end(world, host, job, person):
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job, message="Keen")
    assert a.status == "proposed"
    assert a.score
    assert a.score > 0
    step = Step.objects.get(pk=a.step_id)
    assert (step.type, step.status) == ("placement", "planned")

    a = lifecycle.assignment_hold(actor=host, assignment=a, interview_on=timezone.localdate())
    assert a.status == "on-hold"
    a = lifecycle.assignment_decide(actor=host, assignment=a, accept=True)
    assert a.status == "accepted"
    assert Offer.objects.get(participant=person).type == "traineeship"
    assert seats_taken(job) == 1

    a = lifecycle.assignment_start(actor=world.worker, assignment=a, started_on=job.start, today=TODAY)
    assert Step.objects.get(pk=a.step_id).status == "in-progress"
    a = lifecycle.attendance_note(actor=host, assignment=a, noted_on=job.start, present=False, today=TODAY)
    assert a.attendance.count() == 1

    a = lifecycle.assignment_end(
        actor=world.worker,
        assignment=a,
        ended_on=TODAY - timedelta(days=1),
        early=True,
        reason="health",
        outcome="seeking",
        today=TODAY,
    )
    assert (a.status, a.end_reason, a.outcome) == ("ended-early", "health", "seeking")
    assert Step.objects.get(pk=a.step_id).status == "cancelled"
    assert [e["code"] for e in a.history] == [
        "proposed",
        "on-hold",
        "accepted",
        "started",
        "attendance",
        "ended-early",
    ]
    actions = set(AuditEvent.objects.filter(object_id=str(a.pk)).values_list("action", flat=True))
    assert {"assignment.propose", "assignment.hold", "assignment.accept", "assignment.end"} <= actions
    # Domestic placement? No: DE for a Swedish person, but not under Erasmus+, so no mobility record.
    assert not MobilityRecord.objects.exists()


def test_history_is_stored_as_codes_and_read_in_the_readers_language(world, host, job, person):
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    a = lifecycle.assignment_decide(actor=host, assignment=a, accept=False, reason="language")
    entry = a.history[-1]
    assert entry["code"] == "declined"
    assert entry["params"]["reason"] == "language"
    with translation.override("en"):
        assert "Language level too low" in history_text(entry)


def test_dates_are_refused_before_the_date_they_imply_naming_it(world, host, job, person):
    a = _accepted(world, host, job, person)
    with pytest.raises(ValidationError) as too_early:
        lifecycle.assignment_start(
            actor=world.worker, assignment=a, started_on=job.start - timedelta(days=1), today=TODAY
        )
    assert "started_on" in too_early.value.error_dict
    assert str(job.start.year) in " ".join(too_early.value.messages)
    with pytest.raises(ValidationError) as future:
        lifecycle.assignment_start(
            actor=world.worker, assignment=a, started_on=TODAY + timedelta(days=1), today=TODAY
        )
    assert "started_on" in future.value.error_dict
    a = lifecycle.assignment_start(actor=world.worker, assignment=a, started_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as not_yet_complete:
        lifecycle.assignment_end(
            actor=world.worker, assignment=a, ended_on=TODAY, early=False, outcome="hired", today=TODAY
        )
    assert "ended_on" in not_yet_complete.value.error_dict
    with pytest.raises(ValidationError) as no_reason:
        lifecycle.assignment_end(
            actor=world.worker, assignment=a, ended_on=TODAY, early=True, outcome="hired", today=TODAY
        )
    assert "reason" in no_reason.value.error_dict
    assert Assignment.objects.get(pk=a.pk).status == "started"  # nothing half written


def test_accepting_before_the_interview_date_is_refused(world, host, job, person):
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    a = lifecycle.assignment_hold(actor=host, assignment=a, interview_on=TODAY + timedelta(days=3))
    with pytest.raises(ValidationError) as early:
        lifecycle.assignment_decide(actor=host, assignment=a, accept=True, today=TODAY)
    assert "interview_on" in early.value.error_dict
    assert lifecycle.assignment_decide(
        actor=host, assignment=a, accept=True, today=TODAY + timedelta(days=3)
    ).status == ("accepted")


def test_declining_needs_a_reason_from_the_code_list(world, host, job, person):
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    with pytest.raises(ValidationError) as missing:
        lifecycle.assignment_decide(actor=host, assignment=a, accept=False, reason="")
    assert "reason" in missing.value.error_dict


@pytest.mark.parametrize(
    ("kind", "offer"),
    [
        ("traineeship", "traineeship"),
        ("job", "job"),
        ("training", "education"),
        ("apprenticeship", "apprenticeship"),
        ("work-trial", "traineeship"),
    ],
)
def test_the_offer_type_follows_the_placement(world, host, job, person, kind, offer):
    job.kind = kind
    job.save()
    _accepted(world, host, job, person)
    assert Offer.objects.get(participant=person).type == offer


def test_the_erasmus_record_only_abroad_and_under_erasmus(world, host, job, person):
    job.scheme = Scheme.ERASMUS_VET
    job.kind = "apprenticeship"
    job.save()
    a = _accepted(world, host, job, person)
    record = MobilityRecord.objects.get(assignment=a)
    assert record.activity_code == "LM-LONG-VET"
    assert record.learner_type == "apprentice"
    assert record.country == "DE"


def test_no_erasmus_record_for_a_domestic_neet_placement(world, person):
    domestic = placement(world.home, languages=(), start=TODAY, end=TODAY + timedelta(days=120))
    domestic.scheme = Scheme.ERASMUS_VET
    domestic.kind = "job"
    domestic.save()
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=domestic)
    lifecycle.assignment_decide(actor=world.worker, assignment=a, accept=True)
    assert not MobilityRecord.objects.exists()
    assert Offer.objects.get(participant=person).type == "job"


def test_exited_people_cannot_be_proposed(world, job, person):
    person.status, person.exited_on = Participant.Status.EXITED, TODAY
    person.save()
    with pytest.raises(ValidationError) as refused:
        lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    assert "participant" in refused.value.error_dict


def test_a_placement_that_breaks_a_rule_cannot_be_proposed(world, host, person):
    german = placement(host.memberships.get().organisation, languages=(("de", "B2"),))
    with pytest.raises(ValidationError) as refused:
        lifecycle.assignment_propose(actor=world.worker, participant=person, placement=german)
    assert "placement" in refused.value.error_dict


def test_another_organisation_can_neither_propose_nor_answer(world, host, job, person):
    with pytest.raises(PermissionDenied):
        lifecycle.assignment_propose(actor=world.stranger, participant=person, placement=job)
    a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    with pytest.raises(PermissionDenied):
        lifecycle.assignment_decide(actor=world.stranger, assignment=a, accept=True)
    with pytest.raises(PermissionDenied):
        lifecycle.assignment_decide(actor=world.worker, assignment=a, accept=True)  # not the host


def test_leaving_the_programme_with_the_end_schedules_the_retention_checks(world, host, job, person):
    a = _accepted(world, host, job, person)
    a = lifecycle.assignment_start(actor=world.worker, assignment=a, started_on=job.start, today=TODAY)
    lifecycle.assignment_end(
        actor=world.worker,
        assignment=a,
        ended_on=job.start + timedelta(days=5),
        early=True,
        reason="hired-elsewhere",
        outcome="job-elsewhere",
        leaves_programme=True,
        today=TODAY,
    )
    person.refresh_from_db()
    assert person.status == "exited"
    assert sorted(RetentionCheck.objects.values_list("months", flat=True)) == [3, 6, 12]


def test_a_full_placement_takes_no_more_proposals_once_accepted(world, host, job, person):
    _accepted(world, host, job, person)
    other = participant(world.home, key_worker=world.worker, languages=())
    with pytest.raises(ValidationError) as full:
        lifecycle.assignment_propose(actor=world.worker, participant=other, placement=job)
    assert "placement" in full.value.error_dict


def test_the_host_and_the_key_worker_are_notified_after_commit(
    world, host, job, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as sent:
        a = lifecycle.assignment_propose(actor=world.worker, participant=person, placement=job)
    assert sent  # nothing is sent before the proposal is committed
    to_host = Notification.objects.get(recipient=host)
    assert (to_host.kind, to_host.params["variant"]) == ("assignment.host", "proposed")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assignment_hold(actor=host, assignment=a, interview_on=timezone.localdate())
    to_worker = Notification.objects.get(recipient=world.worker)
    assert (to_worker.kind, to_worker.params["variant"]) == ("assignment.changed", "on-hold")
    assert to_worker.params["participant"] == person.pseudonym


def test_a_seat_freed_by_a_single_proposal_goes_to_the_waiting_list(world, host, job, person):
    a = _accepted(world, host, job, person)
    waiting = participant(world.home, key_worker=world.worker, languages=())
    entry = waiting_list_add(actor=world.worker, placement=job, participant=waiting)
    lifecycle.assignment_withdraw(actor=world.worker, assignment=a)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert seats_taken(job) == 0

"""The worklist's selectors: each section over every row, scoped to whom the user may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from matchmaking.participants.models import AgeGroup, Consent, Participant
from matchmaking.pathways import worklist
from matchmaking.pathways.models import Goal, Outcome, Referral, RetentionCheck, Step, SupportService
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker, consent, group_member, participant

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def due_world():
    """One person of each kind that is due, in Borås; the same in NAV."""
    today = _today()
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    other = OrganisationFactory(key="nav", name="NAV", country="NO")
    worker = case_worker(home, email="worker@example.org")
    stranger = case_worker(other, email="nav@example.org")
    made = {}
    for org, prefix in ((home, "home"), (other, "other")):
        made[prefix] = add_due_items(org, worker if org == home else stranger, today)
    return {"home_org": home, "other_org": other, "worker": worker, "stranger": stranger, **made}


def add_due_items(org, key_worker, today, tag: str = ""):
    """A person due under every section of the worklist, in ``org``; returns them by section."""
    # 4 months for the young: registered 110 days ago → due within 30 days; 200 days ago → breached.
    soon = participant(
        org, key_worker=key_worker, age_group=AgeGroup.YOUNG, registered_on=today - timedelta(days=110)
    )
    breached = participant(
        org, key_worker=key_worker, age_group=AgeGroup.YOUNG, registered_on=today - timedelta(days=200)
    )
    exited = participant(org, key_worker=key_worker, status=Participant.Status.EXITED)
    outcome = Outcome.objects.create(
        participant=exited, exit_type="job-regular", exit_on=today - timedelta(days=100)
    )
    check = RetentionCheck.objects.create(outcome=outcome, months=3, due_on=today - timedelta(days=8))
    referred = participant(org, key_worker=key_worker)
    service = SupportService.objects.create(
        name=f"Housing advice {org.key}{tag}", category="housing", country="SE"
    )
    referral = Referral.objects.create(
        participant=referred,
        service=service,
        consent=consent(referred, Consent.Purpose.SHARING, org),
        sent_on=today - timedelta(days=11),
    )
    planned = participant(org, key_worker=key_worker)
    goal = Goal.objects.create(participant=planned, title="Work in a kitchen")
    step = Step.objects.create(
        goal=goal, title=f"Apply to three kitchens {tag}", owner=org, due_on=today - timedelta(days=1)
    )
    return {
        "deadlines": soon,
        "breached": breached,
        "retention": check,
        "referrals": referral,
        "steps": step,
    }


def test_each_section_finds_its_item_and_only_it():
    world = due_world()
    today = _today()
    home = world["home"]
    assert list(worklist.deadlines_soon(user=world["worker"], today=today)) == [home["deadlines"]]
    assert list(worklist.deadlines_breached(user=world["worker"], today=today)) == [home["breached"]]
    assert list(worklist.retention_checks_due(user=world["worker"], today=today)) == [home["retention"]]
    assert list(worklist.referrals_unanswered(user=world["worker"], today=today)) == [home["referrals"]]
    assert list(worklist.steps_overdue(user=world["worker"], today=today)) == [home["steps"]]
    assert worklist.worklist_counts(user=world["worker"], today=today).total == 5


def test_the_wrong_organisation_sees_none_of_it():
    world = due_world()
    today = _today()
    for section in worklist.SECTIONS:
        mine = set(worklist.worklist_section(user=world["stranger"], section=section, today=today))
        assert world["home"][section] not in mine
        assert world["other"][section] in mine


def test_a_follow_up_group_member_of_another_organisation_sees_that_person():
    world = due_world()
    person = world["home"]["steps"].goal.participant
    group_member(person, world["stranger"], world["other_org"])
    assert world["home"]["steps"] not in set(worklist.steps_overdue(user=world["stranger"], today=_today()))
    consent(person, "sharing", world["other_org"])  # a member of another organisation: only with consent
    steps = set(worklist.steps_overdue(user=world["stranger"], today=_today()))
    assert world["home"]["steps"] in steps


def test_exited_people_keep_their_retention_checks_and_done_ones_leave():
    world = due_world()
    check = world["home"]["retention"]
    assert check.outcome.participant.status == Participant.Status.EXITED
    assert worklist.retention_checks_due(user=world["worker"], today=_today()).count() == 1
    check.done_on = _today()
    check.save()
    assert worklist.retention_checks_due(user=world["worker"], today=_today()).count() == 0


def test_referral_days_is_a_setting():
    world = due_world()
    with override_settings(WORKLIST_REFERRAL_DAYS=12):
        assert worklist.referral_days() == 12
        assert not worklist.referrals_unanswered(user=world["worker"], today=_today()).exists()
    world["home"]["referrals"].status = Referral.Status.ACCEPTED
    world["home"]["referrals"].save()
    assert not worklist.referrals_unanswered(user=world["worker"], today=_today()).exists()


def test_erased_people_and_done_steps_are_not_due():
    world = due_world()
    step = world["home"]["steps"]
    step.status = Step.Status.DONE
    step.save()
    assert not worklist.steps_overdue(user=world["worker"], today=_today()).exists()
    person = world["home"]["breached"]
    person.status = Participant.Status.ERASED
    person.save()
    assert not worklist.deadlines_breached(user=world["worker"], today=_today()).exists()


def test_no_cap_over_many_rows():
    world = due_world()
    today = _today()
    for i in range(30):
        add_due_items(world["home_org"], world["worker"], today, tag=str(i))
    counts = worklist.worklist_counts(user=world["worker"], today=today)
    assert (counts.deadlines, counts.breached, counts.retention, counts.referrals, counts.steps) == (31,) * 5


def test_a_coordinator_without_caseload_sees_counts_only_and_a_staff_member_nothing():
    world = due_world()
    coordinator = member(Role.COORDINATOR, OrganisationFactory(key="network", country="SE"))
    assert worklist.counts_only(coordinator)
    assert not worklist.counts_only(world["worker"])
    staff = member(Role.STAFF, world["home_org"])
    assert worklist.worklist_counts(user=staff, today=_today()).total == 0

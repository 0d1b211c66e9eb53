"""Action plans, follow-up, referrals with consent, offers, outcomes, jobs, export and erasure."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.models import AuditEvent, Notification, PersonalDataAccess
from matchmaking.core.periodic import run_periodic
from matchmaking.participants.models import Participant
from matchmaking.pathways import services
from matchmaking.pathways.models import Goal, Referral, RetentionCheck, StatisticRecord, Step, SupportService
from matchmaking.privacy import services as privacy
from tests.factories_participants import consent


def test_plan_steps_and_transitions(client, world):
    client.force_login(world.worker)
    p = world.person.pseudonym
    client.post(reverse("pathways:plan", args=[p]), {"new_goal": "1", "title": "Find work in a kitchen"})
    goal = Goal.objects.get(participant=world.person)
    client.post(
        reverse("pathways:plan", args=[p]),
        {
            "new_step": "1",
            "goal": goal.pk,
            "title": "Hygiene course",
            "type": "training",
            "owner": world.other.pk,
            "due_on": "2026-12-01",
            "agreed_with_participant": "on",
        },
    )
    step = Step.objects.get(goal=goal)
    assert step.owner == world.other
    assert step.agreed_with_participant
    client.post(reverse("pathways:plan", args=[p]), {"step": step.pk, "status": "done"})
    step.refresh_from_db()
    assert step.status == "done"
    response = client.post(
        reverse("pathways:plan", args=[p]), {"step": step.pk, "status": "planned"}, follow=True
    )
    step.refresh_from_db()
    assert step.status == "done"
    assert "cannot become" in response.content.decode()


def test_skill_gap_becomes_training_step_in_one_click(client, world):
    from matchmaking.placements.models import Proposal, Round

    found = Round.objects.create(name="R", status=Round.Status.PROPOSED)
    gap = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
    Proposal.objects.create(
        round=found, participant=world.person, skill_gap=[{"uri": gap, "label": "satisfy customers"}]
    )
    client.force_login(world.worker)
    page = client.get(reverse("pathways:plan", args=[world.person.pseudonym])).content.decode()
    assert "Add training step: satisfy customers" in page
    client.post(
        reverse("pathways:plan", args=[world.person.pseudonym]),
        {"gap_uri": gap, "gap_label": "satisfy customers"},
    )
    step = Step.objects.get(goal__participant=world.person)
    assert step.type == "training"
    assert step.skill_uri == gap
    client.post(
        reverse("pathways:plan", args=[world.person.pseudonym]), {"gap_uri": gap, "gap_label": "again"}
    )
    assert Step.objects.filter(goal__participant=world.person).count() == 1


def test_group_member_records_follow_up_and_assessment_chart(client, world):
    client.force_login(world.helper)
    p = world.person.pseudonym
    client.post(
        reverse("pathways:progress", args=[p]),
        {"meeting": "1", "held_on": "2026-01-05", "notes": "Went well"},
    )
    for day, value in (("2026-01-05", "3"), ("2026-02-05", "6"), ("2026-03-05", "8")):
        client.post(
            reverse("pathways:progress", args=[p]),
            {
                "assessment": "1",
                "recorded_on": day,
                "motivation": value,
                "confidence": value,
                "readiness": value,
                "wellbeing": value,
            },
        )
    page = client.get(reverse("pathways:progress", args=[p])).content.decode()
    assert "<svg" in page
    assert "<polyline" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert world.person.meetings.get().organisation == world.other
    assert world.person.assessments.count() == 3


def test_referral_needs_consent_and_consent_follows_it(client, world):
    service = SupportService.objects.create(
        name="Housing advice", category="housing", country="SE", organisation=world.other
    )
    world.person.consents.update(revoked_on=timezone.localdate())  # the world's consent to share
    client.force_login(world.worker)
    p = world.person.pseudonym
    response = client.post(reverse("pathways:referrals", args=[p]), {"service": service.pk}, follow=True)
    assert "No current consent" in response.content.decode()
    given = consent(world.person, "sharing", world.other)
    client.post(reverse("pathways:referrals", args=[p]), {"service": service.pk, "reason": "Needs a flat"})
    referral = Referral.objects.get()
    assert referral.consent == given
    client.post(reverse("pathways:referrals", args=[p]), {"referral": referral.pk, "status": "refused"})
    referral.refresh_from_db()
    assert referral.status == "sent"  # refusing needs a reason
    client.post(reverse("pathways:referrals", args=[p]), {"referral": referral.pk, "status": "accepted"})
    client.post(reverse("pathways:referrals", args=[p]), {"referral": referral.pk, "status": "completed"})
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_referral_reminder_job(world):
    service = SupportService.objects.create(name="Debt advice", category="debt", country="SE")
    consent(world.person, "support")
    referral = services.referral_send(
        actor=world.worker, participant=world.person, service=service, remind_on=timezone.localdate()
    )
    run_periodic(force=True, only="referral-reminders")
    run_periodic(force=True, only="referral-reminders")
    assert Notification.objects.filter(kind="referral.reminder", recipient=world.worker).count() == 1
    referral.refresh_from_db()
    assert referral.reminded_at is not None


def test_offer_stops_the_youth_guarantee_clock_and_caseload_shows_it(client, world):
    world.person.age_group = "young"
    world.person.registered_on = timezone.localdate() - timedelta(days=200)
    world.person.save()
    client.force_login(world.worker)
    page = client.get(reverse("participants:caseload")).content.decode()
    assert "overdue" in page
    run_periodic(force=True, only="worklist-digest")
    run_periodic(force=True, only="worklist-digest")
    due = Notification.objects.get(kind="worklist.due", recipient=world.worker)
    assert due.params["breached"] == 1
    client.post(
        reverse("pathways:outcome", args=[world.person.pseudonym]),
        {"offer": "1", "type": "apprenticeship", "offered_on": str(timezone.localdate())},
    )
    page = client.get(reverse("participants:caseload")).content.decode()
    assert "Offer made" in page


def test_clock_limits():
    from datetime import date

    from matchmaking.participants.clock import youth_guarantee_clock

    young = youth_guarantee_clock(
        started_on=date(2026, 1, 31), age_group="young", first_offer_on=None, today=date(2026, 6, 1)
    )
    assert young.due_on == date(2026, 5, 31)
    assert young.overdue
    adult = youth_guarantee_clock(
        started_on=date(2026, 1, 31), age_group="adult", first_offer_on=None, today=date(2026, 6, 1)
    )
    assert not adult.overdue
    stopped = youth_guarantee_clock(
        started_on=date(2026, 1, 1),
        age_group="young",
        first_offer_on=date(2026, 2, 1),
        today=date(2027, 1, 1),
    )
    assert stopped.days == 31
    assert not stopped.overdue


def test_outcome_schedules_retention_checks_and_job_reminds(client, world):
    client.force_login(world.worker)
    p = world.person.pseudonym
    response = client.post(
        reverse("pathways:outcome", args=[p]),
        {
            "outcome": "1",
            "exit_type": "none",
            "exit_on": "2026-01-01",
            "dropped_out": "on",
        },
    )
    assert response.status_code == 200  # drop-out needs a reason
    exit_on = timezone.localdate() - timedelta(days=100)
    client.post(
        reverse("pathways:outcome", args=[p]),
        {
            "outcome": "1",
            "exit_type": "job-social-economy",
            "exit_on": str(exit_on),
        },
    )
    world.person.refresh_from_db()
    assert world.person.status == Participant.Status.EXITED
    checks = RetentionCheck.objects.filter(outcome__participant=world.person)
    assert sorted(c.months for c in checks) == [3, 6, 12]
    run_periodic(force=True, only="worklist-digest")
    assert Notification.objects.get(kind="worklist.due", recipient=world.worker).params["retention"] == 1
    three = checks.get(months=3)
    client.post(reverse("pathways:outcome", args=[p]), {"check": three.pk, "still_there": "yes"})
    three.refresh_from_db()
    assert three.still_there is True


def test_export_is_logged_with_its_purpose_and_complete(client, world):
    client.force_login(world.worker)
    url = reverse("privacy:export", args=[world.person.pseudonym])
    assert client.get(url).status_code == 200  # the page asks why
    assert client.post(url, {}).status_code == 200  # no purpose, no file
    assert not PersonalDataAccess.objects.filter(kind="export").exists()
    response = client.post(url, {"purpose": "right-of-access"})
    data = response.json()
    assert data["participant"]["pseudonym"] == world.person.pseudonym
    assert data["identity"]["family_name"] == "Secret-Name"
    logged = PersonalDataAccess.objects.get(kind="export", subject_id=str(world.person.pk))
    assert logged.purpose == "export: right-of-access"


def test_erasure_keeps_only_statistics_and_tombstones_logs(client, world):
    client.force_login(world.worker)
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    pk, pseudonym = world.person.pk, world.person.pseudonym
    client.force_login(world.worker)
    assert client.get(reverse("privacy:erase", args=[pseudonym])).status_code == 404  # admins only
    client.force_login(world.admin)
    client.post(reverse("privacy:erase", args=[pseudonym]), {"confirm": "wrong"})
    assert Participant.objects.filter(pk=pk).exists()
    client.post(reverse("privacy:erase", args=[pseudonym]), {"confirm": pseudonym})
    assert not Participant.objects.filter(pk=pk).exists()
    assert StatisticRecord.objects.count() == 1
    assert not PersonalDataAccess.objects.filter(
        subject_type="participants.participant", subject_id=str(pk)
    ).exists()
    assert PersonalDataAccess.objects.filter(subject_id__startswith="erased-").exists()
    assert not AuditEvent.objects.filter(object_label__contains=pseudonym).exists()
    assert AuditEvent.objects.filter(action="participant.erase").exists()


def test_retention_job_erases_expired_records(world, settings):
    world.person.status = Participant.Status.EXITED
    world.person.exited_on = timezone.localdate() - timedelta(days=settings.PARTICIPANT_RETENTION_DAYS + 1)
    world.person.save()
    run_periodic(force=True, only="participant-retention")
    assert not Participant.objects.filter(pk=world.person.pk).exists()
    assert StatisticRecord.objects.count() == 1


def test_barriers_need_consent(world):
    from matchmaking.participants import services as participant_services

    with pytest.raises(ValidationError):
        participant_services.barriers_set(actor=world.worker, participant=world.person, barriers=["health"])
    given = consent(world.person, "barriers")
    participant_services.barriers_set(actor=world.worker, participant=world.person, barriers=["health"])
    participant_services.consent_revoke(actor=world.worker, participant=world.person, consent_id=given.pk)
    world.person.refresh_from_db()
    assert world.person.barriers == []
    assert world.person.fewer_opportunities


def test_export_with_everything(client, world):
    services.goal_create(actor=world.worker, participant=world.person, title="Goal")
    services.offer_record(
        actor=world.worker,
        participant=world.person,
        offer_type="job",
        offered_on=timezone.localdate(),
        organisation=world.home,
    )
    document = privacy.participant_export(
        actor=world.worker, participant=world.person, purpose="right-of-access"
    )
    assert document["goals"][0]["goal"] == "Goal"
    assert document["offers"]


def test_plan_page_ids_are_unique_and_every_field_has_its_label(client, world):
    """The goal and step forms both have a title; each must keep its own id and label."""
    client.force_login(world.worker)
    body = client.get(reverse("pathways:plan", args=[world.person.pseudonym])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', body):
        assert f'for="{field_id}"' in body, field_id

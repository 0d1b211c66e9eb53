"""Consent that holds: asked at intake, needed by group members of other organisations, and revoked in
one transaction with the referrals that rest on it; the purpose of opening a record is asked and logged
once a session."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.models import Notification, PersonalDataAccess
from matchmaking.participants import services
from matchmaking.participants.models import Consent, Participant
from matchmaking.pathways.models import Referral, SupportService
from tests.factories_participants import case_worker, consent


def _referral(world, service, given):
    return Referral.objects.create(
        participant=world.person,
        service=service,
        consent=given,
        sent_by=world.worker,
        sent_on=timezone.localdate(),
    )


def test_revoking_sharing_ends_access_and_withdraws_referrals_after_commit(
    client, world, django_capture_on_commit_callbacks
):
    sharing = world.person.consents.get(purpose="sharing", organisation=world.other)
    service = SupportService.objects.create(
        name="NAV housing", category="housing", country="NO", organisation=world.other
    )
    elsewhere = SupportService.objects.create(name="Debt advice", category="debt", country="SE")
    support = consent(world.person, "support")
    to_nav = _referral(world, service, sharing)
    other = _referral(world, elsewhere, support)
    detail = reverse("participants:participant-detail", args=[world.person.pseudonym])
    client.force_login(world.helper)
    assert client.get(detail).status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.consent_revoke(actor=world.worker, participant=world.person, consent_id=sharing.pk)
        to_nav.refresh_from_db()
        assert to_nav.status == Referral.Status.WITHDRAWN
        assert not Notification.objects.filter(kind="referral.withdrawn").exists()  # not before commit
    for callback in callbacks:
        callback()
    assert set(
        Notification.objects.filter(kind="referral.withdrawn").values_list("recipient", flat=True)
    ) == {
        world.stranger.pk,
        world.helper.pk,
    }
    assert Notification.objects.filter(kind="referral.withdrawn").first().params == {
        "service": "NAV housing",
        "participant": world.person.pseudonym,
    }
    other.refresh_from_db()
    assert other.status == Referral.Status.SENT  # another organisation's service, another consent
    assert client.get(detail).status_code == 404  # the moment it is revoked
    client.force_login(world.stranger)  # NAV can no longer answer it
    answer = reverse("pathways:referral-answer", args=[to_nav.pk])
    client.post(answer, {"status": "accepted"})
    to_nav.refresh_from_db()
    assert to_nav.status == Referral.Status.WITHDRAWN


def test_a_failed_revocation_keeps_everything(world, monkeypatch):
    """Consent, referrals and notification in one transaction: a failure withdraws nothing."""
    sharing = world.person.consents.get(purpose="sharing", organisation=world.other)
    service = SupportService.objects.create(
        name="NAV jobs", category="work", country="NO", organisation=world.other
    )
    referral = _referral(world, service, sharing)
    from matchmaking.pathways import referrals

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(referrals, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.consent_revoke(actor=world.worker, participant=world.person, consent_id=sharing.pk)
    sharing.refresh_from_db()
    referral.refresh_from_db()
    assert sharing.revoked_on is None
    assert referral.status == Referral.Status.SENT


def test_another_organisation_joins_the_group_only_with_sharing_consent(world):
    third = case_worker(world.other, email="third@example.org")
    world.person.consents.update(revoked_on=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        services.group_member_add(
            actor=world.worker,
            participant=world.person,
            user=third,
            organisation=world.other,
            can_view_personal=True,
        )
    assert "organisation" in refused.value.message_dict
    consent(world.person, "sharing", world.other)
    services.group_member_add(
        actor=world.worker,
        participant=world.person,
        user=third,
        organisation=world.other,
        can_view_personal=True,
    )


def test_the_coordinator_sees_the_matching_profile_only(client, world, coordinator):
    world.person.skills.create(
        uri="http://data.europa.eu/esco/skill/x", label="cooking", esco_version="1.2.0"
    )
    client.force_login(coordinator)
    body = client.get(
        reverse("participants:participant-detail", args=[world.person.pseudonym])
    ).content.decode()
    assert "cooking" in body
    assert "Secret-Name" not in body
    for tab in ("plan", "progress", "referrals", "outcome", "summary"):
        assert reverse(f"pathways:{tab}", args=[world.person.pseudonym]) not in body
    assert world.person.pseudonym not in client.get(reverse("participants:caseload")).content.decode()


def test_intake_asks_consent_per_purpose_and_organisation(client, world):
    client.force_login(world.worker)
    page = client.get(reverse("participants:participant-create")).content.decode()
    assert 'name="consent_support"' in page
    assert 'name="consent_sharing"' in page
    assert "checked" not in page.split('name="consent_support"')[1][:40]  # nothing answered in advance
    data = {
        "given_name": "Nils",
        "registered_on": "2026-01-10",
        "clock_start": "registered",
        "home_country": "SE",
        "consent_support": "yes",
        "consent_monitoring": "yes",
        "consent_barriers": "no",
        "consent_testimonials": "no",
        "consent_sharing": ["nav"],
    }
    missing = client.post(
        reverse("participants:participant-create"), {k: v for k, v in data.items() if k != "consent_support"}
    )
    assert missing.status_code == 200
    assert "consent_support" in missing.content.decode()
    assert client.post(reverse("participants:participant-create"), data).status_code == 302
    created = Participant.objects.exclude(pk=world.person.pk).get()
    given = {(c.purpose, c.organisation.key if c.organisation else "") for c in created.consents.all()}
    assert given == {("support", ""), ("monitoring", ""), ("sharing", "nav")}


def test_purpose_is_asked_on_first_open_and_logged_once_per_session(client, settings, world):
    settings.ACCESS_PURPOSE_PROMPT = True
    client.force_login(world.worker)
    detail = reverse("participants:participant-detail", args=[world.person.pseudonym])
    first = client.get(detail)
    assert first.status_code == 302
    assert reverse("participants:purpose", args=[world.person.pseudonym]) in first.url
    form = client.get(first.url).content.decode()
    assert 'type="radio"' in form
    assert "checked" not in form.split('name="purpose"')[1][:200]
    client.post(first.url, {"purpose": "matching", "next": detail})

    def lines():
        return list(PersonalDataAccess.objects.filter(subject_id=str(world.person.pk), user=world.worker))

    assert [(row.purpose, row.fields) for row in lines()] == [("matching", ["profile"])]
    for name in (
        "participants:participant-detail",
        "participants:languages",
        "pathways:plan",
        "pathways:progress",
    ):
        assert client.get(reverse(name, args=[world.person.pseudonym])).status_code == 200
    assert len(lines()) == 1  # one line per opened record per session
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    assert sorted(row.purpose for row in lines()) == ["matching", "matching"]


def test_an_unknown_purpose_is_refused_naming_the_field(client, settings, world):
    settings.ACCESS_PURPOSE_PROMPT = True
    client.force_login(world.worker)
    response = client.post(
        reverse("participants:purpose", args=[world.person.pseudonym]), {"purpose": "curiosity"}
    )
    assert response.status_code == 200
    assert 'id="id_purpose' in response.content.decode()
    assert not PersonalDataAccess.objects.filter(subject_id=str(world.person.pk)).exists()


def test_the_export_says_who_accessed_the_data(world):
    from matchmaking.privacy.services import participant_export

    services.consent_give(actor=world.worker, participant=world.person, purpose=Consent.Purpose.SUPPORT)
    from matchmaking.core.access_log import access_log_record

    access_log_record(user=world.helper, subject=world.person, fields=["profile"], purpose="follow-up-group")
    document = participant_export(actor=world.worker, participant=world.person, purpose="right-of-access")
    assert {"user_label": str(world.helper), "purpose": "follow-up-group"}.items() <= document["access_log"][
        0
    ].items()

"""The support service's own organisation sees the referrals sent to it and answers them itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.core.models import AuditEvent, Notification, PersonalDataAccess
from matchmaking.organisations.models import Role
from matchmaking.participants.models import Consent
from matchmaking.pathways import services
from matchmaking.pathways.models import Referral, SupportService
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker, consent


@pytest.fixture
def sent(world):
    """Borås refers its participant to a housing service run by NAV (a member organisation); the
    person consented to share with NAV. ``world.stranger`` is a NAV case worker."""
    service = SupportService.objects.create(
        name="NAV housing advice", category="housing", organisation=world.other, country="NO"
    )
    consent(world.person, Consent.Purpose.SHARING, world.other)
    referral = services.referral_send(
        actor=world.worker, participant=world.person, service=service, reason="Needs a flat near work"
    )
    world.service, world.referral = service, referral
    return world


def _answer(client, referral, **data):
    return client.post(reverse("pathways:referral-answer", args=[referral.pk]), data)


def test_service_sees_the_referral_with_details_when_consent_names_it(client, sent):
    w = sent
    client.force_login(w.stranger)
    inbox = client.get(reverse("pathways:referral-inbox")).content.decode()
    assert w.person.pseudonym in inbox
    assert "Secret-Name" not in inbox  # the list is pseudonymous
    page = client.get(reverse("pathways:referral-answer", args=[w.referral.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Needs a flat near work" in text
    assert "Secret-Name" in text
    logged = PersonalDataAccess.objects.filter(
        user=w.stranger, subject_id=str(w.person.pk), purpose="referral to a support service"
    )
    fields = [entry.fields for entry in logged]
    assert ["referral"] in fields
    assert any("given_name" in f for f in fields)


def test_pseudonymous_only_without_consent_for_that_organisation(client, sent):
    w = sent
    # The consent behind the referral is revoked: the service sees the pseudonym only.
    w.referral.consent.revoked_on = w.referral.sent_on
    w.referral.consent.save()
    client.force_login(w.stranger)
    text = client.get(reverse("pathways:referral-answer", args=[w.referral.pk])).content.decode()
    assert w.person.pseudonym in text
    assert "Secret-Name" not in text
    assert not any("given_name" in e.fields for e in PersonalDataAccess.objects.filter(user=w.stranger))
    # Nothing goes on without consent, but refusing is allowed.
    _answer(client, w.referral, status="accepted")
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.SENT
    _answer(client, w.referral, status="refused", reason="Consent was withdrawn")
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.REFUSED


def test_consent_for_support_only_keeps_the_service_pseudonymous(client, sent):
    w = sent
    support = consent(w.person, Consent.Purpose.SUPPORT)
    w.referral.consent = support
    w.referral.save()
    client.force_login(w.stranger)
    text = client.get(reverse("pathways:referral-answer", args=[w.referral.pk])).content.decode()
    assert "Secret-Name" not in text


def test_service_accepts_and_completes_and_the_sender_is_told(client, sent):
    w = sent
    client.force_login(w.stranger)
    response = _answer(client, w.referral, status="accepted")
    assert response.status_code == 302
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.ACCEPTED
    told = Notification.objects.filter(recipient=w.worker, kind="referral.answer")
    assert told.count() == 1
    assert w.person.pseudonym in told.get().title
    _answer(client, w.referral, status="completed")
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.COMPLETED
    assert AuditEvent.objects.filter(action="referral.answer").count() == 2
    # A closed referral takes no further answer.
    _answer(client, w.referral, status="refused", reason="late")
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.COMPLETED


def test_refusing_needs_a_reason(client, sent):
    w = sent
    client.force_login(w.stranger)
    response = _answer(client, w.referral, status="refused", reason="")
    assert response.status_code == 200
    assert "Give the reason for refusing." in response.content.decode()
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.SENT
    _answer(client, w.referral, status="refused", reason="No places until autumn")
    w.referral.refresh_from_db()
    assert (w.referral.status, w.referral.refusal_reason) == ("refused", "No places until autumn")
    told = Notification.objects.get(recipient=w.worker, kind="referral.answer")
    assert told.body == "No places until autumn"


def test_other_organisations_get_404(client, sent):
    w = sent
    third = OrganisationFactory(key="third", name="Third", country="DE")
    outsider = case_worker(third, email="outsider@example.org")
    nav_staff = member(Role.STAFF, w.other, email="nav-staff@example.org")
    url = reverse("pathways:referral-answer", args=[w.referral.pk])
    # The referring organisation answers on its own pages, not the service's.
    for user in (outsider, nav_staff, w.worker):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert _answer(client, w.referral, status="accepted").status_code == 404
        if user is not nav_staff:
            assert w.person.pseudonym not in client.get(reverse("pathways:referral-inbox")).content.decode()
    w.referral.refresh_from_db()
    assert w.referral.status == Referral.Status.SENT
    client.force_login(w.stranger)
    assert client.get(reverse("pathways:referral-answer", args=[999999])).status_code == 404


def test_inbox_filters_by_status(client, sent):
    w = sent
    client.force_login(w.stranger)
    assert (
        w.person.pseudonym
        in client.get(reverse("pathways:referral-inbox"), {"status": "sent"}).content.decode()
    )
    assert (
        w.person.pseudonym
        not in client.get(reverse("pathways:referral-inbox"), {"status": "completed"}).content.decode()
    )

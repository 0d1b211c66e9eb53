"""Applications to join, approval and refusal, profile edits, invitations; audit and notifications."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchmaking.core.models import AuditEvent, Notification, PersonalDataAccess
from matchmaking.organisations import services
from matchmaking.organisations.models import Invitation, JoinApplication, Membership, Organisation, Role
from tests.factories import member

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Arbetsmarknadsförvaltningen Testby",
    "kind": "municipality",
    "country": "SE",
    "region": "SE23",
    "city": "Testby",
    "languages": ["sv", "en"],
    "target_groups": ["neet-youth"],
    "expertise": ["early-outreach"],
    "interests": ["skills-mapping"],
    "hosting_capacity": 4,
    "description": "We test.",
    "website": "",
    "erasmus_id": "E12345678",
    "erasmus_accreditation": "",
}


def _form_data(**extra):
    data = {k: v for k, v in PROFILE.items() if v not in (None, "")}
    data.update(contact_name="Anna Applicant", contact_email="Anna@Example.org", message="We want to learn.")
    data.update(extra)
    return data


def test_apply_approve_and_set_password(client, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:apply"), _form_data())
    assert response.status_code == 200, response.content.decode()[:2000]
    application = JoinApplication.objects.get()
    assert application.status == "pending"
    assert application.contact_email == "anna@example.org"
    assert Notification.objects.filter(recipient=coordinator, kind="application.submitted").exists()

    client.force_login(coordinator)
    page = client.get(reverse("organisations:application-detail", args=[application.pk]))
    assert "Anna Applicant" in page.content.decode()
    assert PersonalDataAccess.objects.filter(subject_id=str(application.pk), user=coordinator).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:application-detail", args=[application.pk]), {"action": "approve"}
        )
    organisation = Organisation.objects.get(name=PROFILE["name"])
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert sorted(t.code for t in organisation.expertise.all()) == ["early-outreach"]
    assert organisation.region.code == "SE23"
    assert organisation.erasmus_id == "E12345678"
    membership = Membership.objects.get(organisation=organisation)
    assert membership.role == Role.ORG_ADMIN
    assert membership.user.email == "anna@example.org"
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="application.approved").exists()
    assert AuditEvent.objects.filter(action="organisation.created", organisation_id=organisation.pk).exists()


def test_apply_form_names_bad_fields(client):
    response = client.post(
        reverse("organisations:apply"), _form_data(region="DE11", erasmus_id="123", country="SE")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. DE11 is not one of the available choices." in body
    assert "followed by 8 digits" in body
    assert not JoinApplication.objects.exists()


def test_refuse_needs_reason_and_tells_applicant(coordinator, django_capture_on_commit_callbacks):
    application = services.application_submit(
        profile=PROFILE, contact_name="A", contact_email="a@example.org"
    )
    with pytest.raises(ValidationError):
        services.application_refuse(actor=coordinator, application=application, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(actor=coordinator, application=application, reason="Not in Europe")
    application.refresh_from_db()
    assert application.status == "refused"
    assert application.reason == "Not in Europe"
    assert "Not in Europe" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.application_approve(actor=coordinator, application=application)


def test_only_coordinators_decide(org_admin):
    application = services.application_submit(
        profile=PROFILE, contact_name="A", contact_email="a@example.org"
    )
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=org_admin, application=application)


def test_profile_edit_is_audited_with_before_and_after(client, org_admin):
    org = org_admin.memberships.get().organisation
    client.force_login(org_admin)
    data = _form_data(name="Renamed", hosting_capacity=7)
    response = client.post(reverse("organisations:organisation-edit", args=[org.key]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="organisation.updated").get()
    assert event.before["name"] == org.name
    assert event.after["name"] == "Renamed"
    assert event.after["hosting_capacity"] == 7
    assert event.actor == org_admin


def test_invitation_flow(client, org_admin, django_capture_on_commit_callbacks):
    org = org_admin.memberships.get().organisation
    client.force_login(org_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:organisation-members", args=[org.key]),
            {"email": "new@example.org", "role": "staff"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.token in mail.outbox[0].body
    client.logout()
    url = reverse("organisations:invitation-accept", args=[invitation.token])
    response = client.post(
        url, {"name": "New Person", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="new@example.org").role == "staff"
    assert client.get(url).status_code == 404  # used once only


def test_org_admin_cannot_grant_coordinator(org_admin):
    org = org_admin.memberships.get().organisation
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=org_admin, organisation=org, email="x@example.org", role="coordinator"
        )


def test_last_admin_cannot_be_removed(org_admin):
    membership = org_admin.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_remove(actor=org_admin, membership=membership)


def test_search_filters_organisations(client, staff):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Jobcenter Stuttgart", country="DE", expertise=["trauma-informed-counselling"])
    OrganisationFactory(name="SOC Catalonia", country="ES", expertise=["programme-monitoring"])
    client.force_login(staff)
    body = client.get(
        reverse("organisations:organisation-list"), {"topic": "trauma-informed-counselling"}
    ).content.decode()
    assert "Jobcenter Stuttgart" in body
    assert "SOC Catalonia" not in body
    body = client.get(
        reverse("organisations:organisation-list"), {"q": "catalonia"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "SOC Catalonia" in body
    assert "<html" not in body


def test_organisation_list_query_count_is_constant(client, staff, django_assert_max_num_queries):
    from tests.factories import OrganisationFactory

    for i in range(15):
        OrganisationFactory(name=f"Org {i}", expertise=["mentoring", "early-outreach"])
    client.force_login(staff)
    client.get(reverse("web:dashboard"))  # the session's first request records its start once
    with django_assert_max_num_queries(14):
        client.get(reverse("organisations:organisation-list"))


def test_region_options_follow_country(client):
    body = client.get(reverse("organisations:region-options"), {"country": "NO"}).content.decode()
    assert "NO0A" in body
    assert "SE23" not in body


def test_coordinator_suspends_and_reinstates(client, coordinator, org_admin):
    org = org_admin.memberships.get().organisation
    client.force_login(coordinator)
    url = reverse("organisations:organisation-status", args=[org.key])
    client.post(url, {"status": "suspended", "reason": ""})
    org.refresh_from_db()
    assert org.status == "active"  # a reason is required
    client.post(url, {"status": "suspended", "reason": "Fees unpaid"})
    org.refresh_from_db()
    assert org.status == "suspended"
    event = AuditEvent.objects.get(action="organisation.status_changed")
    assert event.reason == "Fees unpaid"
    assert Notification.objects.filter(recipient=org_admin, kind="organisation.status_changed").exists()
    # The suspended organisation's own administrator loses access to it.
    client.force_login(org_admin)
    assert client.get(reverse("organisations:organisation-edit", args=[org.key])).status_code == 404


def test_only_coordinators_change_status(client, org_admin):
    org = org_admin.memberships.get().organisation
    client.force_login(org_admin)
    url = reverse("organisations:organisation-status", args=[org.key])
    assert client.post(url, {"status": "suspended", "reason": "x"}).status_code == 404
    org.refresh_from_db()
    assert org.status == "active"


def test_login_is_throttled_after_repeated_failures(client, settings, staff):
    from django.core.cache import cache

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/key"}
    cache.clear()
    for _ in range(3):
        response = client.post(reverse("account_login"), {"login": staff.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_dashboard_shows_what_needs_attention(client, django_assert_max_num_queries):
    from tests.factories import OpportunityFactory

    user = member(Role.CASE_WORKER)
    org = user.memberships.get().organisation
    OpportunityFactory(organisation=org, direction="request")
    client.force_login(user)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("web:dashboard")).content.decode()
    assert "Your open offers and requests" in body
    assert "Job shadowing" in body
    assert "Youth Guarantee" in body  # case workers see their caseload alerts


def test_dashboard_for_staff_has_no_caseload(client, staff):
    client.force_login(staff)
    body = client.get(reverse("web:dashboard")).content.decode()
    assert "Youth Guarantee" not in body


def test_country_names_follow_the_interface_language(client, staff):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Jobcenter Stuttgart", country="DE")
    client.force_login(staff)
    client.cookies["django_language"] = "sv"
    body = client.get(reverse("organisations:organisation-list")).content.decode()
    assert "(Tyskland)" in body
    client.cookies["django_language"] = "de"
    body = client.get(reverse("organisations:organisation-list")).content.decode()
    assert "(Deutschland)" in body

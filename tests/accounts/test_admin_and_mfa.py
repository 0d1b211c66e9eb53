"""The Django admin is for coordinators only; roles with access to personal data must use TOTP."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from matchmaking.organisations.models import Role
from tests.factories import MembershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.STAFF, Role.CASE_WORKER])
def test_admin_refuses_non_coordinators(client, role):
    client.force_login(member(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_admin_open_to_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organisations/organisation/").status_code == 200


def test_admin_hides_application_contact_details(client, coordinator):
    from matchmaking.organisations.services import application_submit

    application = application_submit(
        profile={"name": "Applicant org", "kind": "ngo", "country": "SE"},
        contact_name="Secret Person",
        contact_email="secret.person@example.org",
    )
    client.force_login(coordinator)
    page = client.get(f"/admin/organisations/joinapplication/{application.pk}/change/").content.decode()
    assert "secret.person@example.org" not in page
    assert "Secret Person" not in page


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORG_ADMIN, Role.CASE_WORKER])
def test_personal_data_roles_must_set_up_totp(client, role):
    user = UserFactory()
    MembershipFactory(user=user, role=role)
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_staff_needs_no_second_factor(client):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.STAFF)
    client.force_login(user)
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_login_is_by_email_and_passwords_hashed_with_argon2(client, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("x").startswith("argon2")
    user = member(Role.STAFF)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert b"closed" in response.content.lower() or response.status_code in (403, 404)

"""Joining the network in a real browser, one test per step, each starting from data made with the
factories and services so that one failing step does not hide the others: an organisation applies, a
coordinator approves it, its new administrator chooses a password and sets up TOTP, then logs in with it,
edits the profile and switches language. axe-core checks every page."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from matchmaking.organisations import services
from matchmaking.organisations.models import JoinApplication, Membership, Organisation, Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, term

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_SECRET = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"
NAME = "Kommune Testvik Arbeid"
PROFILE = {
    "name": NAME,
    "kind": "municipality",
    "country": "NO",
    "region": "NO0A",
    "city": "Bergen",
    "languages": ["nb", "en"],
    "target_groups": ["neet-youth"],
    "expertise": [],
    "interests": [],
    "hosting_capacity": 4,
    "description": "",
    "website": "",
    "erasmus_id": None,
    "erasmus_accreditation": "",
}


def totp(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def make_coordinator():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    secretariat = OrganisationFactory(
        key="secretariat",
        name="Network secretariat",
        kind=term("organisation-kinds", "network"),
        country="BE",
    )
    user = UserFactory(email="coordinator@example.org", name="Cora Coordinator")
    Membership.objects.create(user=user, organisation=secretariat, role=Role.COORDINATOR)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(COORDINATOR_SECRET)}
    )
    return user


def login(page, axe, email: str, password: str, secret: str, step: int = 0) -> None:
    page.goto("/accounts/login/")
    axe.check(page)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
    axe.check(page)
    page.get_by_label("Code", exact=True).fill(totp(secret, step))
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def applied() -> JoinApplication:
    """The state after step 1: the application, as the form sends it."""
    return services.application_submit(
        profile=dict(PROFILE), contact_name="Nora Nordmann", contact_email="nora@example.org"
    )


def admin_with_totp() -> Organisation:
    """The state after step 5: the organisation is a member, Nora its administrator with TOTP."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    organisation = services.application_approve(actor=make_coordinator(), application=applied())
    nora = Membership.objects.get(organisation=organisation, role=Role.ORG_ADMIN).user
    nora.set_password(PASSWORD)
    nora.save()
    Authenticator.objects.create(
        user=nora, type=Authenticator.Type.TOTP, data={"secret": encrypt(ADMIN_SECRET)}
    )
    return organisation


def test_1_an_organisation_applies_to_join(page, axe, live_server):
    page.goto("/")
    axe.check(page)
    page.get_by_role("link", name="Apply to join the network").click()
    axe.check(page)
    page.get_by_label("Name of the organisation", exact=True).fill(NAME)
    page.get_by_label("Kind of organisation", exact=True).select_option("municipality")
    page.get_by_label("Country", exact=True).select_option("NO")
    page.locator("#id_region option[value='NO0A']").wait_for(state="attached")
    page.get_by_label("Region (NUTS 2)", exact=True).select_option("NO0A")
    page.get_by_label("City", exact=True).fill("Bergen")
    for language in ("nb", "en"):
        page.locator(f"input[name='languages'][value='{language}']").check()
    page.locator("input[name='target_groups'][value='neet-youth']").check()
    page.get_by_label("Hosting capacity", exact=True).fill("4")
    page.get_by_label("Your name", exact=True).fill("Nora Nordmann")
    page.get_by_label("Your email", exact=True).fill("nora@example.org")
    page.get_by_role("button", name="Send application").click()
    page.get_by_role("heading", name=re.compile("application has been sent")).wait_for()
    axe.check(page)
    application = JoinApplication.objects.get()
    assert application.profile["region"] == "NO0A"
    assert application.contact_email == "nora@example.org"
    assert not page.csp_errors, page.csp_errors


def test_2_the_coordinator_logs_in_with_totp_and_approves(page, axe, live_server):
    make_coordinator()
    applied()
    login(page, axe, "coordinator@example.org", PASSWORD, COORDINATOR_SECRET)
    axe.check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    axe.check(page)
    page.get_by_role("link", name=NAME).click()
    axe.check(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Approve application").click()
    page.get_by_role("heading", name=NAME).wait_for()
    axe.check(page)
    logout(page)
    organisation = Organisation.objects.get(name=NAME)
    assert organisation.region.code == "NO0A"
    assert any("nora@example.org" in m.to for m in mail.outbox)
    assert not page.csp_errors, page.csp_errors


def test_3_the_new_administrator_chooses_a_password_and_sets_up_totp(page, axe, live_server):
    mail.outbox.clear()
    services.application_approve(actor=make_coordinator(), application=applied())

    # The link in the welcome email: choose a password.
    welcome = next(m for m in mail.outbox if "nora@example.org" in m.to)
    link = re.search(r"https?://\S+", welcome.body).group(0)
    page.goto(urlsplit(link).path)
    page.wait_for_url(re.compile("/accounts/password/reset/key/"))
    axe.check(page)
    page.get_by_label("New Password", exact=True).fill("fjord-mountain-ferry-42")
    page.get_by_label(re.compile("New Password \\(again\\)", re.I)).fill("fjord-mountain-ferry-42")
    page.get_by_role("button", name=re.compile("Change Password", re.I)).click()
    page.wait_for_load_state()

    # First login: an org-admin can see personal data, so TOTP must be set up before anything else.
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill("nora@example.org")
    page.get_by_label("Password", exact=True).fill("fjord-mountain-ferry-42")
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    # Adding an authenticator asks for the password again (a guard against unattended sessions).
    page.wait_for_url(re.compile("/accounts/reauthenticate/"))
    axe.check(page)
    page.get_by_label("Password", exact=True).fill("fjord-mountain-ferry-42")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile("/accounts/2fa/totp/activate/"))
    axe.check(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Authenticator code", re.I)).fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    page.goto("/dashboard/")
    axe.check(page)
    logout(page)

    # Log in again, now with the second factor.
    login(page, axe, "nora@example.org", "fjord-mountain-ferry-42", secret, step=1)
    assert not page.csp_errors, page.csp_errors


def test_4_the_administrator_edits_the_profile(page, axe, live_server):
    organisation = admin_with_totp()
    login(page, axe, "nora@example.org", PASSWORD, ADMIN_SECRET)
    page.get_by_role("link", name=NAME).click()
    axe.check(page)
    page.get_by_role("link", name="Edit profile").click()
    axe.check(page)
    page.get_by_label("Description", exact=True).fill(
        "We run multi-competent teams for young people in Bergen."
    )
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("The profile has been saved.").wait_for()
    axe.check(page)
    organisation.refresh_from_db()
    assert organisation.description.startswith("We run multi-competent teams")
    assert not page.csp_errors, page.csp_errors


def test_5_the_interface_switches_to_swedish(page, axe, live_server):
    admin_with_totp()
    login(page, axe, "nora@example.org", PASSWORD, ADMIN_SECRET)
    page.get_by_label("Language", exact=True).select_option("sv")
    page.get_by_role("button", name="Change").click()
    page.locator("html[lang='sv']").wait_for(state="attached")
    axe.check(page)
    page.goto("/organisations/")
    assert page.locator("html").get_attribute("lang") == "sv"
    axe.check(page)
    assert not page.csp_errors, page.csp_errors

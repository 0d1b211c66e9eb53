"""A case worker maps skills, a coordinator runs a round with an override and confirms it, the host
accepts, and the worker records a follow-up, a referral and an outcome — in headless Chromium, with
axe-core on every page."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from matchmaking.organisations.models import Membership, Role
from matchmaking.participants.models import Consent
from matchmaking.pathways.models import Meeting, Outcome, Referral, SupportService
from matchmaking.placements.models import Proposal
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, term
from tests.factories_participants import participant, placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CUSTOMERS = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
HYGIENE = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def totp(step: int = 0) -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30 + step))


def person(email: str, organisation, role: str, *, two_factor: bool = True):
    user = UserFactory(email=email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if two_factor:
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(SECRET)}
        )
    return user


def login(page, axe, email: str, *, step: int | None = 0) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    if step is not None:
        page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
        page.get_by_label("Code", exact=True).fill(totp(step))
        page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    axe.check(page)


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_skills_round_override_host_follow_up_referral_outcome(page, axe, live_server):
    home = OrganisationFactory(key="boras-e2e", name="Borås Working Life", country="SE")
    host = OrganisationFactory(key="hotel-e2e", name="Hotel Göta", country="SE")
    secretariat = OrganisationFactory(
        key="secretariat-e2e", name="Secretariat", country="BE", kind=term("organisation-kinds", "network")
    )
    worker = person("worker@example.org", home, Role.CASE_WORKER)
    person("coordinator@example.org", secretariat, Role.COORDINATOR)
    person("host@example.org", host, Role.STAFF, two_factor=False)
    someone = participant(home, key_worker=worker)
    someone.skills.create(uri=HYGIENE, label="apply hygiene standards", how="formal", esco_version="1.1.1")
    kitchen = placement(host, key="kitchen-e2e", title="Kitchen assistant", required=[HYGIENE])
    cafe = placement(host, key="cafe-e2e", title="Café assistant", required=[CUSTOMERS])
    SupportService.objects.create(
        name="Housing advice Borås", category="housing", country="SE", organisation=home
    )
    Consent.objects.create(participant=someone, purpose="sharing", organisation=home, given_on="2026-01-01")

    # 1. The case worker maps an informal skill with ESCO suggestions.
    login(page, axe, "worker@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    axe.check(page)
    page.get_by_role("link", name=someone.pseudonym).click()
    axe.check(page)
    page.get_by_role("navigation", name="Participant").get_by_role("link", name="Skills").click()
    axe.check(page)
    page.get_by_label("Part of the interview", exact=True).select_option("work")
    page.get_by_label("What the person tells you, in their words", exact=True).fill(
        "I helped customers in my uncle's shop and handled the cash"
    )
    page.get_by_role("button", name="Suggest skills").click()
    page.get_by_role("heading", name="Suggested skills").wait_for()
    axe.check(page)
    page.get_by_label("Skill or occupation", exact=True).fill("satisfy customers")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Accept: satisfy customers").first.click()
    page.get_by_text("Added: satisfy customers").wait_for()
    axe.check(page)
    assert someone.skills.filter(uri=CUSTOMERS, how="informal").exists()
    logout(page)

    # 2. The coordinator creates a round, computes it, overrides with a reason, and confirms.
    login(page, axe, "coordinator@example.org")
    page.goto("/placements/rounds/new/")
    axe.check(page)
    page.get_by_label("Name of the round", exact=True).fill("Autumn round")
    page.get_by_label(re.compile("Stable \\(nobody")).check()
    page.get_by_label(re.compile(someone.pseudonym)).check()
    page.get_by_label(re.compile("Kitchen assistant ·")).check()
    page.get_by_label(re.compile("Café assistant ·")).check()
    page.get_by_role("button", name="Create round").click()
    page.get_by_role("heading", name="Autumn round").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Compute proposal").click()
    page.get_by_role("heading", name="Fairness report").wait_for()
    axe.check(page)
    proposal = Proposal.objects.get(participant=someone)
    assert proposal.placement is not None
    other = cafe if proposal.placement == kitchen else kitchen
    page.get_by_label(f"Placement for {someone.pseudonym}").select_option(str(other.pk))
    page.get_by_label(f"Reason for changing {someone.pseudonym}").fill("Prefers front-of-house work")
    page.get_by_role("button", name=f"Change proposal for {someone.pseudonym}").click()
    page.get_by_text("Prefers front-of-house work").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Confirm allocation").click()
    page.get_by_text("The round is confirmed").wait_for()
    axe.check(page)
    logout(page)

    # 3. The host accepts the participant (seen by pseudonym only).
    login(page, axe, "host@example.org", step=None)
    page.goto(other.get_absolute_url())
    axe.check(page)
    assert "Secret-Name" not in page.content()
    page.get_by_label("Accept", exact=True).check()
    page.get_by_role("button", name=f"Send decision on {someone.pseudonym}").click()
    page.get_by_text("Your decision has been recorded.").wait_for()
    axe.check(page)
    assert Proposal.objects.get(participant=someone).status == Proposal.Status.ACCEPTED
    logout(page)

    # 4. The worker records a follow-up meeting, a self-assessment, a referral and the outcome.
    login(page, axe, "worker@example.org", step=1)
    page.goto(someone.get_absolute_url())
    axe.check(page)
    page.get_by_role("navigation", name="Participant").get_by_role(
        "link", name="Follow-up and progress"
    ).click()
    axe.check(page)
    page.get_by_label("Notes", exact=True).fill("First week went well.")
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_text("The meeting has been recorded.").wait_for()
    for scale in ("Motivation (1–10)", "Confidence (1–10)", "Readiness for work (1–10)", "Well-being (1–10)"):
        page.get_by_label(scale, exact=True).select_option("7")
    page.get_by_role("button", name="Save self-assessment").click()
    page.get_by_text("The self-assessment has been recorded.").wait_for()
    axe.check(page)
    page.get_by_role("navigation", name="Participant").get_by_role("link", name="Referrals").click()
    axe.check(page)
    page.get_by_label("Support service", exact=True).select_option(label="Housing advice Borås (Housing, SE)")
    page.get_by_label("What the person needs", exact=True).fill("A room near the hotel")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("The referral has been sent.").wait_for()
    axe.check(page)
    page.get_by_role("navigation", name="Participant").get_by_role("link", name="Offers and outcome").click()
    axe.check(page)
    page.get_by_label("How the person left", exact=True).select_option("job-regular")
    page.get_by_role("button", name="Record outcome").click()
    page.get_by_text("The outcome has been recorded.").wait_for()
    axe.check(page)

    assert Meeting.objects.filter(participant=someone).exists()
    assert Referral.objects.filter(participant=someone).exists()
    assert Outcome.objects.get(participant=someone).exit_type == "job-regular"
    assert not page.csp_errors, page.csp_errors
    assert len(axe.checked) >= 20

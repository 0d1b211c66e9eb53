"""Pathways in headless Chromium, one test per step group, each starting from data made with the
factories and services so that one failing step does not hide the others: a case worker maps skills, a
coordinator runs a round with an override and confirms it, the host accepts, and the worker records a
follow-up, a referral and an outcome. axe-core checks every page."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from matchmaking.organisations.models import Membership, Role
from matchmaking.participants.models import Consent
from matchmaking.pathways.models import Meeting, Outcome, Referral, SupportService
from matchmaking.placements import rounds
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


def world() -> SimpleNamespace:
    """Borås with a case worker and one participant holding a hygiene skill; a hotel with two placements;
    a coordinator; a housing service; the participant's consent to share."""
    home = OrganisationFactory(key="boras-e2e", name="Borås Working Life", country="SE")
    host = OrganisationFactory(key="hotel-e2e", name="Hotel Göta", country="SE")
    secretariat = OrganisationFactory(
        key="secretariat-e2e", name="Secretariat", country="BE", kind=term("organisation-kinds", "network")
    )
    worker = person("worker@example.org", home, Role.CASE_WORKER)
    coordinator = person("coordinator@example.org", secretariat, Role.COORDINATOR)
    person("host@example.org", host, Role.STAFF, two_factor=False)
    someone = participant(home, key_worker=worker)
    someone.skills.create(uri=HYGIENE, label="apply hygiene standards", how="formal", esco_version="1.1.1")
    kitchen = placement(host, key="kitchen-e2e", title="Kitchen assistant", required=[HYGIENE])
    cafe = placement(host, key="cafe-e2e", title="Café assistant", required=[CUSTOMERS])
    SupportService.objects.create(
        name="Housing advice Borås", category="housing", country="SE", organisation=home
    )
    Consent.objects.create(participant=someone, purpose="sharing", organisation=home, given_on="2026-01-01")
    return SimpleNamespace(
        home=home,
        host=host,
        worker=worker,
        coordinator=coordinator,
        someone=someone,
        kitchen=kitchen,
        cafe=cafe,
    )


def with_customer_skill(w: SimpleNamespace) -> SimpleNamespace:
    """The state after step 1: the informal skill is mapped, so both placements fit."""
    w.someone.skills.create(uri=CUSTOMERS, label="satisfy customers", how="informal", esco_version="1.1.1")
    return w


def participant_page(page, axe, w: SimpleNamespace, link: str) -> None:
    page.goto(w.someone.get_absolute_url())
    axe.check(page)
    page.get_by_role("navigation", name="Participant").get_by_role("link", name=link).click()
    axe.check(page)


def test_1_the_case_worker_maps_an_informal_skill(page, axe, live_server):
    w = world()
    login(page, axe, "worker@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    axe.check(page)
    page.get_by_role("link", name=w.someone.pseudonym).click()
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
    assert w.someone.skills.filter(uri=CUSTOMERS, how="informal").exists()
    assert not page.csp_errors, page.csp_errors


def test_2_the_coordinator_runs_a_round_overrides_and_confirms(page, axe, live_server):
    w = with_customer_skill(world())
    someone = w.someone
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
    other = w.cafe if proposal.placement == w.kitchen else w.kitchen
    page.get_by_label(f"Placement for {someone.pseudonym}").select_option(str(other.pk))
    page.get_by_label(f"Reason for changing {someone.pseudonym}").fill("Prefers front-of-house work")
    page.get_by_role("button", name=f"Change proposal for {someone.pseudonym}").click()
    page.get_by_text("Prefers front-of-house work").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Confirm allocation").click()
    page.get_by_text("The round is confirmed").wait_for()
    axe.check(page)
    assert Proposal.objects.get(participant=someone).placement == other
    assert not page.csp_errors, page.csp_errors


def test_3_the_host_accepts_the_participant(page, axe, live_server):
    w = with_customer_skill(world())
    someone = w.someone
    found = rounds.round_create(
        actor=w.coordinator, name="Autumn round", method="stable", participants=[someone],
        placements=[w.kitchen, w.cafe],
    )  # fmt: skip
    rounds.round_propose(actor=w.coordinator, allocation_round=found)
    rounds.round_confirm(actor=w.coordinator, allocation_round=found)
    placed = Proposal.objects.get(participant=someone).placement
    assert placed is not None
    login(page, axe, "host@example.org", step=None)
    page.goto(placed.get_absolute_url())
    axe.check(page)
    assert "Secret-Name" not in page.content()
    page.get_by_label("Accept", exact=True).check()
    page.get_by_role("button", name=f"Send decision on {someone.pseudonym}").click()
    page.get_by_text("Your decision has been recorded.").wait_for()
    axe.check(page)
    assert Proposal.objects.get(participant=someone).status == Proposal.Status.ACCEPTED
    assert not page.csp_errors, page.csp_errors


def test_4_the_worker_records_a_follow_up_meeting_and_self_assessment(page, axe, live_server):
    w = world()
    login(page, axe, "worker@example.org")
    participant_page(page, axe, w, "Follow-up and progress")
    page.get_by_label("Notes", exact=True).fill("First week went well.")
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_text("The meeting has been recorded.").wait_for()
    for scale in ("Motivation (1–10)", "Confidence (1–10)", "Readiness for work (1–10)", "Well-being (1–10)"):
        page.get_by_label(scale, exact=True).select_option("7")
    page.get_by_role("button", name="Save self-assessment").click()
    page.get_by_text("The self-assessment has been recorded.").wait_for()
    axe.check(page)
    assert Meeting.objects.filter(participant=w.someone).exists()
    assert w.someone.assessments.count() == 1
    assert not page.csp_errors, page.csp_errors


def test_5_the_worker_sends_a_referral(page, axe, live_server):
    w = world()
    login(page, axe, "worker@example.org")
    participant_page(page, axe, w, "Referrals")
    page.get_by_label("Support service", exact=True).select_option(label="Housing advice Borås (Housing, SE)")
    page.get_by_label("What the person needs", exact=True).fill("A room near the hotel")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("The referral has been sent.").wait_for()
    axe.check(page)
    assert Referral.objects.filter(participant=w.someone).exists()
    assert not page.csp_errors, page.csp_errors


def test_6_the_worker_records_the_outcome(page, axe, live_server):
    w = world()
    login(page, axe, "worker@example.org")
    participant_page(page, axe, w, "Offers and outcome")
    page.get_by_label("How the person left", exact=True).select_option("job-regular")
    page.get_by_role("button", name="Record outcome").click()
    page.get_by_text("The outcome has been recorded.").wait_for()
    axe.check(page)
    assert Outcome.objects.get(participant=w.someone).exit_type == "job-regular"
    assert not page.csp_errors, page.csp_errors

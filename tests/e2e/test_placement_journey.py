"""Matching for one person, in headless Chromium on the demo network: a Borås case worker registers a new
person (answering the consent questions the intake form asks), maps a skill, opens "Suggested
placements" and proposes the person to DEHOGA's rolling-start kitchen placement; DEHOGA puts the
proposal on hold for an interview, then accepts; the case worker records the start and an early end
with a reason, the person leaving the programme; the follow-up check after exit is then on the
worklist. axe-core checks every page on the way."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.demo.placements import FOOD_HYGIENE
from matchmaking.participants.models import Participant
from matchmaking.placements.models import Assignment, MobilityRecord, Placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKER, HOST = "boras.caseworker@example.org", "dehoga.admin@example.org"
PLACEMENT = "Hotel kitchen assistant (rolling start)"


def demo_network(settings) -> None:
    from matchmaking.demo.services import demo_load

    settings.MFA_REQUIRED = False
    demo_load()


def login(page, axe, email: str) -> None:
    from matchmaking.demo.services import demo_password

    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(demo_password())
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    axe.check(page)


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def intake(page, axe) -> Participant:
    """The new-participant form: the identity, willing to go abroad, and every consent question the
    form asks answered yes (the form decides which; nothing is answered in advance)."""
    before = set(Participant.objects.values_list("pk", flat=True))
    page.goto("/participants/new/")
    axe.check(page)
    page.get_by_label("Given name", exact=True).fill("Noor")
    page.get_by_label("Willing to go abroad").check()
    for group in page.locator("input[type=radio][name^=consent_][value=yes]").all():
        group.check()
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/participants/P-"))
    axe.check(page)
    return Participant.objects.exclude(pk__in=before).get()


def map_a_skill(page, axe, person: Participant) -> None:
    page.goto(f"/participants/{person.pseudonym}/skills/search/?q={FOOD_HYGIENE[1]}&kind=skill")
    page.locator(f'#pick-search button[name="accept"][value="{FOOD_HYGIENE[0]}"]').click()
    page.locator("#mapped-skills").get_by_text(FOOD_HYGIENE[1]).first.wait_for()
    axe.check(page)
    assert person.skills.filter(uri=FOOD_HYGIENE[0]).exists()


def propose(page, axe, person: Participant) -> Assignment:
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Suggested placements").first.click()
    page.wait_for_url(re.compile(r"/placements/for/"))
    axe.check(page)
    page.get_by_label("Minimum fit (0–100)").fill("50")
    page.get_by_role("button", name="Filter").click()
    card = page.locator("li.card", has_text=PLACEMENT)
    card.get_by_label("Message to the host (optional)").fill("Motivated, can start at once.")
    card.get_by_role("button", name=re.compile("Propose to DEHOGA")).click()
    page.wait_for_url(re.compile(r"/placements/people/\d+/"))
    axe.check(page)
    assert page.locator("#status").inner_text() == "Proposed to the host"
    return Assignment.objects.get(participant=person)


def host_answers(page, axe, assignment: Assignment) -> None:
    """DEHOGA finds the proposal in its inbox, sees what it needs, holds it for an interview today, and
    accepts after the interview."""
    page.goto("/placements/inbox/")
    axe.check(page)
    page.get_by_role("link", name=assignment.participant.pseudonym).click()
    page.wait_for_url(re.compile(r"/placements/people/\d+/"))
    axe.check(page)
    assert "boras.caseworker@example.org" in page.content()
    page.get_by_label("Interview on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Put on hold for an interview").click()
    page.locator("#status", has_text="On hold for an interview").wait_for()
    axe.check(page)
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Send the answer").click()
    page.locator("#status", has_text="Accepted by the host").wait_for()


def start_and_end_early(page, axe, assignment: Assignment) -> None:
    placement = Placement.objects.get(pk=assignment.placement_id)
    page.goto(assignment.get_absolute_url())
    page.get_by_label("Started on").fill(placement.start.isoformat())
    page.get_by_role("button", name="Record the start").click()
    page.locator("#status", has_text="Started").wait_for()
    axe.check(page)
    page.get_by_label("Ended early", exact=True).check()
    page.get_by_label("Ended on").fill((placement.start + timedelta(days=10)).isoformat())
    page.get_by_label("Why it ended early").select_option("hired-elsewhere")
    page.get_by_label("Outcome").select_option("job-elsewhere")
    page.get_by_label(re.compile("also leaves the programme")).check()
    page.get_by_role("button", name="Record the end").click()
    page.locator("#status", has_text="Ended early").wait_for()
    axe.check(page)


def test_a_new_person_from_intake_to_an_early_end_and_the_follow_up(
    browser, live_server, settings, page, axe
):
    demo_network(settings)
    login(page, axe, WORKER)
    person = intake(page, axe)
    map_a_skill(page, axe, person)
    assignment = propose(page, axe, person)
    logout(page)

    login(page, axe, HOST)
    host_answers(page, axe, assignment)
    logout(page)

    login(page, axe, WORKER)
    start_and_end_early(page, axe, assignment)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.end_reason) == ("ended-early", "hired-elsewhere")
    assert [e["code"] for e in assignment.history] == [
        "proposed",
        "on-hold",
        "accepted",
        "started",
        "ended-early",
    ]
    # An Erasmus+ placement abroad: one mobility record, long-term VET, never "apprentice".
    record = MobilityRecord.objects.get(assignment=assignment)
    assert (record.activity_code, record.learner_type) == ("LM-LONG-VET", "vet-learner")

    page.goto("/pathways/worklist/")
    axe.check(page)
    follow_ups = page.locator("section[aria-labelledby=retention]")
    follow_ups.get_by_role("link", name=person.pseudonym).first.wait_for()
    assert not page.csp_errors

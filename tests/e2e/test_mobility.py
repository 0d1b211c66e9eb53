"""The whole mobility journey in a real browser: org A posts a request, sees org B among its suggestions
with reasons, contacts B, B accepts, they build a tailored programme, complete, report, both approve
the story and it appears in the public library. axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest

from matchmaking.organisations.models import Role
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.factories_mobility import langs, opportunity, topics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, axe, email: str) -> None:
    page.goto("/accounts/login/")
    axe.check(page)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def click_and_check(page, axe, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()
    axe.check(page)


def test_request_to_published_story(page, axe, live_server):
    a = OrganisationFactory(key="boras", name="Borås Working Life", country="SE")
    b = OrganisationFactory(key="soc", name="SOC Catalonia", country="ES", hosting_capacity=6)
    a.languages.set(langs("en", "sv"))
    b.languages.set(langs("en", "es"))
    b.expertise.set(topics("early-outreach", "skills-mapping"))
    opportunity(b, direction="offer", topic_codes=("early-outreach", "skills-mapping"), group_size=4,
                description="Shadow our early outreach and skills mapping teams")  # fmt: skip
    member(Role.STAFF, a, email="anna@example.org", name="Anna Andersson")
    member(Role.STAFF, b, email="bea@example.org", name="Bea Bofill")

    # 1. Org A posts a request.
    login(page, axe, "anna@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers and requests").click()
    axe.check(page)
    click_and_check(page, axe, "link", "Post a request")
    page.get_by_label("Type", exact=True).select_option("job-shadowing")
    page.get_by_label("Description", exact=True).fill("We want to learn early outreach to young people")
    page.locator("input[name='topics'][value='early-outreach']").check()
    page.get_by_label("Working languages for the visit", exact=True).select_option(["en", "sv"])
    page.get_by_label("Duration in days", exact=True).fill("2")
    page.get_by_label("Group size", exact=True).fill("2")
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("heading", name=re.compile("Job shadowing: request")).wait_for()
    axe.check(page)

    # 2. Suggestions name B, with reasons and a breakdown; "why not?" answers for another organisation.
    click_and_check(page, axe, "link", "See partner suggestions")
    page.get_by_role("heading", name="SOC Catalonia").wait_for()
    assert page.get_by_text(re.compile("They can show: Early outreach")).count() >= 1
    page.get_by_label("Country", exact=True).select_option("ES")
    page.get_by_role("heading", name="SOC Catalonia").wait_for()
    axe.check(page)

    # 3. A contacts B.
    page.get_by_role("link", name=re.compile("^Contact SOC Catalonia")).first.click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Your message", exact=True).fill(
        "Hola! Two of us would like to shadow your outreach team."
    )
    page.get_by_role("button", name="Send proposal").click()
    page.get_by_text("Your proposal has been sent").wait_for()
    axe.check(page)
    exchange_url = page.url
    logout(page)

    # 4. B accepts and they plan a tailored programme.
    login(page, axe, "bea@example.org")
    page.goto(exchange_url)
    axe.check(page)
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("The exchange is now agreed").wait_for()
    page.get_by_role("button", name="Start planning").click()
    page.get_by_text("The exchange is now planning").wait_for()
    page.get_by_role("link", name=re.compile("^Visitors and programme")).click()
    page.wait_for_load_state()
    axe.check(page)
    for name, role in (("Maja Lindqvist", "Youth adviser"), ("Tove Sandberg", "Job coach")):
        click_and_check(page, axe, "link", "Add a visitor")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Role or job title", exact=True).fill(role)
        page.get_by_label("Learning goals", exact=True).fill("Early outreach in schools")
        page.get_by_role("button", name="Save visitor").click()
        page.get_by_text("The visitor has been saved").wait_for()
    click_and_check(page, axe, "link", "Add a programme item")
    page.get_by_label("From", exact=True).fill("09:00")
    page.get_by_label("To", exact=True).fill("12:00")
    page.get_by_label("Activity", exact=True).fill("Shadow a youth adviser in a school")
    page.get_by_label("Format", exact=True).select_option("job-shadowing")
    page.get_by_label("Maja Lindqvist", exact=True).check()
    page.get_by_role("button", name="Save programme item").click()
    page.get_by_text("The programme item has been saved").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile("^Agenda Tove")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Shadow a youth adviser in a school").count() == 0
    page.goto(exchange_url)
    for button, state in (("Confirm the exchange", "confirmed"), ("Mark as under way", "under way"),
                          ("Mark as completed", "completed")):  # fmt: skip
        page.get_by_role("button", name=button).click()
        page.get_by_text(f"The exchange is now {state}").wait_for()
    axe.check(page)

    # 5. The completion report, then reported.
    click_and_check(page, axe, "link", "Completion report")
    page.get_by_label("The exchange in a few sentences", exact=True).fill(
        "Two days of job shadowing in Barcelona."
    )
    page.get_by_label("Lessons learnt by the host", exact=True).fill(
        "Tailored activities create peer learning"
    )
    page.get_by_label("Lessons learnt by the participants", exact=True).fill(
        "Early outreach improves support"
    )
    page.get_by_role("button", name="Save report").click()
    page.get_by_text("The report has been saved").wait_for()
    axe.check(page)
    page.goto(exchange_url)
    page.get_by_role("button", name="Mark as reported").click()
    page.get_by_text("The exchange is now reported").wait_for()

    # 6. The story: B writes and approves, A approves, it is published.
    page.get_by_role("button", name="Write the good-practice story").click()
    page.get_by_role("heading", name="Edit the story").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile("Job shadowing")).first.click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("button", name="Approve for publication").click()
    page.get_by_text("published once the other organisation approves").wait_for()
    story_url = page.url
    logout(page)
    login(page, axe, "anna@example.org")
    page.goto(story_url)
    page.get_by_role("button", name="Approve for publication").click()
    page.get_by_text("the story is published in the library").wait_for()
    axe.check(page)
    logout(page)

    # 7. Anyone finds it in the public library.
    page.goto("/library/")
    axe.check(page)
    page.get_by_label("Country", exact=True).select_option("ES")
    page.get_by_role("link", name=re.compile("Borås Working Life visits SOC Catalonia")).click()
    page.get_by_role("heading", name="Lessons learnt").wait_for()
    axe.check(page)
    assert page.get_by_text("Early outreach improves support").count() == 1
    assert not page.csp_errors, page.csp_errors

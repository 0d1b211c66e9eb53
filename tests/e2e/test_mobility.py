"""The mobility journey in a real browser, one test per step group, each starting from data made with the
factories and services so that one failing step does not hide the others: org A posts a request and
sees org B among its suggestions with reasons, contacts B, B accepts and they build a tailored
programme, the completion report, both approve the story, and it appears in the public library.
axe-core checks every page on the way."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from matchmaking.exchanges import reports
from matchmaking.exchanges.models import Exchange, State
from matchmaking.library import services as library
from matchmaking.library.models import Story
from matchmaking.mobility import matching
from matchmaking.organisations.models import Role
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.factories_mobility import exchange, langs, opportunity, topics, visitor_of

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


def network() -> SimpleNamespace:
    """Borås (A, with Anna) and SOC Catalonia (B, with Bea), B offering job shadowing of early outreach."""
    a = OrganisationFactory(key="boras", name="Borås Working Life", country="SE")
    b = OrganisationFactory(key="soc", name="SOC Catalonia", country="ES", hosting_capacity=6)
    a.languages.set(langs("en", "sv"))
    b.languages.set(langs("en", "es"))
    b.expertise.set(topics("early-outreach", "skills-mapping"))
    offer = opportunity(b, direction="offer", topic_codes=("early-outreach", "skills-mapping"), group_size=4,
                        description="Shadow our early outreach and skills mapping teams")  # fmt: skip
    anna = member(Role.STAFF, a, email="anna@example.org", name="Anna Andersson")
    bea = member(Role.STAFF, b, email="bea@example.org", name="Bea Bofill")
    return SimpleNamespace(a=a, b=b, offer=offer, anna=anna, bea=bea)


def with_request(n: SimpleNamespace) -> SimpleNamespace:
    """The state after step 1: A's request is published and its suggestions computed."""
    n.request = opportunity(n.a, direction="request", languages=("en", "sv"), duration_days=2, group_size=2,
                            description="We want to learn early outreach to young people")  # fmt: skip
    matching.refresh([n.request])
    return n


def with_exchange(n: SimpleNamespace, state: str) -> SimpleNamespace:
    """An exchange of A visiting B in ``state``, with two visitors."""
    with_request(n)
    start = timezone.localdate() + timedelta(days=20)
    n.exchange = exchange(n.b, n.a, state=state, offer=n.offer, request=n.request, start=start, days=2,
                          proposed_by=n.a)  # fmt: skip
    visitor_of(n.exchange, name="Maja Lindqvist")
    visitor_of(n.exchange, name="Tove Sandberg")
    return n


def reported(n: SimpleNamespace) -> SimpleNamespace:
    """The state after step 5: the visit is over, its report written and the exchange reported."""
    with_exchange(n, State.COMPLETED)
    reports.report_save(actor=n.bea, exchange=n.exchange, data={
        "summary": "Two days of job shadowing in Barcelona.",
        "host_lessons": "Tailored activities create peer learning",
        "visitor_lessons": "Early outreach improves support",
    })  # fmt: skip
    Exchange.objects.filter(pk=n.exchange.pk).update(state=State.REPORTED)
    n.exchange.refresh_from_db()
    return n


def test_1_a_request_is_posted_and_suggestions_give_reasons(page, axe, live_server):
    network()
    login(page, axe, "anna@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers and requests").click()
    axe.check(page)
    click_and_check(page, axe, "link", "Post a request")
    page.get_by_label("Type", exact=True).select_option("job-shadowing")
    page.get_by_label("Description", exact=True).fill("We want to learn early outreach to young people")
    page.locator("input[name='topics'][value='early-outreach']").check()
    page.locator("input[name='languages'][value='sv']").check()  # English is ticked already
    page.get_by_label("Duration in days", exact=True).fill("2")
    page.get_by_label("Group size", exact=True).fill("2")
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("heading", name=re.compile("Job shadowing: request")).wait_for()
    axe.check(page)

    # Suggestions name B, with reasons and a breakdown, and can be filtered.
    click_and_check(page, axe, "link", "See partner suggestions")
    page.get_by_role("heading", name="SOC Catalonia").wait_for()
    assert page.get_by_text(re.compile("They can show: Early outreach")).count() >= 1
    page.get_by_label("Country", exact=True).select_option("ES")
    page.get_by_role("heading", name="SOC Catalonia").wait_for()
    axe.check(page)
    assert not page.csp_errors, page.csp_errors


def test_2_a_suggested_partner_is_contacted(page, axe, live_server):
    n = with_request(network())
    login(page, axe, "anna@example.org")
    page.goto(f"/mobility/{n.request.key}/suggestions/")
    page.get_by_role("heading", name="SOC Catalonia").wait_for()
    axe.check(page)
    page.get_by_role("link", name=re.compile("^We want to visit SOC Catalonia")).first.click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Your message", exact=True).fill(
        "Hola! Two of us would like to shadow your outreach team."
    )
    page.get_by_role("button", name="Send proposal").click()
    page.get_by_text("Your proposal has been sent").wait_for()
    axe.check(page)
    proposed = Exchange.objects.get()
    assert (proposed.visitor, proposed.host, proposed.state) == (n.a, n.b, State.PROPOSED)
    assert not page.csp_errors, page.csp_errors


def on_day(monkeypatch: pytest.MonkeyPatch, day) -> None:
    """The services' calendar set to ``day`` (the live server runs in this process)."""
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)


def test_3_the_host_accepts_and_they_plan_a_tailored_programme(page, axe, live_server, monkeypatch):
    n = with_exchange(network(), State.PROPOSED)
    n.exchange.visitors.all().delete()
    exchange_url = n.exchange.get_absolute_url()
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
    page.get_by_role("button", name="Confirm the exchange").click()
    page.get_by_text("The exchange is now confirmed").wait_for()
    # Not under way before its first day: the refusal names the day.
    page.get_by_role("button", name="Mark as under way").click()
    page.get_by_text(f"from its first day, {n.exchange.start}, not before").wait_for()
    on_day(monkeypatch, n.exchange.start)
    page.get_by_role("button", name="Mark as under way").click()
    page.get_by_text("The exchange is now under way").wait_for()
    on_day(monkeypatch, n.exchange.end)
    page.get_by_role("button", name="Mark as completed").click()
    page.get_by_text("The exchange is now completed").wait_for()
    axe.check(page)
    assert not page.csp_errors, page.csp_errors


def test_4_the_completion_report_is_written_and_the_exchange_reported(page, axe, live_server, monkeypatch):
    n = with_exchange(network(), State.COMPLETED)
    on_day(monkeypatch, n.exchange.end)
    exchange_url = n.exchange.get_absolute_url()
    login(page, axe, "bea@example.org")
    page.goto(exchange_url)
    axe.check(page)
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
    axe.check(page)
    assert not page.csp_errors, page.csp_errors


def test_5_both_organisations_approve_the_story(page, axe, live_server):
    n = reported(network())
    login(page, axe, "bea@example.org")
    page.goto(n.exchange.get_absolute_url())
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
    assert Story.objects.get().status == Story.Status.PUBLISHED
    assert not page.csp_errors, page.csp_errors


def test_6_anyone_finds_the_story_in_the_public_library(page, axe, live_server):
    n = reported(network())
    story = library.story_create(actor=n.bea, exchange=n.exchange)
    library.story_approve(actor=n.bea, story=story)
    library.story_approve(actor=n.anna, story=story)
    page.goto("/library/")
    axe.check(page)
    page.get_by_label("Country", exact=True).select_option("ES")
    page.get_by_role("link", name=re.compile("Borås Working Life visits SOC Catalonia")).click()
    page.get_by_role("heading", name="Lessons learnt").wait_for()
    axe.check(page)
    assert page.get_by_text("Early outreach improves support").count() == 1
    assert not page.csp_errors, page.csp_errors

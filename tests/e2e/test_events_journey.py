"""The matchmaking-event journey in a real browser, one test per step, each starting from data made with
the factories and services: the coordinator creates an event; Borås (three delegates), Vestland, SOC
Catalonia and Jobcenter Stuttgart register; requests are made and accepted; the schedule is computed
and published; a delegate downloads the agenda (.ics and PDF); after the event a meeting becomes an
exchange proposal. axe-core checks every page on the way, and no page scrolls sideways at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from matchmaking.events.models import Event, EventState, Meeting, MeetingRequest, Priority, Registration
from matchmaking.exchanges.models import Exchange
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member, term
from tests.factories_events import accepted, event, register
from tests.factories_mobility import langs, opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = "() => document.documentElement.scrollWidth"


def login_as(page, live_server, user) -> None:
    """Sign in by the session cookie (the login form is covered by the onboarding journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def visit(page, axe, url: str) -> None:
    page.goto(url)
    axe.check(page)


def network() -> SimpleNamespace:
    secretariat = OrganisationFactory(
        key="secretariat",
        name="Network secretariat",
        country="BE",
        kind=term("organisation-kinds", "network"),
    )
    orgs = {
        "boras": OrganisationFactory(
            key="boras", name="Borås Working Life", country="SE", hosting_capacity=4
        ),
        "vestland": OrganisationFactory(
            key="vestland", name="Vestland County Council", country="NO", hosting_capacity=4
        ),
        "soc": OrganisationFactory(key="soc", name="SOC Catalonia", country="ES", hosting_capacity=4),
        "stuttgart": OrganisationFactory(
            key="stuttgart", name="Jobcenter Stuttgart", country="DE", hosting_capacity=4
        ),
    }
    for org in orgs.values():
        org.languages.set(langs("en"))
    users = {key: member(Role.STAFF, org, email=f"{key}@example.org") for key, org in orgs.items()}
    users["coordinator"] = member(Role.COORDINATOR, secretariat, email="cora@example.org")
    return SimpleNamespace(secretariat=secretariat, orgs=orgs, users=users)


def with_event(n: SimpleNamespace, state: str = EventState.REGISTRATION_OPEN, **kwargs) -> SimpleNamespace:
    n.event = event(n.secretariat, state=state, title="Pact for Skills matchmaking day", **kwargs)
    return n


def registered(n: SimpleNamespace, state: str = EventState.REQUESTS_OPEN, **kwargs) -> SimpleNamespace:
    with_event(n, state, **kwargs)
    n.regs = {
        key: register(
            n.event,
            org,
            delegates=("Anna Berg", "Erik Holm", "Sara Lund") if key == "boras" else (f"{key} delegate",),
        )
        for key, org in n.orgs.items()
    }
    return n


def test_1_the_coordinator_creates_an_event(page, axe, live_server):
    n = network()
    login_as(page, live_server, n.users["coordinator"])
    visit(page, axe, "/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    axe.check(page)
    page.get_by_role("link", name="Organise an event").click()
    axe.check(page)
    start = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.get_by_label("Title", exact=True).fill("Pact for Skills matchmaking day")
    page.get_by_label("First day", exact=True).fill(start)
    page.get_by_label("Last day", exact=True).fill(start)
    page.get_by_label("Time zone", exact=True).fill("Europe/Stockholm")
    page.get_by_label("Place", exact=True).fill("Borås city hall")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Sessions and tables").wait_for()
    axe.check(page)
    page.get_by_label("Session name", exact=True).fill("Morning")
    page.get_by_label("From", exact=True).fill("09:00")
    page.get_by_label("To", exact=True).fill("12:00")
    page.get_by_role("button", name="Add the session").click()
    page.get_by_text(re.compile(r"Morning: .*\(7 slots\)")).wait_for()
    for _ in range(2):
        page.get_by_role("button", name="Add the table").click()
        page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Move to “Registration open”").click()
    page.get_by_text("The event is now “Registration open”.").wait_for()
    axe.check(page)
    found = Event.objects.get()
    assert (found.state, found.slots.count(), found.tables.count()) == (EventState.REGISTRATION_OPEN, 7, 2)
    assert not page.csp_errors, page.csp_errors


def test_2_four_organisations_register_boras_with_three_delegates(page, axe, live_server):
    n = with_event(network())
    delegates = {
        "boras": "Anna Berg, anna@example.org, Job coach\nErik Holm\nSara Lund",
        "vestland": "Ingrid Solheim",
        "soc": "Marta Puig",
        "stuttgart": "Jonas Weber",
    }
    for key, lines in delegates.items():
        login_as(page, live_server, n.users[key])
        visit(page, axe, f"/events/{n.event.pk}/")
        page.get_by_role("link", name="Register your organisation").click()
        axe.check(page)
        page.get_by_label("Delegates", exact=True).fill(lines)
        page.get_by_label("What we offer", exact=True).fill("Early outreach to young people")
        page.locator("input[name='languages'][value='en']").check()
        page.get_by_role("button", name="Register").click()
        page.get_by_role("heading", name="When we are free").wait_for()
        axe.check(page)
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="Meeting requests").wait_for()
    regs = {r.organisation.key: r for r in Registration.objects.all()}
    assert set(regs) == {"boras", "vestland", "soc", "stuttgart"}
    assert regs["boras"].delegates.count() == 3
    assert all(r.availability_set_at for r in regs.values())
    visit(page, axe, f"/events/{n.event.pk}/participants/")
    page.get_by_role("heading", name="Borås Working Life").wait_for()


def test_2b_a_delegate_blocks_the_slots_he_cannot_meet_in(page, axe, live_server):
    n = registered(network())
    boras = n.regs["boras"]
    login_as(page, live_server, n.users["boras"])
    visit(page, axe, f"/events/{n.event.pk}/registrations/{boras.pk}/")
    page.get_by_role("link", name="Slots Erik Holm cannot meet in").click()
    page.get_by_role("heading", name="When Erik Holm cannot meet").wait_for()
    axe.check(page)
    page.locator("input[name='slots']").first.check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The blocked slots have been saved.").wait_for()
    page.get_by_text("1 slot blocked").wait_for()
    axe.check(page)
    erik = boras.delegates.get(name="Erik Holm")
    assert list(erik.blocked_slots.values_list("index", flat=True)) == [0]
    assert not page.csp_errors, page.csp_errors


def test_3_requests_are_made_and_accepted(page, axe, live_server):
    n = registered(network())
    login_as(page, live_server, n.users["boras"])
    visit(page, axe, f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/requests/")
    page.get_by_label("Meet Vestland County Council?").select_option("must")
    page.locator("form", has=page.get_by_label("Meet Vestland County Council?")).get_by_role(
        "button", name="Send"
    ).click()
    page.get_by_text("Saved: Vestland County Council.").wait_for()
    axe.check(page)
    login_as(page, live_server, n.users["vestland"])
    visit(page, axe, f"/events/{n.event.pk}/registrations/{n.regs['vestland'].pk}/requests/")
    page.get_by_label("Your answer to Borås Working Life").select_option("would-like")
    page.get_by_role("button", name="Answer").click()
    page.get_by_text("Your answer has been sent.").wait_for()
    axe.check(page)
    found = MeetingRequest.objects.get(requester=n.regs["boras"])
    assert (found.status, found.priority) == (MeetingRequest.Status.ACCEPTED, Priority.MUST)
    assert Meeting.objects.filter(request=found).exists()


def test_4_the_schedule_is_computed_and_published(page, axe, live_server):
    n = registered(network())
    r = n.regs
    for a, b in (
        ("boras", "vestland"),
        ("soc", "boras"),
        ("stuttgart", "boras"),
        ("stuttgart", "soc"),
        ("vestland", "soc"),
    ):
        accepted(r[a], r[b])
    login_as(page, live_server, n.users["coordinator"])
    visit(page, axe, f"/events/{n.event.pk}/schedule/")
    page.get_by_role("button", name="Compute the schedule").click()
    page.get_by_text(re.compile("5 of 5 meetings placed")).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Publish the schedule").click()
    page.get_by_text("The event is now “Scheduled”.").wait_for()
    axe.check(page)
    assert Event.objects.get().schedule_published_at is not None
    # The grid and the other pages fit a phone
    page.set_viewport_size(PHONE)
    for url in (
        f"/events/{n.event.pk}/schedule/",
        f"/events/{n.event.pk}/",
        f"/events/{n.event.pk}/participants/",
        f"/events/{n.event.pk}/setup/",
        f"/events/{n.event.pk}/check-in/",
        "/events/",
    ):
        page.goto(url)
        assert page.evaluate(WIDE) <= PHONE["width"] + 1, url


def _scheduled(n: SimpleNamespace, state: str = EventState.SCHEDULED, **kwargs) -> SimpleNamespace:
    registered(n, state, **kwargs)
    r = n.regs
    n.meeting = accepted(r["boras"], r["vestland"], priority=Priority.MUST)
    n.meeting.slot, n.meeting.table = n.event.slots.get(index=2), n.event.tables.first()
    n.meeting.save()
    n.event.schedule_status, n.event.schedule_published_at = "done", timezone.now()
    n.event.save()
    return n


def test_5_a_delegate_downloads_the_agenda(page, axe, live_server):
    n = _scheduled(network())
    login_as(page, live_server, n.users["boras"])
    visit(page, axe, f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/agenda/")
    page.get_by_role("heading", name=re.compile("Vestland County Council")).wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    with open(download.value.path(), "rb") as downloaded:
        calendar = Calendar.from_ical(downloaded.read())
    items = list(calendar.walk("VEVENT"))
    assert len(items) == 1
    assert "Vestland" in str(items[0]["summary"])
    pdf = page.request.get(f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/agenda.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    page.set_viewport_size(PHONE)
    for url in (
        f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/agenda/",
        f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/requests/",
        f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/",
    ):
        page.goto(url)
        assert page.evaluate(WIDE) <= PHONE["width"] + 1, url


def test_6_after_the_event_a_meeting_becomes_an_exchange_proposal(page, axe, live_server):
    n = _scheduled(network(), EventState.HELD, start=timezone.localdate())
    opportunity(n.orgs["vestland"], direction="offer")
    request = opportunity(n.orgs["boras"], direction="request")
    login_as(page, live_server, n.users["boras"])
    visit(page, axe, f"/events/{n.event.pk}/registrations/{n.regs['boras'].pk}/agenda/")
    page.get_by_role("link", name=re.compile("Feedback and next steps with Vestland")).click()
    axe.check(page)
    page.get_by_label("How useful was it (1 to 5)?").select_option("5")
    page.get_by_label("Next step").select_option("exchange")
    page.get_by_role("button", name="Save the feedback").click()
    page.get_by_text("Thank you for your feedback.").wait_for()
    page.get_by_role("link", name="Turn this meeting into an exchange proposal").click()
    axe.check(page)
    page.get_by_label("Your organisation", exact=True).select_option("visitor")
    page.get_by_label("From your offer or request", exact=True).select_option(str(request.pk))
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url(re.compile(r"/exchanges/\d+/"))
    axe.check(page)
    exchange = Exchange.objects.get()
    assert exchange.visitor == n.orgs["boras"]
    assert exchange.host == n.orgs["vestland"]
    assert Meeting.objects.get(pk=n.meeting.pk).exchange == exchange

"""The keyboard alone: the request form reaches Publish in a reasonable number of Tab stops, its long
checkbox groups (practice topics, languages) are filtered and ticked without the mouse, and the skip link
jumps to the submit buttons. The values posted are the same as with plain checkboxes."""

from __future__ import annotations

import re

import pytest

from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory, member
from tests.factories_mobility import langs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_TAB_STOPS = 40
# Whether the focused element shows where the focus is (an outline or a ring).
FOCUS_SHOWN = """() => { const style = getComputedStyle(document.activeElement);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return outlined || style.boxShadow !== "none"; }"""


def open_request_form(page, axe) -> None:
    organisation = OrganisationFactory(key="boras", name="Borås Working Life", country="SE")
    organisation.languages.set(langs("en", "sv"))
    member(Role.STAFF, organisation, email="anna@example.org", name="Anna Andersson")
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill("anna@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto("/mobility/new/?direction=request")
    axe.check(page)


def focused(page) -> dict[str, str]:
    return page.evaluate(
        """() => { const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), name: el.name || "", text: el.textContent.trim(),
                type: el.type || "", value: el.value || ""}; }"""
    )


def test_publish_is_at_most_40_tab_stops_from_the_first_field(page, axe, live_server):
    open_request_form(page, axe)
    page.locator("form.form :is(input, select, textarea):not([type=hidden])").first.focus()
    first = focused(page)
    stops = 0
    unmarked: list[str] = []
    while not (focused(page)["tag"] == "button" and focused(page)["text"] == "Publish"):
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 200, f"Publish never reached; stuck at {focused(page)}"
        if not page.evaluate(FOCUS_SHOWN):
            unmarked.append(str(focused(page)))
    print(f"Tab stops from the first field ({first['name']}) to Publish: {stops}")
    assert stops <= MOST_TAB_STOPS
    assert not unmarked, f"focus not visible on: {unmarked}"


def test_the_skip_link_jumps_to_the_submit_buttons(page, axe, live_server):
    open_request_form(page, axe)
    page.get_by_role("link", name="Skip to Publish").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Publish"


def test_a_request_is_published_with_the_keyboard_alone(page, axe, live_server):
    open_request_form(page, axe)
    page.get_by_label("Type", exact=True).focus()
    page.keyboard.press("ArrowDown")  # the first type
    page.keyboard.press("Tab")
    page.keyboard.type("We want to learn early outreach to young people")

    # Practice topics: the search box, then the list is one Tab stop; Enter in the box moves into it.
    topics = page.get_by_role("group", name="Practice topics")
    topics.get_by_label("Find in the list").focus()
    page.keyboard.type("early outreach")
    assert re.search(r"1 shown", topics.locator(".checklist-status").text_content() or "")
    page.keyboard.press("Enter")
    assert focused(page)["value"] == "early-outreach"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # out of the topics, into the next group's search box
    assert focused(page)["type"] == "search"

    # Languages: English is already ticked (the default); add Swedish with the arrow keys.
    languages = page.get_by_role("group", name="Working languages for the visit")
    languages.get_by_label("Find in the list").focus()
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "en", "the list's Tab stop is its first ticked option"
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("swed")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "sv"
    page.keyboard.press("Space")
    axe.check(page)

    page.get_by_role("link", name="Skip to Publish").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile(": request")).wait_for()
    request = Opportunity.objects.get(direction="request")
    assert set(request.topics.values_list("code", flat=True)) == {"early-outreach"}
    assert set(request.languages.values_list("code", flat=True)) == {"en", "sv"}
    assert not page.csp_errors, page.csp_errors


@pytest.mark.parametrize("path", ["/dashboard/", "/mobility/", "/organisations/boras/edit/"])
def test_every_tab_stop_shows_the_focus(page, axe, live_server, settings, path):
    settings.MFA_REQUIRED = False
    organisation = OrganisationFactory(key="boras", name="Borås Working Life", country="SE")
    organisation.languages.set(langs("en", "sv"))
    # An administrator without a second factor (not required here), to reach the profile form.
    MembershipFactory(
        user=UserFactory(email="elin@example.org"), organisation=organisation, role=Role.ORG_ADMIN
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill("elin@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto(path)
    unmarked: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        if not page.evaluate(FOCUS_SHOWN):
            unmarked.append(str(focused(page)))
    assert not unmarked, f"focus not visible on {path}: {unmarked}"
    axe.check(page)

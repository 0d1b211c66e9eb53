"""The API documentation page in a real browser: axe-core finds no serious or critical violation, for
a visitor and for a signed-in member, nothing breaks the content security policy, and the contents
lead to an operation with the keyboard; on a phone the page does not scroll sideways."""

from __future__ import annotations

import re

import pytest

from matchmaking.organisations.models import Role
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_pass_axe(page, axe):
    page.goto("/api/docs")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mobility Matchmaking Tool API")
    axe.check(page)
    assert not page.csp_errors
    # The contents link to the exchanges, and from there to the proposal.
    page.get_by_role("link", name=re.compile("^Exchanges")).first.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#tag-exchanges")
    page.get_by_role("link", name="POST /api/exchanges", exact=True).click()
    assert page.url.endswith("#exchange_propose")
    assert page.get_by_role("table", name=re.compile("Body")).filter(has_text="listing").count() >= 1


def test_the_api_docs_pass_axe_signed_in(page, axe):
    member(Role.STAFF, email="api-reader@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill("api-reader@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto("/api/docs")
    axe.check(page)
    assert not page.csp_errors


def test_the_api_docs_do_not_scroll_sideways_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/api/docs")
    page.wait_for_selector(".table-scroll")  # the tables sit in regions that scroll on their own
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    context.close()

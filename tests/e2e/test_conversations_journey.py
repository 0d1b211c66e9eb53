"""Contact before any proposal, in a real browser: Bea of SOC Catalonia opens Borås's profile, chooses
Contact and writes; Anna of Borås, who reads the app in Swedish, finds the conversation and answers.
axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest

from matchmaking.exchanges.models import Conversation
from matchmaking.organisations.models import Role
from tests.e2e.test_mobility import login, logout
from tests.factories import PASSWORD, OrganisationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_soc_contacts_boras_and_boras_answers_in_swedish(page, axe, browser, live_server):
    boras = OrganisationFactory(key="boras", name="Borås Stad", country="SE")
    soc = OrganisationFactory(key="soc", name="SOC Catalonia", country="ES")
    member(Role.STAFF, boras, email="anna@example.org", name="Anna Andersson")
    member(Role.STAFF, soc, email="bea@example.org", name="Bea Bofill")

    login(page, axe, "bea@example.org")
    page.goto(boras.get_absolute_url())
    axe.check(page)
    page.get_by_role("link", name="Contact", exact=True).click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Subject").fill("Job shadowing in spring")
    page.get_by_label("Message").fill("Could two of our youth workers visit you in March?")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    axe.check(page)
    logout(page)

    conversation = Conversation.objects.get()
    swedish = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = swedish.new_page()
    page.set_default_timeout(15000)
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.locator("input[type='email']").fill("anna@example.org")
    page.locator("input[type='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto(conversation.get_absolute_url())
    axe.check(page)
    assert "Could two of our youth workers visit you in March?" in page.content()
    page.locator("textarea[name='body']").fill("Välkomna i mars!")
    page.locator("form.form button[type='submit']").click()
    page.wait_for_load_state()
    assert conversation.messages.count() == 2
    assert conversation.messages.last().organisation_id == boras.pk
    swedish.close()

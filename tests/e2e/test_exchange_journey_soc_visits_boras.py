"""The exchange journey on phones, with the demo network: Jordi of SOC Catalonia (English) finds Borås's
job-shadowing offer, says "we want to visit", answers with SOC's study-visit request (a neighbouring
kind) and writes his proposal; Johan of Borås (Swedish) counter-proposes other dates; SOC accepts; they
plan and Borås confirms; marking it under way before its first day is refused with the date named.
Johan reads everything in Swedish: the states, the refusal, the history and his offer's suggestion
reasons. Every page of the journey is 390 px wide and none may scroll sideways; axe-core checks them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import translation

from matchmaking.exchanges.models import Exchange, State
from matchmaking.mobility.matching import reason_text
from matchmaking.mobility.models import Opportunity, Suggestion
from tests.e2e.test_small_screens import OVERFLOW_SCRIPT, PHONE, demo_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOC = "soc.staff@example.org"
BORAS = "boras.staff@example.org"


class Journey:
    """One person's phone: a browser context in their language, 390 px wide, checking every page."""

    def __init__(self, browser, live_server, axe, locale: str) -> None:
        self.context = browser.new_context(base_url=live_server.url, locale=locale, viewport=PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.axe = axe
        self.overflowing: list[str] = []

    def check(self) -> None:
        self.page.wait_for_load_state()
        result = self.page.evaluate(OVERFLOW_SCRIPT)
        if result["wide"] > result["inner"] + 1:
            self.overflowing.append(f"{self.page.url}: {result['wide']}px; {', '.join(result['culprits'])}")
        self.axe.check(self.page)

    def goto(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def login(self, email: str) -> None:
        from matchmaking.demo.services import demo_password

        self.page.goto("/accounts/login/")
        self.page.locator("input[type='email']").fill(email)
        self.page.locator("input[type='password']").fill(demo_password())
        self.page.locator("form button[type='submit']").last.click()
        self.page.wait_for_url(re.compile("/dashboard/"))
        self.check()

    def text(self) -> str:
        return self.page.locator("main").inner_text()


def test_soc_visits_boras_on_phones_and_boras_reads_it_in_swedish(browser, live_server, settings, axe):
    demo_network(settings)
    offer = Opportunity.objects.get(key="boras-offer-js-multi-competent-teams")
    study_visit = Opportunity.objects.get(key="soc-request-sv-multi-competent-teams")

    # SOC finds Borås's offer by searching without the å, and says "we want to visit".
    soc = Journey(browser, live_server, axe, "en-GB")
    soc.login(SOC)
    soc.goto("/mobility/?q=Boras&direction=offer&type=job-shadowing")
    soc.page.get_by_role("link", name=re.compile(r"^Job shadowing: offer – Borås")).first.click()
    soc.page.wait_for_url(re.compile(offer.key))
    soc.check()
    soc.page.get_by_role("link", name="We want to visit", exact=True).click()
    soc.page.get_by_role("heading", name=re.compile("^We want to visit Borås")).wait_for()
    soc.check()
    # SOC's study-visit request answers the job-shadowing offer (neighbouring kinds); no offer is listed.
    soc.page.locator(f"input[name='ours'][value='{study_visit.key}']").check()
    assert soc.page.locator("input[name='ours'][value='soc-offer-js-inclusive-employment']").count() == 0
    soc.page.get_by_label("Your message", exact=True).fill(
        "Two of our youth counsellors would like to see your multi-competent teams at work."
    )
    soc.page.get_by_label("Number of visitors", exact=True).fill("2")
    soc.page.get_by_role("button", name="Send proposal").click()
    soc.page.get_by_text("Your proposal has been sent").wait_for()
    soc.check()
    exchange = Exchange.objects.get(offer=offer, request=study_visit)
    assert (exchange.visitor.key, exchange.host.key, exchange.state) == (
        "soc-catalonia",
        "boras-working-life",
        State.PROPOSED,
    )
    assert "Public Employment Service of Catalonia (SOC) visits Borås" in soc.text()

    # Borås, in Swedish, counter-proposes a week later.
    boras = Journey(browser, live_server, axe, "sv-SE")
    boras.login(BORAS)
    assert boras.page.locator("html").get_attribute("lang") == "sv"
    boras.goto(exchange.get_absolute_url())
    assert "Föreslaget" in boras.text()
    assert "Mottagande organisation" in boras.text()
    assert "Sändande organisation" in boras.text()
    assert "Two of our youth counsellors" in boras.text()
    later = exchange.start + timedelta(days=7)
    boras.page.get_by_text(re.compile("^Föreslå andra datum")).click()
    boras.page.locator("form[action$='/dates/'] input[name='start']").fill(later.isoformat())
    boras.page.locator("form[action$='/dates/'] input[name='end']").fill(
        (later + timedelta(days=exchange.days - 1)).isoformat()
    )
    boras.page.get_by_role("button", name="Föreslå ändringen").click()
    boras.page.get_by_text("Din ändring har föreslagits").wait_for()
    boras.check()
    exchange.refresh_from_db()
    assert exchange.start == later
    assert exchange.answering_organisation_id == exchange.visitor_id

    # SOC accepts the new dates and starts planning; its visitor is added.
    soc.goto(exchange.get_absolute_url())
    soc.page.get_by_role("button", name="Accept", exact=True).click()
    soc.page.get_by_text("The exchange is now agreed").wait_for()
    soc.check()
    soc.page.get_by_role("button", name="Start planning").click()
    soc.page.get_by_text("The exchange is now planning").wait_for()
    soc.page.get_by_role("link", name=re.compile("^Visitors and programme")).click()
    soc.check()
    soc.page.get_by_role("link", name="Add a visitor", exact=True).click()
    soc.check()
    soc.page.get_by_label("Name", exact=True).fill("Núria Costa")
    soc.page.get_by_label("Role or job title", exact=True).fill("Youth counsellor")
    soc.page.get_by_role("button", name="Save visitor").click()
    soc.page.get_by_text("The visitor has been saved").wait_for()
    soc.check()

    # Borås adds the programme, confirms, and cannot mark the exchange under way before its first day.
    boras.goto(exchange.get_absolute_url() + "programme/")
    boras.page.get_by_role("link", name="Lägg till en programpunkt", exact=True).click()
    boras.check()
    boras.page.locator("input[name='starts_at']").fill("09:00")
    boras.page.locator("input[name='ends_at']").fill("12:00")
    boras.page.locator("input[name='activity']").fill("Morgonmöte med det multikompetenta teamet")
    boras.page.get_by_role("button", name="Spara programpunkt").click()
    boras.page.wait_for_url(re.compile("/programme/$"))
    boras.check()
    boras.goto(exchange.get_absolute_url())
    boras.page.get_by_role("button", name="Bekräfta utbytet").click()
    boras.page.get_by_role("button", name="Markera som pågående").wait_for()
    boras.check()
    boras.page.get_by_role("button", name="Markera som pågående").click()
    boras.page.wait_for_load_state()
    boras.check()
    refusal = boras.text()
    assert f"Utbytet kan markeras som pågående från och med första dagen, {later.isoformat()}" in refusal
    exchange.refresh_from_db()
    assert exchange.state == State.CONFIRMED

    # The history, in Swedish: who did what, the counter-proposal with its dates.
    history = boras.page.locator("h3:has-text('Historik') + ul").inner_text()
    for swedish in (
        "Utbyte föreslaget",
        "Förslag om ändrade datum eller ändrad gruppstorlek",
        "Utbyte accepterat",
        "Utbyte flyttat till planering",
        "Utbyte bekräftat",
    ):
        assert swedish in history, swedish
    for english in ("Exchange proposed", "Exchange accepted", "exchange.", "{"):
        assert english not in history, english
    assert "Bekräftat" in boras.text()

    # Borås's offer's suggestion reasons, in Swedish too.
    boras.goto(f"/mobility/{offer.key}/suggestions/")
    reasons = [r for s in Suggestion.objects.filter(opportunity=offer)[:5] for r in s.reasons]
    page_text = boras.text()
    assert reasons, "the demo offer has no suggestions to read"
    for stored in reasons[:8]:
        with translation.override("sv"):
            swedish = reason_text(stored)
        with translation.override("en"):
            english = reason_text(stored)
        assert swedish in page_text, swedish
        if english != swedish:
            assert english not in page_text, english

    assert not soc.overflowing + boras.overflowing, "\n".join(soc.overflowing + boras.overflowing)
    soc.context.close()
    boras.context.close()

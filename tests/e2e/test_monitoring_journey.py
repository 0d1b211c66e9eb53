"""The monitoring cockpit in headless Chromium, one test per step so that one failure does not hide the
rest: the coordinator sets the 2026 targets, imports learner counts per region, filters to Catalonia and
sees the flows Borås → Barcelona and Vestland → Borås on the map, downloads the XLSX and finds "<5"
wherever fewer than five people stand behind a figure; an organisation's administrator sees only its own
figures. axe-core checks every page; the strict CSP must hold (no violation in the console)."""

from __future__ import annotations

import io
import re
import time
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from openpyxl import load_workbook

from matchmaking.exchanges.models import State
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.organisations.models import Membership, Role
from matchmaking.taxonomies.models import Region
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, term
from tests.factories_mobility import exchange, visitor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(step: int = 0) -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30 + step))


def person(email: str, organisation, role: str):
    user = UserFactory(email=email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(SECRET)})
    return user


def login(page, axe, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
    page.get_by_label("Code", exact=True).fill(totp())
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))
    axe.check(page)


def _org(key, name, country, region, kind="municipality"):
    return OrganisationFactory(
        key=key,
        name=name,
        country=country,
        region=Region.objects.get(code=region),
        kind=term("organisation-kinds", kind),
    )


@pytest.fixture
def world(db):
    boras = _org("boras", "Borås Working Life", "SE", "SE23")
    barcelona = _org("soc-barcelona", "SOC Barcelona", "ES", "ES51", "public-employment-service")
    vestland = _org("vestland", "Vestland County", "NO", "NO0A", "regional-authority")
    secretariat = _org("secretariat", "Network secretariat", "BE", "BE10", "network")
    to_barcelona = exchange(barcelona, boras, state=State.COMPLETED, start=date(2026, 3, 2), days=3,
                            activity_code="SM-JOB-SHDW")  # fmt: skip
    for n in range(3):  # three people: "<5" everywhere they are counted
        visitor_of(to_barcelona, name=f"Staff {n}", fewer_opportunities=n == 0)
    to_boras = exchange(boras, vestland, state=State.REPORTED, start=date(2026, 4, 13), days=2,
                        activity_code="SM-JOB-SHDW", green_travel=True)  # fmt: skip
    for n in range(8):
        visitor_of(to_boras, name=f"Visitor {n}")
    learners = exchange(barcelona, boras, state=State.CONFIRMED, start=date(2026, 5, 4), days=21,
                        activity_code="LM-SHORT-VET")  # fmt: skip
    for n in range(9):
        visitor_of(learners, name=f"Learner {n}", kind="vet-learner", fewer_opportunities=n < 2)
    return {
        "coordinator": person("coordinator@example.org", secretariat, Role.COORDINATOR),
        "boras_admin": person("admin@boras.example.org", boras, Role.ORG_ADMIN),
        "vestland_admin": person("admin@vestland.example.org", vestland, Role.ORG_ADMIN),
    }


def test_the_coordinator_sets_the_2026_targets(page, axe, world):
    login(page, axe, "coordinator@example.org")
    page.get_by_role("link", name="Monitoring", exact=True).click()
    page.get_by_role("link", name="Targets", exact=True).click()
    axe.check(page)
    for source, value in (("Partnership", "10"), ("Council of the EU", "8")):
        page.get_by_label("Indicator").select_option(label="VET learners on mobility")
        page.get_by_label("Year").fill("2026")
        page.get_by_label("Set by").select_option(label=source)
        page.get_by_label("Target (%)").fill(value)
        page.get_by_role("button", name="Save the target").click()
        page.get_by_text("The target has been saved.").wait_for()
    assert {t.source: int(t.value) for t in Target.objects.filter(year=2026)} == {
        "partnership": 10,
        "council": 8,
    }
    axe.check(page)
    assert not page.csp_errors


def test_the_coordinator_imports_learner_counts(page, axe, world, tmp_path):
    login(page, axe, "coordinator@example.org")
    page.goto("/monitoring/learners/")
    axe.check(page)
    bad = tmp_path / "bad.csv"
    bad.write_text("year,region,learners\n2026,SE23,240\n2026,XX99,10\n", encoding="utf-8")
    page.get_by_label("File of learner counts (CSV or XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.get_by_text(re.compile("Row 3: region 'XX99'")).wait_for()
    assert not LearnerCount.objects.exists()
    axe.check(page)
    good = tmp_path / "learners.csv"
    good.write_text(
        "year,region,learners,source\n2026,SE23,240,SCB\n2026,ES51,1800,Idescat\n", encoding="utf-8"
    )
    page.get_by_label("File of learner counts (CSV or XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 learner counts imported.").wait_for()
    assert LearnerCount.objects.count() == 2


def test_filter_to_catalonia_shows_the_flows_on_the_map(page, axe, world):
    LearnerCount.objects.create(year=2026, region=Region.objects.get(code="SE23"), learners=240)
    login(page, axe, "coordinator@example.org")
    page.goto("/monitoring/")
    axe.check(page)
    page.get_by_label("NUTS-2 region").select_option("ES51")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url(re.compile("region=ES51"))
    svg = page.locator("svg.flow-map")
    assert svg.is_visible()
    titles = svg.locator("title").all_text_contents()
    assert any("Västsverige (SE23) to Cataluña (ES51)" in t for t in titles)
    assert any("Vestlandet (NO0A) to Västsverige (SE23)" in t for t in titles)
    text = page.locator("main").inner_text()
    assert "EuroGeographics" in text
    assert "<5" in text
    # The reporting flags: twelve people travel to or from Catalonia, none with a flag.
    flags = page.locator("section[aria-labelledby='ind-exchange-flags']")
    flags.get_by_role("heading", name="Green travel, blended mobility and force majeure").wait_for()
    rows = flags.locator("tbody tr")
    # Headed by their names in the reader's language, never by the stored codes.
    assert rows.locator("th").all_text_contents() == ["Green travel", "Blended mobility", "Force majeure"]
    assert rows.first.locator("td").all_text_contents() == ["0", "12", "12", "0.0"]
    axe.check(page)
    assert not page.csp_errors
    page.screenshot(path="test-results/monitoring-catalonia.png", full_page=True)


def test_the_xlsx_shows_less_than_five_for_small_counts(page, axe, world):
    login(page, axe, "coordinator@example.org")
    page.goto("/monitoring/?region=ES51")
    with page.expect_download() as download:
        page.get_by_role("link", name="Every table with its definition (XLSX)").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    staff = list(book["staff-flows"].iter_rows(values_only=True))
    # Two exchanges, three staff to Barcelona: the region codes for programs, their names beside them.
    assert ("SE23", "ES51", 2, "<5", "Västsverige (SE23)", "Cataluña (ES51)") in staff
    shares = list(book["fewer-opportunities-share"].iter_rows(values_only=True))
    assert any(row[0] == 2026 and row[1] == "<5" for row in shares)
    values = {c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
    assert 3 not in values - {None}  # the three people are never shown as a number


def test_an_organisation_admin_sees_only_its_own_figures(page, axe, world):
    login(page, axe, "admin@vestland.example.org")
    page.goto("/monitoring/")
    axe.check(page)
    titles = page.locator("svg.flow-map title").all_text_contents()
    assert any("Vestlandet (NO0A) to Västsverige (SE23)" in t for t in titles)
    assert not any("Cataluña (ES51)" in t for t in titles)
    # Its own eight visitors to Borås travelled green.
    flags = page.locator("section[aria-labelledby='ind-exchange-flags']")
    green = flags.locator("tbody tr").filter(has=page.locator("th", has_text="Green travel"))
    assert green.locator("td").all_text_contents() == ["8", "0", "8", "100.0"]
    assert page.get_by_label("Organisation", exact=True).locator("option").all_text_contents() == [
        "All",
        "Vestland County",
    ]
    assert page.goto("/monitoring/targets/").status == 404

"""Phones: with the demo network loaded, each role visits every page it can reach from its dashboard by
following links (each URL pattern once) at 390×844 CSS pixels, and no page may scroll sideways. Wide
tables scroll inside their own labelled region instead. The main menu collapses behind a toggle that
works with the keyboard, and a few pages pass axe-core at this width too."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from matchmaking.organisations.models import Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES_PER_ROLE = 60
# One login per kind of user of the demo: the network's coordinator, an organisation's administrator
# and staff, a case worker (personal data) and a host employer's administrator.
ROLES = {
    "coordinator": "coordinator@example.org",
    "org-admin": "boras.admin@example.org",
    "staff": "soc.staff@example.org",
    "case-worker": "boras.caseworker@example.org",
    "host": "dehoga.admin@example.org",
}
# Pages axe-core checks at this width too (the first role to reach one): wide tables in their scrolling
# regions, the long checkbox groups with their search box, the collapsed menu.
AXE_AT_390 = {
    "web:dashboard",
    "participants:caseload",
    "participants:participant-detail",
    "organisations:organisation-members",
    "organisations:organisation-edit",
    "mobility:opportunity-create",
    "placements:placement-list",
}
SKIPPED_PREFIXES = ("/admin/", "/api/", "/accounts/logout/", "/i18n/", "/static/", "/media/")
DOWNLOADS = re.compile(r"\.(pdf|csv|xlsx|ics|json|zip)$|/export/$", re.I)

# Each element sticking out of the viewport, innermost first, so that a failure names the culprit.
OVERFLOW_SCRIPT = """() => {
  const limit = window.innerWidth + 1;
  const wide = document.documentElement.scrollWidth;
  const culprits = [];
  if (wide > limit) {
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      const scrolled = el.closest(".table-scroll") && getComputedStyle(el).position !== "absolute";
      if (box.right > limit && box.width > 0 && !scrolled) {
        const inner = [...el.children].some((c) => c.getBoundingClientRect().right > limit);
        if (!inner) {
          const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
          culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            classes.map((c) => (c ? "." + c : "")).join("") + " (" + Math.round(box.right) + "px)");
        }
      }
      if (culprits.length >= 3) break;
    }
  }
  return {wide, inner: window.innerWidth, culprits};
}"""


def demo_network(settings) -> None:
    from matchmaking.demo.services import demo_load

    settings.MFA_REQUIRED = False
    demo_load()


def login(page, email: str, *, password: str | None = None) -> None:
    from matchmaking.demo.services import demo_password

    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password or demo_password())
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/"))


def pattern_of(path: str) -> str | None:
    """The URL pattern a path belongs to (digits, slugs and pseudonyms are its parameters)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.url_name else match.route


def followable(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("http", "https") or url.netloc != urlsplit(base).netloc:
        return None
    if url.path.startswith(SKIPPED_PREFIXES) or DOWNLOADS.search(url.path):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def crawl(page, role: str, axe, axe_patterns: set[str]) -> tuple[list[str], list[str]]:
    """Visit each pattern reachable from the dashboard once; the pages that overflow, and all visited."""
    from playwright.sync_api import Error as PlaywrightError

    queue = ["/dashboard/"]
    seen = {pattern_of("/dashboard/")}
    visited: list[str] = []
    overflowing: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.pop(0)
        try:
            response = page.goto(path)
        except PlaywrightError:  # a download or an aborted navigation is not a page
            response = None
        if response is None or response.status >= 400:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(path)
        if pattern_of(urlsplit(path).path) in axe_patterns:
            axe_patterns.discard(pattern_of(urlsplit(path).path))
            axe.check(page)
        result = page.evaluate(OVERFLOW_SCRIPT)
        if result["wide"] > result["inner"] + 1:
            overflowing.append(f"{role} {path}: {result['wide']}px wide; {', '.join(result['culprits'])}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.getAttribute('href'))"):
            target = followable(page.url, href)
            if target is None:
                continue
            key = pattern_of(urlsplit(target).path)
            if key is None or key in seen:
                continue
            seen.add(key)
            queue.append(target)
    return overflowing, visited


def test_no_page_scrolls_sideways_at_390px_for_any_role(browser, live_server, settings, axe):
    demo_network(settings)
    axe_patterns = set(AXE_AT_390)
    overflowing: list[str] = []
    counts: dict[str, int] = {}
    for role, email in ROLES.items():
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, email)
        found, visited = crawl(page, role, axe, axe_patterns)
        overflowing += found
        counts[role] = len(visited)
        context.close()
    print("pages visited per role:", counts, "; not checked by axe:", sorted(axe_patterns))
    print("\n".join(overflowing) or "no page overflows")
    assert all(n >= 5 for n in counts.values()), counts
    assert not overflowing, f"{len(overflowing)} pages scroll sideways at 390px:\n" + "\n".join(overflowing)


def member_of_an_organisation(settings, role: str = Role.ORG_ADMIN) -> str:
    settings.MFA_REQUIRED = False
    organisation = OrganisationFactory(key="boras", name="Borås Working Life", country="SE")
    # No second factor: the organisation's administrator here has none.
    MembershipFactory(
        user=UserFactory(email="elin@example.org", name="Elin Lindqvist"),
        organisation=organisation,
        role=role,
    )
    return "elin@example.org"


def phone(browser, live_server, *, javascript: bool = True):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, java_script_enabled=javascript
    )
    return context, context.new_page()


def test_the_menu_collapses_and_opens_with_the_keyboard(browser, live_server, settings, axe):
    context, page = phone(browser, live_server)
    login(page, member_of_an_organisation(settings), password=PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu")
    organisations = nav.get_by_role("link", name="Organisations", exact=True)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not organisations.is_visible()
    axe.check(page)

    # From the skip link, Tab reaches the toggle; Enter opens the menu and its first link is next.
    page.keyboard.press("Tab")
    for _ in range(5):
        if page.evaluate("document.activeElement.getAttribute('aria-controls')") == "main-menu":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert organisations.is_visible()
    axe.check(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Dashboard"
    # Escape closes it and gives focus back to the toggle.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "main-menu"
    assert not organisations.is_visible()
    # Tabbing out of the open menu closes it, so it never covers the focused element.
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if not page.evaluate("document.activeElement.closest('nav')"):
            break
    assert toggle.get_attribute("aria-expanded") == "false"
    # Space opens it too, and a link in it works.
    toggle.focus()
    page.keyboard.press("Space")
    organisations.click()
    page.wait_for_url(re.compile("/organisations/"))

    # On a wide screen the menu is simply there, without a toggle.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    context.close()


def test_without_javascript_the_menu_is_open_and_nothing_overflows(browser, live_server, settings):
    context, page = phone(browser, live_server, javascript=False)
    login(page, member_of_an_organisation(settings), password=PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Organisations", exact=True).is_visible()
    assert not nav.get_by_role("button", name="Menu").is_visible()
    for path in (
        "/dashboard/",
        "/mobility/new/",
        "/organisations/boras/edit/",
        "/organisations/boras/members/",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, path
    context.close()

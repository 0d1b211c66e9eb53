"""Take the screenshots of the user guides from a running demo (``make demo`` in another terminal).

    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/images]

Each picture is a page a guide explains, as a demo user sees it, 1200 pixels wide. Run it again after
changing a page so the guides show what users will see. Needs Chromium (``make system-deps``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-mobility-2026")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Shot:
    user: str
    path: str
    file: str
    click: str = ""  # the accessible name of a link to follow first (a regular expression)
    height: int = 900


SHOTS = [
    Shot("vestland.staff@example.org", "/mobility/", "mobility-offers-and-requests.png"),
    Shot(
        "vestland.staff@example.org",
        "/mobility/vestland-request-js-multi-competent-teams/suggestions/",
        "mobility-suggestions.png",
        height=1400,
    ),
    Shot("boras.admin@example.org", "/exchanges/", "exchanges-list.png"),
    Shot("boras.admin@example.org", "/exchanges/", "exchange-detail.png", click=r"→", height=1400),
    Shot("boras.admin@example.org", "/dashboard/", "dashboard.png"),
    Shot("", "/library/", "library.png"),
    Shot("", "/library/", "story.png", click=r"^Job shadowing: inclusive employment", height=1400),
    Shot("boras.caseworker@example.org", "/participants/", "caseload.png"),
    Shot("boras.caseworker@example.org", "/participants/", "participant.png", click=r"^P-", height=1400),
    Shot("coordinator@example.org", "/placements/rounds/", "allocation-rounds.png"),
    Shot(
        "coordinator@example.org",
        "/placements/rounds/",
        "allocation-round.png",
        click=r"with floor",
        height=1400,
    ),
]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def take(page: Page, base: str, shot: Shot, out: Path) -> None:
    page.goto(f"{base}{shot.path}")
    if shot.click:
        page.get_by_role("main").get_by_role("link", name=re.compile(shot.click)).first.click()
        page.wait_for_load_state()
    page.set_viewport_size({"width": 1200, "height": shot.height})
    page.screenshot(path=str(out / shot.file))
    print(f"{shot.file}: {page.url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for user in dict.fromkeys(shot.user for shot in SHOTS):
            context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
            page = context.new_page()
            if user:
                log_in(page, args.url, user)
            for shot in (s for s in SHOTS if s.user == user):
                take(page, args.url, shot, args.out)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()

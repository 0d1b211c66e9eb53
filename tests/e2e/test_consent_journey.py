"""The consent model in a real browser: Borås records the person's consent to share with NAV and adds a
NAV case worker to the follow-up group with personal details; NAV opens the record (answering why),
sees the identity; Borås revokes the consent; NAV then gets 404 on every page of the person's data, the
export and the API. axe-core checks the pages on the way."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from matchmaking.core.models import PersonalDataAccess
from matchmaking.organisations.models import Role
from matchmaking.pathways.models import Referral, SupportService
from tests.e2e.test_pathways import login, logout, person
from tests.factories import OrganisationFactory
from tests.factories_participants import participant
from tests.participants.test_access_matrix import SURFACES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login_again(page, axe, email: str) -> None:
    """Sign in again within the same 30 seconds: the code just used is refused as a replay, which this
    journey is not about, so the record of used codes is cleared (the live server shares this cache)."""
    cache.clear()
    login(page, axe, email)


def _open_record(page, axe, pseudonym: str, purpose: str) -> None:
    page.goto(reverse("participants:participant-detail", args=[pseudonym]))
    page.wait_for_url(re.compile("/purpose/"))
    axe.check(page)
    page.get_by_label(purpose).check()
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(re.compile(f"/participants/{pseudonym}/$"))


def test_nav_sees_with_consent_and_nothing_after_it_is_revoked(page, live_server, settings, axe):
    settings.ACCESS_PURPOSE_PROMPT = True
    home = OrganisationFactory(key="boras-c", name="Borås Working Life", country="SE")
    nav = OrganisationFactory(key="nav-c", name="NAV Halden", country="NO")
    worker = person("worker@example.org", home, Role.CASE_WORKER)
    person("nav@example.org", nav, Role.CASE_WORKER)
    someone = participant(home, key_worker=worker)
    p = someone.pseudonym
    service = SupportService.objects.create(
        name="NAV housing", category="housing", country="NO", organisation=nav
    )

    # Borås: consent to share with NAV, then NAV in the group with personal details, and a referral.
    login(page, axe, "worker@example.org")
    _open_record(page, axe, p, "Case work with the person (meeting, plan, follow-up)")
    page.goto(reverse("participants:group", args=[p]))
    page.get_by_label("Email of the professional").fill("nav@example.org")
    page.get_by_label("Their organisation").select_option(label="NAV Halden")
    page.get_by_label("May see personal details").check()
    page.get_by_role("button", name="Add to the group").click()
    assert page.get_by_text(
        "Record the person's consent to share their data with NAV Halden first"
    ).is_visible()
    page.goto(reverse("participants:consents", args=[p]))
    axe.check(page)
    page.get_by_label("Purpose").select_option("sharing")
    page.get_by_label("Organisation (for sharing only)").select_option(label="NAV Halden")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_load_state()
    page.goto(reverse("participants:group", args=[p]))
    page.get_by_label("Email of the professional").fill("nav@example.org")
    page.get_by_label("Their organisation").select_option(label="NAV Halden")
    page.get_by_label("May see personal details").check()
    page.get_by_role("button", name="Add to the group").click()
    page.get_by_text("The professional has joined the group.").wait_for()
    axe.check(page)
    page.goto(reverse("pathways:referrals", args=[p]))
    page.get_by_label("Support service").select_option(str(service.pk))
    page.get_by_label("What the person needs").fill("A flat near the school")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state()
    assert Referral.objects.get(service=service).status == "sent"
    logout(page)

    # NAV: asked why, then sees the record and the identity.
    login(page, axe, "nav@example.org")
    _open_record(page, axe, p, "My part in the person's follow-up group")
    axe.check(page)
    page.get_by_role("link", name="Show personal details").click()
    page.get_by_text("Secret-Name").wait_for()
    axe.check(page)
    assert (
        PersonalDataAccess.objects.filter(user__email="nav@example.org", purpose="follow-up-group").count()
        == 2
    )
    logout(page)

    # Borås revokes the consent to share with NAV.
    _login_again(page, axe, "worker@example.org")
    _open_record(page, axe, p, "Correcting or completing the record")  # a new session asks again
    page.goto(reverse("participants:consents", args=[p]))
    page.get_by_role("button", name=re.compile("Revoke: Sharing")).click()
    page.get_by_text("The consent has been revoked.").wait_for()
    axe.check(page)
    assert Referral.objects.get(service=service).status == "withdrawn"
    logout(page)

    # NAV: 404 on every page of the person's data, the export and the API.
    _login_again(page, axe, "nav@example.org")
    refused = []
    for name, (_surface, method) in SURFACES.items():
        if method != "GET":
            continue
        response = page.goto(reverse(name, args=[p]))
        if response is None or response.status != 404:
            refused.append((name, response.status if response else None))
    for url in (f"/api/participants/{p}",):
        response = page.goto(url)
        if response is None or response.status != 404:
            refused.append((url, response.status if response else None))
    assert not refused
    export = page.request.post(reverse("privacy:export", args=[p]), form={"purpose": "right-of-access"})
    assert export.status in (403, 404)  # no CSRF token from a page NAV can no longer open; never the data
    listed = page.request.get("/api/participants", params={"q": p}).text()
    assert p not in listed

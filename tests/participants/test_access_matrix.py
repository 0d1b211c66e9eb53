"""The access matrix: role × consent state × every page, endpoint and export of a person's data.

Every URL of the participants, pathways and privacy apps that takes a pseudonym, and every endpoint of
the participants API, must have a rule in ``SURFACES`` (a new page without one fails
``test_every_personal_page_has_a_rule``). Each case signs in as one role, with the person's sharing
consent naming the group member's organisation (NAV) absent, given or revoked, opens the surface
(answering the purpose question first, as a user would) and expects the page (200, or a redirect
after a POST) or 404: forbidden and missing look the same.

The expectation is written out here, apart from ``participants.access``, so the test checks the rules
rather than repeating them.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from matchmaking.organisations.models import Role
from matchmaking.participants.api import router as participants_router
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker, consent, group_member, participant

# URL name → (surface, method). GET pages are opened; POST-only actions are posted empty (a refusal
# names the field, a redirect follows: anything but 404 and 5xx counts as reached).
SURFACES: dict[str, tuple[str, str]] = {
    "participants:participant-detail": ("profile", "GET"),
    "participants:purpose": ("profile", "GET"),
    "participants:participant-identity": ("identity", "GET"),
    "participants:identity-edit": ("edit", "GET"),
    "participants:participant-edit": ("edit", "GET"),
    "participants:languages": ("edit", "GET"),
    "participants:consents": ("edit", "GET"),
    "participants:group": ("edit", "GET"),
    "participants:key-worker": ("edit", "POST"),
    "participants:skills": ("edit", "GET"),
    "participants:skill-search": ("edit", "GET"),
    "participants:skill-add": ("edit", "POST"),
    "participants:skills-accept": ("edit", "POST"),
    "participants:skill-edit": ("edit", "POST"),
    "participants:skill-reject": ("edit", "POST"),
    "participants:skill-remove": ("edit", "POST"),
    "participants:occupation-interest": ("edit", "POST"),
    "pathways:plan": ("pathway", "GET"),
    "pathways:progress": ("pathway", "GET"),
    "pathways:referrals": ("pathway", "GET"),
    "pathways:outcome": ("pathway", "GET"),
    "pathways:summary": ("pathway", "GET"),
    "privacy:export": ("export", "GET"),
    "privacy:access-history": ("access-log", "GET"),
    "privacy:erase": ("erase", "GET"),
}
# The JSON export itself (the download), and the API.
EXTRA = {
    "privacy:export (download)": ("export", "POST"),
    "api GET /participants/{pseudonym}": ("profile", "GET"),
    "api GET /participants (listed)": ("profile", "GET"),
}
# Pages of these apps that are not one person's: the caseload, registration, the services' side.
NOT_PERSONAL = {
    "participants:caseload",
    "participants:participant-create",
    "pathways:directory",
    "pathways:worklist",
    "pathways:referral-inbox",
    "pathways:referral-answer",  # a service's answer; its own access tests are in tests/pathways
}

ROLES = ("holder", "holder-admin", "group-member", "coordinator", "host-staff", "other-organisation")
CONSENT = ("none", "given", "revoked")
EVERYTHING = ("profile", "identity", "pathway", "edit", "access-log", "export")


def expected(role: str, consent_state: str, surface: str) -> bool:
    """The rules of the domain, as a table."""
    if role == "holder":
        return surface in EVERYTHING
    if role == "holder-admin":
        return surface in (*EVERYTHING, "erase")
    if role == "group-member":  # NAV, "may see personal details" set
        return consent_state == "given" and surface in ("profile", "pathway", "identity")
    if role == "coordinator":
        return surface == "profile"
    return False  # host staff, another organisation's case worker


def _personal_url_names() -> set[str]:
    names: set[str] = set()
    for namespace in ("participants", "pathways", "privacy"):
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern | URLResolver)
            if isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_personal_page_has_a_rule():
    names = _personal_url_names()
    assert names - NOT_PERSONAL == set(SURFACES), "a page of a person's data without a rule in SURFACES"
    api = {
        f"{m} {path}"
        for path, ops in participants_router.path_operations.items()
        for op in ops.operations
        for m in op.methods
    }
    assert api == {"GET /participants", "GET /participants/{pseudonym}"}, (
        "a participants API endpoint without a rule"
    )


CASES = [
    pytest.param(role, state, name, id=f"{role}-{state}-{name}")
    for role in ROLES
    for state in CONSENT
    for name in [*SURFACES, *EXTRA]
]


@pytest.fixture
def matrix(db):
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    nav = OrganisationFactory(key="nav", name="NAV", country="NO")
    network = OrganisationFactory(key="network", name="Network office", country="BE")
    host = OrganisationFactory(key="dehoga", name="DEHOGA", country="DE")
    worker = case_worker(home, email="worker@example.org")
    person = participant(home, key_worker=worker)
    nav_worker = case_worker(nav, email="nav@example.org")
    group_member(person, nav_worker, nav, personal=True)
    return SimpleNamespace(
        person=person,
        nav=nav,
        users={
            "holder": worker,
            "holder-admin": member(Role.ORG_ADMIN, home, email="admin@example.org"),
            "group-member": nav_worker,
            "coordinator": member(Role.COORDINATOR, network, email="coordinator@example.org"),
            "host-staff": member(Role.STAFF, host, email="host@example.org"),
            "other-organisation": case_worker(nav, email="other@example.org"),
        },
    )


def _open(client, name: str, pseudonym: str):
    if name == "privacy:export (download)":
        return client.post(reverse("privacy:export", args=[pseudonym]), {"purpose": "right-of-access"})
    if name.startswith("api GET /participants/"):
        return client.get(f"/api/participants/{pseudonym}")
    if name.startswith("api GET /participants "):
        return client.get("/api/participants", {"q": pseudonym})
    method = SURFACES[name][1]
    url = reverse(name, args=[pseudonym])
    return client.post(url, {}) if method == "POST" else client.get(url)


@pytest.mark.parametrize(("role", "consent_state", "name"), CASES)
def test_access_matrix(client, settings, matrix, role, consent_state, name):
    settings.ACCESS_PURPOSE_PROMPT = True
    person = matrix.person
    if consent_state in ("given", "revoked"):
        given = consent(person, "sharing", matrix.nav)
        if consent_state == "revoked":
            given.revoked_on = timezone.localdate()
            given.save()
    client.force_login(matrix.users[role])
    # The purpose question, answered as a user would on first opening the record (404 when forbidden).
    client.post(reverse("participants:purpose", args=[person.pseudonym]), {"purpose": "case-work"})
    surface = (SURFACES | EXTRA)[name][0]
    allowed = expected(role, consent_state, surface)
    response = _open(client, name, person.pseudonym)
    if name == "api GET /participants (listed)":
        listed = response.status_code == 200 and person.pseudonym in response.content.decode()
        assert listed == allowed, (role, consent_state, name, response.status_code)
        return
    if allowed:
        assert response.status_code != 404, (role, consent_state, name)
        assert response.status_code < 500, (role, consent_state, name)
        if SURFACES.get(name, ("", "POST"))[1] == "GET" or name.startswith("api"):
            assert response.status_code == 200, (role, consent_state, name, response.status_code)
    else:
        assert response.status_code == 404, (role, consent_state, name, response.status_code)


def test_matrix_size():
    """The number of cases, as the documentation gives it."""
    assert len(CASES) == len(ROLES) * len(CONSENT) * (len(SURFACES) + len(EXTRA))

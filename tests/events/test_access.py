"""Who sees which page and endpoint of an event: roles × own or another organisation. Forbidden and
missing answer the same 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.accounts.services import api_token_create
from matchmaking.events.models import EventState
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_events import accepted, event, register

pytestmark = pytest.mark.django_db

WHO = ("coordinator", "manager", "own", "partner", "other", "case_worker")


@pytest.fixture
def world(coordinator):
    organiser = OrganisationFactory(name="Organiser")
    own_org, partner_org, other_org = (OrganisationFactory(name=n) for n in ("Own", "Partner", "Other"))
    found = event(organiser, state=EventState.HELD)
    own = register(found, own_org)
    partner = register(found, partner_org)
    meeting = accepted(own, partner)
    meeting.slot, meeting.table = found.slots.first(), found.tables.first()
    meeting.save()
    found.schedule_published_at = found.created_at
    found.save()
    users = {
        "coordinator": coordinator,
        "manager": member(Role.STAFF, organiser),
        "own": member(Role.ORG_ADMIN, own_org),
        "partner": member(Role.STAFF, partner_org),
        "other": member(Role.STAFF, other_org),
        "case_worker": member(Role.CASE_WORKER, own_org),
    }
    return {"event": found, "own": own, "partner": partner, "meeting": meeting, "users": users}


def _pages(world) -> dict[str, tuple[str, set[str]]]:
    """page → (address, who gets a 200); everybody else gets a 404."""
    e, own, meeting = world["event"].pk, world["own"].pk, world["meeting"].pk
    everybody = set(WHO)
    managers = {"coordinator", "manager"}
    return {
        "list": (reverse("events:event-list"), everybody),
        "detail": (reverse("events:event-detail", args=[e]), everybody),
        "participants": (reverse("events:participants", args=[e]), everybody),
        "edit": (reverse("events:event-edit", args=[e]), managers),
        "setup": (reverse("events:event-setup", args=[e]), managers),
        "schedule": (reverse("events:schedule", args=[e]), managers),
        "check-in": (reverse("events:check-in", args=[e]), managers),
        "table-cards": (reverse("events:table-cards", args=[e]), managers),
        "registration": (reverse("events:registration", args=[e, own]), managers | {"own"}),
        "availability": (reverse("events:availability", args=[e, own]), {"own"}),
        "requests": (reverse("events:requests", args=[e, own]), managers | {"own"}),
        "agenda": (reverse("events:agenda", args=[e, own]), managers | {"own"}),
        "agenda-ics": (reverse("events:agenda-ics", args=[e, own]), managers | {"own"}),
        "agenda-pdf": (reverse("events:agenda-pdf", args=[e, own]), managers | {"own"}),
        "meeting": (reverse("events:meeting", args=[e, meeting]), managers | {"own", "partner"}),
        "propose": (reverse("events:meeting-propose", args=[e, meeting]), {"own", "partner"}),
        "place": (reverse("events:meeting-place", args=[e, meeting]), managers),
        "api-detail": (f"/api/events/{e}", everybody),
        "api-participants": (f"/api/events/{e}/participants", everybody),
        "api-suggestions": (f"/api/events/{e}/registrations/{own}/suggestions", managers | {"own"}),
        "api-requests": (f"/api/events/{e}/registrations/{own}/requests", managers | {"own"}),
        "api-agenda": (f"/api/events/{e}/registrations/{own}/agenda", managers | {"own"}),
        "api-figures": ("/api/events/figures", {"coordinator"}),
    }


@pytest.mark.parametrize("who", WHO)
def test_pages_and_endpoints_by_role(client, world, who):
    user = world["users"][who]
    client.force_login(user)
    _, token = api_token_create(user=user, name="test")
    wrong = []
    for name, (url, allowed) in _pages(world).items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if url.startswith("/api/") else {}
        status = client.get(url, **headers).status_code
        expected = 200 if who in allowed else 404
        if status != expected:
            wrong.append((name, status, expected))
    assert not wrong, wrong


def test_a_missing_event_and_a_forbidden_one_answer_alike(client, world):
    draft = event(OrganisationFactory(), state=EventState.DRAFT)
    client.force_login(world["users"]["other"])
    forbidden = client.get(reverse("events:event-detail", args=[draft.pk]))
    missing = client.get(reverse("events:event-detail", args=[draft.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_another_organisation_cannot_act_for_a_delegation(client, world):
    e, own = world["event"], world["own"]
    client.force_login(world["users"]["other"])
    for url in (
        reverse("events:request-create", args=[e.pk, own.pk]),
        reverse("events:availability", args=[e.pk, own.pk]),
        reverse("events:event-transition", args=[e.pk]),
        reverse("events:schedule-compute", args=[e.pk]),
        reverse("events:reminders", args=[e.pk]),
    ):
        assert (
            client.post(
                url, {"recipient": world["partner"].pk, "priority": "must", "state": "closed"}
            ).status_code
            == 404
        )
    _, token = api_token_create(user=world["users"]["other"], name="w", scope="write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.post(
        f"/api/events/{e.pk}/registrations/{own.pk}/requests",
        {"recipient": world["partner"].pk, "priority": "must"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 404
    assert (
        client.post(
            f"/api/events/{e.pk}/state", {"state": "closed"}, content_type="application/json", **headers
        ).status_code
        == 404
    )


def test_junk_ids_in_forms_answer_404_not_a_server_error(client, world):
    e = world["event"]
    client.force_login(world["users"]["manager"])
    assert client.post(reverse("events:event-setup", args=[e.pk]), {"remove-table": "x1"}).status_code == 404
    assert client.post(reverse("events:check-in", args=[e.pk]), {"delegate": "9" * 40}).status_code == 404
    client.force_login(world["users"]["own"])
    url = reverse("events:registration", args=[e.pk, world["own"].pk])
    assert client.post(url, {"remove-delegate": "-1"}).status_code == 404

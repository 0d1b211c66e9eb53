"""Slots a delegate blocks: the service, the scheduler honouring them for the whole delegation, the
delegate's page and the API, each refused to another organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchmaking.engine.meetings import schedule_meetings
from matchmaking.events import scheduling, services_delegates
from matchmaking.events.models import EventState
from tests.api_auth import bearer
from tests.factories import OrganisationFactory
from tests.factories_events import accepted, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(delegations):
    boras = delegations["boras"]
    return {
        **delegations,
        "meeting": accepted(boras, delegations["vestland"]),
        "bjorn": boras.delegates.get(name="Björn"),
    }


def test_a_slot_one_delegate_blocks_is_closed_to_the_delegation(world):
    found, boras, bjorn = world["event"], world["boras"], world["bjorn"]
    blocked = list(found.slots.filter(index__in=(0, 1, 4)))
    services_delegates.delegate_blocked_slots_set(actor=world["boras_user"], delegate=bjorn, slots=blocked)
    problem = scheduling.build_problem(found).problem
    assert problem.unavailable[boras.pk] == frozenset({0, 1, 4})
    assert world["vestland"].pk not in problem.unavailable
    # With availability given too, both close slots.
    boras.availability_set_at = boras.created_at
    boras.save()
    boras.available_slots.set(found.slots.filter(index__lt=6))
    problem = scheduling.build_problem(found).problem
    assert problem.unavailable[boras.pk] == frozenset({0, 1, 4}) | frozenset(range(6, found.slots.count()))
    # The engine never places the delegation's meeting in a blocked slot.
    result = schedule_meetings(problem, time_limit=5, workers=1)
    assert result.status in ("optimal", "feasible")
    assert {pl.slot for pl in result.placements}.isdisjoint({0, 1, 4})


def test_blocking_is_checked(world):
    found, bjorn = world["event"], world["bjorn"]
    with pytest.raises(PermissionDenied):
        services_delegates.delegate_blocked_slots_set(
            actor=world["vestland_user"], delegate=bjorn, slots=list(found.slots.all()[:1])
        )
    with pytest.raises(ValidationError) as exc:
        services_delegates.delegate_blocked_slots_set(
            actor=world["boras_user"], delegate=bjorn, slots=list(found.slots.all())
        )
    assert "slots" in exc.value.message_dict
    elsewhere = event(OrganisationFactory())
    with pytest.raises(ValidationError):
        services_delegates.delegate_blocked_slots_set(
            actor=world["boras_user"], delegate=bjorn, slots=list(elsewhere.slots.all()[:1])
        )
    found.state = EventState.HELD
    found.save()
    with pytest.raises(ValidationError):
        services_delegates.delegate_blocked_slots_set(actor=world["boras_user"], delegate=bjorn, slots=[])


def test_the_delegate_page_saves_blocked_slots(client, world):
    found, boras, bjorn = world["event"], world["boras"], world["bjorn"]
    url = reverse("events:delegate-blocked", args=(found.pk, boras.pk, bjorn.pk))
    client.force_login(world["vestland_user"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"slots": [str(found.slots.first().pk)]}).status_code == 404
    client.force_login(world["boras_user"])
    page = client.get(reverse("events:registration", args=(found.pk, boras.pk)))
    assert url in page.content.decode()
    assert client.get(url).status_code == 200
    chosen = [str(s.pk) for s in found.slots.filter(index__in=(2, 3))]
    saved = client.post(url, {"slots": chosen})
    assert saved.status_code == 302
    assert sorted(bjorn.blocked_slots.values_list("index", flat=True)) == [2, 3]
    assert (
        "2 slots blocked"
        in client.get(reverse("events:registration", args=(found.pk, boras.pk))).content.decode()
    )


def test_the_api_reads_and_replaces_blocked_slots(client, world):
    found, boras, bjorn = world["event"], world["boras"], world["bjorn"]
    url = f"/api/events/{found.pk}/registrations/{boras.pk}/delegates/{bjorn.pk}/blocked-slots"
    slots = list(found.slots.order_by("index")[:2])
    other = bearer(world["vestland_user"])
    assert client.get(url, **other).status_code == 404
    refused = client.put(url, {"slots": [slots[0].pk]}, content_type="application/json", **other)
    assert refused.status_code == 404
    theirs = world["vestland"].delegates.first().pk
    wrong_delegate = f"/api/events/{found.pk}/registrations/{boras.pk}/delegates/{theirs}/blocked-slots"
    ours = bearer(world["boras_user"])
    assert client.get(wrong_delegate, **ours).status_code == 404
    done = client.put(url, {"slots": [s.pk for s in slots]}, content_type="application/json", **ours)
    assert done.status_code == 200, done.content
    assert [s["index"] for s in done.json()["slots"]] == [0, 1]
    assert [s["index"] for s in client.get(url, **ours).json()["slots"]] == [0, 1]
    elsewhere = event(OrganisationFactory()).slots.first()
    assert (
        client.put(url, {"slots": [elsewhere.pk]}, content_type="application/json", **ours).status_code == 404
    )
    cleared = client.put(url, {"slots": []}, content_type="application/json", **ours)
    assert cleared.json()["slots"] == []

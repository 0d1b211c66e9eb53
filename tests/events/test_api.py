"""The events API: the list and participants, making and answering a request, refusals with the field
named, the state refused before its date, the schedule queued, the figures for coordinators."""

from __future__ import annotations

import pytest

from matchmaking.events.models import EventState, MeetingRequest, ScheduleStatus
from tests.api_auth import bearer
from tests.factories_events import accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(delegations):
    return delegations


def test_list_participants_and_a_request_answered(client, world):
    e, boras, vestland = world["event"], world["boras"], world["vestland"]
    headers = bearer(world["boras_user"])
    listed = client.get("/api/events", **headers).json()
    assert [x["id"] for x in listed] == [e.pk]
    people = client.get(f"/api/events/{e.pk}/participants", **headers).json()
    assert {p["organisation_name"]: len(p["delegates"]) for p in people} == {"Borås": 3, "Vestland": 1}
    made = client.post(
        f"/api/events/{e.pk}/registrations/{boras.pk}/requests",
        {"recipient": vestland.pk, "priority": "must", "message": "Let us meet"},
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201, made.content
    refused = client.post(
        f"/api/events/{e.pk}/registrations/{boras.pk}/requests",
        {"recipient": vestland.pk, "priority": "must"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422
    assert "recipient" in refused.content.decode()
    answer = client.post(
        f"/api/events/{e.pk}/requests/{made.json()['id']}/answer",
        {"accept": True, "priority": "would-like"},
        content_type="application/json",
        **bearer(world["vestland_user"]),
    )
    assert answer.status_code == 200
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.ACCEPTED


def test_the_requester_cannot_answer_through_the_api(client, world):
    request = MeetingRequest.objects.create(
        event=world["event"], requester=world["boras"], recipient=world["vestland"], priority="must"
    )
    answer = client.post(
        f"/api/events/{world['event'].pk}/requests/{request.pk}/answer",
        {"accept": True},
        content_type="application/json",
        **bearer(world["boras_user"]),
    )
    assert answer.status_code == 404


def test_held_is_refused_before_the_first_day_naming_it(client, world):
    e = world["event"]
    e.state, e.schedule_status = EventState.SCHEDULED, ScheduleStatus.DONE
    e.save()
    answer = client.post(
        f"/api/events/{e.pk}/state",
        {"state": "held"},
        content_type="application/json",
        **bearer(world["manager"]),
    )
    assert answer.status_code == 422
    assert str(e.start.year) in answer.content.decode()
    assert "state" in answer.content.decode()


def test_the_schedule_is_queued_and_computed(client, world, django_capture_on_commit_callbacks):
    accepted(world["boras"], world["vestland"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/events/{world['event'].pk}/schedule", **bearer(world["manager"]))
    assert answer.status_code == 202
    agenda = client.get(
        f"/api/events/{world['event'].pk}/registrations/{world['boras'].pk}/agenda",
        **bearer(world["manager"]),
    ).json()
    assert len(agenda) == 1
    assert agenda[0]["with_organisation"] == world["vestland"].organisation.key


def test_figures_for_coordinators_only(client, world, coordinator):
    assert client.get("/api/events/figures", **bearer(world["manager"])).status_code == 404
    figures = client.get("/api/events/figures", **bearer(coordinator)).json()
    assert figures == {
        "events": 0,
        "registrations": 0,
        "meetings_scheduled": 0,
        "meetings_held": 0,
        "proposals_from_meetings": 0,
    }

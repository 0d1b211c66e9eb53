"""Events' write paths: creating and setting up an event, the states and their dates, registration,
requests (limits, delegations, no thanks), reminders."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.core.models import AuditEvent, Notification
from matchmaking.events import services, services_registration
from matchmaking.events.models import Event, EventState, Meeting, MeetingRequest, Priority, Registration, Slot
from matchmaking.events.services import EventData
from matchmaking.events.services_registration import DelegateData
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_events import accepted, event, register

pytestmark = pytest.mark.django_db


def _data(**overrides) -> EventData:
    start = timezone.localdate() + timedelta(days=40)
    values = {"title": "Pact for Skills matchmaking", "start": start, "end": start}
    values |= {"time_zone": "Europe/Stockholm", "place": "Borås"}
    values.update(overrides)
    return EventData(**values)


def _field(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.error_dict)


def test_a_member_creates_an_event_for_their_organisation_and_slots_are_cut_from_sessions(staff):
    organiser = staff.memberships.get().organisation
    found = services.event_create(
        actor=staff, organiser=organiser, data=_data(slot_minutes=20, break_minutes=10)
    )
    assert found.state == EventState.DRAFT
    services.session_add(
        actor=staff, event=found, name="Morning", day=found.start, starts_at=time(9), ends_at=time(10)
    )
    # 9:00, 9:30 (each 20 minutes with 10 between) ... 9:30–9:50 fits, 10:00 does not start a slot
    slots = list(Slot.objects.filter(event=found))
    assert [s.index for s in slots] == [0, 1]
    zone = ZoneInfo("Europe/Stockholm")
    assert slots[1].starts_at.astimezone(zone).time() == time(9, 30)
    assert AuditEvent.objects.filter(action="event.created").exists()


def test_another_organisation_cannot_organise_for_one(staff):
    other = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.event_create(actor=staff, organiser=other, data=_data())


def test_a_coordinator_organises_for_any_member(coordinator):
    found = services.event_create(actor=coordinator, organiser=OrganisationFactory(), data=_data())
    assert found.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slot_minutes": 10}, "slot_minutes"),
        ({"place": "", "online_link": ""}, "place"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"min_meetings": 5, "max_meetings": 2}, "max_meetings"),
        ({"title": " "}, "title"),
    ],
)
def test_refusals_name_the_field(staff, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=staff, organiser=staff.memberships.get().organisation, data=_data(**overrides)
        )
    assert field in _field(exc)
    assert not Event.objects.exists()


def test_end_before_start_and_start_in_the_past(staff):
    org = staff.memberships.get().organisation
    start = timezone.localdate() + timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=staff, organiser=org, data=_data(start=start, end=start - timedelta(days=1))
        )
    assert "end" in _field(exc)
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=staff, organiser=org, data=_data(start=timezone.localdate() - timedelta(days=1))
        )
    assert "start" in _field(exc)


def test_overlapping_sessions_and_sessions_outside_the_event_are_refused(staff):
    org = staff.memberships.get().organisation
    found = event(org)
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=staff, event=found, name="Late", day=found.start, starts_at=time(11), ends_at=time(14)
        )
    assert "starts_at" in _field(exc)
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=staff,
            event=found,
            name="Later",
            day=found.start + timedelta(days=3),
            starts_at=time(9),
            ends_at=time(10),
        )
    assert "day" in _field(exc)


def test_the_states_in_order_and_dated_states_refused_before_their_date(staff):
    org = staff.memberships.get().organisation
    found = event(org)
    found = services.event_transition(actor=staff, event=found, target=EventState.REGISTRATION_OPEN)
    with pytest.raises(ValidationError) as exc:
        services.event_transition(actor=staff, event=found, target=EventState.REQUESTS_OPEN)
    assert "state" in _field(exc)  # fewer than two registered
    register(found, OrganisationFactory())
    register(found, OrganisationFactory())
    found = services.event_transition(actor=staff, event=found, target=EventState.REQUESTS_OPEN)
    with pytest.raises(ValidationError):
        services.event_transition(actor=staff, event=found, target=EventState.SCHEDULED)  # no schedule yet
    Event.objects.filter(pk=found.pk).update(schedule_status="done")
    found = services.event_transition(
        actor=staff, event=Event.objects.get(pk=found.pk), target=EventState.SCHEDULED
    )
    assert found.schedule_published_at is not None
    with pytest.raises(ValidationError) as exc:
        services.event_transition(actor=staff, event=found, target=EventState.HELD)
    assert "state" in _field(exc)
    assert str(found.start.year) in " ".join(exc.value.messages)
    on_the_day = datetime.combine(found.start, time(18), tzinfo=ZoneInfo("Europe/Stockholm"))
    found = services.event_transition(actor=staff, event=found, target=EventState.HELD, now=on_the_day)
    assert found.state == EventState.HELD


def test_closed_refused_before_the_last_day(staff):
    org = staff.memberships.get().organisation
    found = event(org, state=EventState.HELD, days=2)
    first_day = datetime.combine(found.start, time(18), tzinfo=ZoneInfo("Europe/Stockholm"))
    with pytest.raises(ValidationError) as exc:
        services.event_transition(actor=staff, event=found, target=EventState.CLOSED, now=first_day)
    assert "state" in _field(exc)
    services.event_transition(
        actor=staff, event=found, target=EventState.CLOSED, now=first_day + timedelta(days=1)
    )


def test_skipping_a_state_is_refused(staff):
    found = event(staff.memberships.get().organisation)
    with pytest.raises(ValidationError) as exc:
        services.event_transition(actor=staff, event=found, target=EventState.HELD)
    assert "state" in _field(exc)


def test_another_organisation_cannot_move_the_event(staff):
    found = event(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.event_transition(actor=staff, event=found, target=EventState.REGISTRATION_OPEN)


# --- Registration ------------------------------------------------------------------------------


def test_registering_a_delegation_of_three_and_the_newcomer_flag(staff):
    org = staff.memberships.get().organisation
    found = event(OrganisationFactory(), state=EventState.REGISTRATION_OPEN)
    registration = services_registration.registration_create(
        actor=staff,
        event=found,
        organisation=org,
        languages=["en", "sv"],
        delegates=[DelegateData(name="Anna"), DelegateData(name="Björn"), DelegateData(name="Cecilia")],
    )
    assert registration.delegates.count() == 3
    assert registration.newcomer
    assert {t.code for t in registration.languages.all()} == {"en", "sv"}
    second = event(OrganisationFactory(), state=EventState.REGISTRATION_OPEN)
    again = services_registration.registration_create(
        actor=staff, event=second, organisation=org, delegates=[DelegateData(name="Anna")]
    )
    assert not again.newcomer


def test_registration_refusals(staff):
    org = staff.memberships.get().organisation
    found = event(OrganisationFactory(), state=EventState.DRAFT)
    with pytest.raises(PermissionDenied):  # a draft is invisible to other organisations
        services_registration.registration_create(
            actor=staff, event=found, organisation=org, delegates=[DelegateData("A")]
        )
    Event.objects.filter(pk=found.pk).update(state=EventState.REGISTRATION_OPEN)
    found.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services_registration.registration_create(actor=staff, event=found, organisation=org, delegates=[])
    assert "delegates" in _field(exc)
    with pytest.raises(PermissionDenied):
        services_registration.registration_create(
            actor=staff, event=found, organisation=OrganisationFactory(), delegates=[DelegateData("A")]
        )
    assert not Registration.objects.exists()


def test_case_workers_do_not_register(db):
    worker = member(Role.CASE_WORKER)
    found = event(OrganisationFactory(), state=EventState.REGISTRATION_OPEN)
    with pytest.raises(PermissionDenied):
        services_registration.registration_create(
            actor=worker,
            event=found,
            organisation=worker.memberships.get().organisation,
            delegates=[DelegateData("A")],
        )


# --- Requests ---------------------------------------------------------------------------------


@pytest.fixture
def open_event(staff):
    found = event(OrganisationFactory(), state=EventState.REQUESTS_OPEN, max_open_requests=2, max_meetings=2)
    ours = register(found, staff.memberships.get().organisation)
    others = [register(found, OrganisationFactory(name=f"Partner {i}")) for i in range(4)]
    return found, ours, others


def test_a_request_is_answered_and_becomes_a_meeting(staff, open_event):
    _found, ours, others = open_event
    theirs_user = member(Role.STAFF, others[0].organisation)
    request = services_registration.request_create(
        actor=staff, requester=ours, recipient=others[0], priority=Priority.MUST
    )
    assert Notification.objects.filter(recipient=theirs_user, kind="event.request").exists()
    with pytest.raises(PermissionDenied):  # the requester cannot answer their own request
        services_registration.request_answer(actor=staff, request=request, accept=True)
    answered = services_registration.request_answer(
        actor=theirs_user, request=request, accept=True, priority=Priority.WOULD_LIKE
    )
    assert answered.status == MeetingRequest.Status.ACCEPTED
    meeting = Meeting.objects.get(request=request)
    assert {meeting.first_id, meeting.second_id} == {ours.pk, others[0].pk}
    with pytest.raises(ValidationError) as exc:
        services_registration.request_answer(actor=theirs_user, request=request, accept=False)
    assert "status" in _field(exc)


def test_limits_on_open_requests_and_on_meetings(staff, open_event):
    _found, ours, others = open_event
    services_registration.request_create(
        actor=staff, requester=ours, recipient=others[0], priority=Priority.WOULD_LIKE
    )
    services_registration.request_create(
        actor=staff, requester=ours, recipient=others[1], priority=Priority.WOULD_LIKE
    )
    with pytest.raises(ValidationError) as exc:
        services_registration.request_create(
            actor=staff, requester=ours, recipient=others[2], priority=Priority.MUST
        )
    assert "recipient" in _field(exc)
    assert "2" in " ".join(exc.value.messages)
    # "no thanks" is not a request: it is not limited and nobody is told
    dismissed = services_registration.request_create(
        actor=staff, requester=ours, recipient=others[3], priority=Priority.NO_THANKS
    )
    assert dismissed.status == MeetingRequest.Status.DISMISSED
    assert not Notification.objects.filter(kind="event.request", title__contains="Partner 3").exists()


def test_the_most_meetings_is_kept_on_accepting(staff, open_event):
    found, ours, others = open_event
    accepted(ours, others[0])
    accepted(others[1], ours)
    with pytest.raises(ValidationError) as exc:
        services_registration.request_create(
            actor=staff, requester=ours, recipient=others[2], priority=Priority.MUST
        )
    assert "recipient" in _field(exc)
    request = MeetingRequest.objects.create(
        event=found, requester=others[3], recipient=ours, priority=Priority.MUST
    )
    with pytest.raises(ValidationError) as exc:
        services_registration.request_answer(actor=staff, request=request, accept=True)
    assert "status" in _field(exc)
    assert MeetingRequest.objects.get(pk=request.pk).status == MeetingRequest.Status.PENDING


def test_duplicate_and_reverse_requests_are_refused(staff, open_event):
    _found, ours, others = open_event
    services_registration.request_create(
        actor=staff, requester=ours, recipient=others[0], priority=Priority.WOULD_LIKE
    )
    with pytest.raises(ValidationError):
        services_registration.request_create(
            actor=staff, requester=ours, recipient=others[0], priority=Priority.MUST
        )
    theirs_user = member(Role.STAFF, others[0].organisation)
    with pytest.raises(ValidationError) as exc:
        services_registration.request_create(
            actor=theirs_user, requester=others[0], recipient=ours, priority=Priority.MUST
        )
    assert "recipient" in _field(exc)


def test_requests_only_while_requests_are_open(staff, open_event):
    found, ours, others = open_event
    Event.objects.filter(pk=found.pk).update(state=EventState.SCHEDULED)
    ours.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services_registration.request_create(
            actor=staff, requester=ours, recipient=others[0], priority=Priority.MUST
        )
    assert "priority" in _field(exc)


def test_reminders_for_unanswered_requests_and_missing_availability(staff, open_event):
    found, ours, others = open_event
    theirs_user = member(Role.STAFF, others[0].organisation)
    request = services_registration.request_create(
        actor=staff, requester=ours, recipient=others[0], priority=Priority.MUST
    )
    later = timezone.now() + timedelta(days=3)
    counts = services_registration.event_send_reminders(actor=None, event=found, now=later)
    assert counts["requests"] == 1
    assert counts["availability"] == 5
    assert Notification.objects.filter(recipient=theirs_user, kind="event.request-reminder").count() == 1
    again = services_registration.event_send_reminders(
        actor=None, event=found, now=later + timedelta(hours=1)
    )
    assert again == {"requests": 0, "availability": 0, "agenda": 0}
    assert MeetingRequest.objects.get(pk=request.pk).reminded_at is not None


def test_availability_names_the_field_and_belongs_to_the_event(staff, open_event):
    found, ours, _ = open_event
    with pytest.raises(ValidationError) as exc:
        services_registration.availability_set(actor=staff, registration=ours, slots=[])
    assert "slots" in _field(exc)
    elsewhere = event(OrganisationFactory())
    with pytest.raises(ValidationError):
        services_registration.availability_set(
            actor=staff, registration=ours, slots=list(elsewhere.slots.all())
        )
    chosen = list(found.slots.all()[:3])
    services_registration.availability_set(actor=staff, registration=ours, slots=chosen)
    assert ours.available_slots.count() == 3

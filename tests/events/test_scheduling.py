"""From accepted requests to a schedule: the problem handed to the engine, the background task, the
stored placements, publishing, re-scheduling that moves few meetings, and conflicts in words."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matchmaking.events import scheduling, services, services_schedule
from matchmaking.events.models import Event, EventState, Meeting, Priority, ScheduleStatus
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_events import accepted, event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organiser = OrganisationFactory(name="Network secretariat")
    manager = member(Role.STAFF, organiser)
    found = event(
        organiser, state=EventState.REQUESTS_OPEN, tables=2, accessible_tables=1, newcomer_min_meetings=1
    )
    boras = register(
        found,
        OrganisationFactory(name="Borås"),
        delegates=("Anna", "Björn", "Cecilia"),
        languages=("en", "sv"),
    )
    vestland = register(found, OrganisationFactory(name="Vestland"), languages=("en", "nb"), newcomer=True)
    soc = register(
        found, OrganisationFactory(name="SOC Catalonia"), languages=("en", "es"), needs_accessible=True
    )
    stuttgart = register(found, OrganisationFactory(name="Jobcenter Stuttgart"), languages=("en", "de"))
    meetings = [
        accepted(boras, vestland, priority=Priority.MUST),
        accepted(boras, soc),
        accepted(stuttgart, boras),
        accepted(soc, vestland),
        accepted(stuttgart, soc, priority=Priority.WOULD_LIKE, answer=Priority.MUST),
    ]
    return {
        "event": found,
        "manager": manager,
        "boras": boras,
        "vestland": vestland,
        "soc": soc,
        "stuttgart": stuttgart,
        "meetings": meetings,
    }


def test_the_problem_handed_to_the_engine(world):
    found, boras, soc = world["event"], world["boras"], world["soc"]
    boras.availability_set_at = boras.created_at
    boras.save()
    boras.available_slots.set(found.slots.filter(index__lt=3))
    built = scheduling.build_problem(found)
    problem = built.problem
    assert problem.n_slots == found.slots.count() == 10  # 9–12 and 13–15 in slots of 20 with 10 between
    assert problem.session_starts == (6,)
    by_key = {m.key: m for m in problem.meetings}
    first = by_key[world["meetings"][0].pk]
    assert first.parties == (boras.pk, world["vestland"].pk)
    assert first.seats == 4  # a delegation of three and one delegate
    assert first.mandatory
    assert not by_key[world["meetings"][1].pk].mandatory
    assert by_key[world["meetings"][1].pk].needs_accessible  # SOC's delegate needs a step-free table
    assert by_key[world["meetings"][4].pk].mandatory  # a must-meet from the recipient counts too
    assert problem.unavailable[boras.pk] == frozenset(range(3, 10))
    assert soc.pk not in problem.unavailable  # no availability given: free all day
    assert problem.min_meetings[world["vestland"].pk] == 1  # a newcomer's guaranteed meeting
    assert problem.max_meetings[boras.pk] == found.max_meetings
    assert [t.accessible for t in problem.tables] == [True, False]


def test_b2match_sizing_rule():
    assert scheduling.tables_needed(40, 10) == 5  # 4 tables plus 15 % spare, rounded up
    assert scheduling.tables_needed(0, 10) == 0


def _compute(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services_schedule.schedule_request(actor=world["manager"], event=world["event"])
    return Event.objects.get(pk=world["event"].pk)


def test_the_task_computes_and_stores_a_provisional_schedule(world, django_capture_on_commit_callbacks):
    found = _compute(world, django_capture_on_commit_callbacks)
    assert found.schedule_status == ScheduleStatus.DONE, (found.schedule_error, found.schedule_conflicts)
    assert found.schedule_published_at is None
    placed = list(Meeting.objects.filter(event=found, slot__isnull=False).select_related("slot", "table"))
    assert len(placed) == 5
    # a delegation is in one meeting at a time, and a table holds one meeting per slot
    for reg in ("boras", "vestland", "soc", "stuttgart"):
        pk = world[reg].pk
        slots = [m.slot_id for m in placed if pk in (m.first_id, m.second_id)]
        assert len(slots) == len(set(slots))
    assert len({(m.slot_id, m.table_id) for m in placed}) == len(placed)
    assert all(m.table.accessible for m in placed if world["soc"].pk in (m.first_id, m.second_id))
    boras_vestland = next(m for m in placed if m.pk == world["meetings"][0].pk)
    assert boras_vestland.language.code == "en"
    assert found.schedule_summary["placed"] == 5
    published = services.event_transition(actor=world["manager"], event=found, target=EventState.SCHEDULED)
    assert published.schedule_published_at is not None


def test_recomputing_passes_the_previous_schedule(world, django_capture_on_commit_callbacks):
    _compute(world, django_capture_on_commit_callbacks)
    before = dict(Meeting.objects.filter(event=world["event"]).values_list("pk", "slot_id"))
    built = scheduling.build_problem(world["event"])
    assert set(built.problem.previous) == set(before)
    found = _compute(world, django_capture_on_commit_callbacks)
    assert found.schedule_summary["moved"] == 0
    assert dict(Meeting.objects.filter(event=found).values_list("pk", "slot_id")) == before


def test_an_impossible_event_is_explained_in_words(world, django_capture_on_commit_callbacks):
    found = world["event"]
    # Borås can meet in one slot only but must meet Vestland, and must-meets are mandatory
    accepted(world["boras"], register(found, OrganisationFactory(name="Extra")), priority=Priority.MUST)
    boras = world["boras"]
    boras.availability_set_at = boras.created_at
    boras.save()
    boras.available_slots.set(found.slots.filter(index=0))
    found = _compute(world, django_capture_on_commit_callbacks)
    assert found.schedule_status == ScheduleStatus.FAILED
    assert found.schedule_conflicts
    names = {boras.pk: "Borås"}
    texts = [scheduling.conflict_text(c, names, {}) for c in found.schedule_conflicts]
    assert any("Borås" in t for t in texts), texts


def test_conflict_sentences_from_codes_and_params():
    names = {7: "Vestland"}
    text = scheduling.conflict_text(
        {"code": "participant-overbooked", "params": {"participant": 7, "meetings": 9, "free_slots": 6}},
        names,
        {},
    )
    assert "Vestland" in text
    assert "9" in text
    assert "6" in text
    assert "3" in scheduling.conflict_text(
        {"code": "too-few-tables", "params": {"meetings": 5, "table_slots": 3}}, {}, {}
    )
    assert scheduling.conflict_text({"code": "something-new", "params": {}}, {}, {})


def test_computing_is_refused_outside_the_request_states_and_without_accepted_requests(world):
    Event.objects.filter(pk=world["event"].pk).update(state=EventState.REGISTRATION_OPEN)
    with pytest.raises(ValidationError) as exc:
        services_schedule.schedule_request(
            actor=world["manager"], event=Event.objects.get(pk=world["event"].pk)
        )
    assert "schedule" in exc.value.error_dict
    empty = event(world["event"].organiser, state=EventState.REQUESTS_OPEN)
    with pytest.raises(ValidationError) as exc:
        services_schedule.schedule_request(actor=world["manager"], event=empty)
    assert "schedule" in exc.value.error_dict


def test_sessions_are_fixed_once_requests_are_open(world):
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=world["manager"],
            event=world["event"],
            name="Evening",
            day=world["event"].start,
            starts_at=time(16),
            ends_at=time(17),
        )
    assert "day" in exc.value.error_dict


def test_a_computation_whose_worker_died_can_be_asked_again(world, django_capture_on_commit_callbacks):
    Event.objects.filter(pk=world["event"].pk).update(schedule_status=ScheduleStatus.RUNNING)
    with pytest.raises(ValidationError):
        services_schedule.schedule_request(
            actor=world["manager"], event=Event.objects.get(pk=world["event"].pk)
        )
    stale = timezone.now() - services_schedule.STALE_AFTER - timedelta(minutes=1)
    Event.objects.filter(pk=world["event"].pk).update(updated_at=stale)
    found = _compute(world, django_capture_on_commit_callbacks)
    assert found.schedule_status == ScheduleStatus.DONE


def test_the_organiser_places_a_meeting_by_hand_and_the_scheduler_keeps_it(
    world, django_capture_on_commit_callbacks
):
    found, manager = world["event"], world["manager"]
    first, second = world["meetings"][0], world["meetings"][1]  # both with Borås
    slot, accessible, plain = (
        found.slots.get(index=4),
        found.tables.get(accessible=True),
        found.tables.get(accessible=False),
    )
    services_schedule.meeting_place(actor=manager, meeting=first, slot=slot, table=plain)
    with pytest.raises(ValidationError) as exc:  # Borås is busy then
        services_schedule.meeting_place(actor=manager, meeting=second, slot=slot, table=accessible)
    assert "slot" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:  # SOC's delegate needs a step-free table
        services_schedule.meeting_place(
            actor=manager, meeting=second, slot=found.slots.get(index=5), table=plain
        )
    assert "table" in exc.value.error_dict
    _compute(world, django_capture_on_commit_callbacks)
    kept = Meeting.objects.get(pk=first.pk)
    assert (kept.slot_id, kept.table_id, kept.fixed) == (slot.pk, plain.pk, True)

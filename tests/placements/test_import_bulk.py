"""Spreadsheet imports write in bulk: a bounded number of INSERT statements in one short transaction,
still all or nothing, with the same audit and access-log rows as the services write one by one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.core.models import AuditEvent, PersonalDataAccess
from matchmaking.organisations.models import Role
from matchmaking.participants import bulk as participant_bulk
from matchmaking.participants.models import Participant, ParticipantLanguage, ParticipantSkill
from matchmaking.placements import importing
from matchmaking.placements.models import Placement, PlacementSkill
from tests.factories import member

SKILL = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
ROWS = 2000

pytestmark = pytest.mark.django_db(transaction=False)


def _people(n: int, prefix: str = "B", last: str | None = None) -> bytes:
    lines = ["reference;organisation;given_name;family_name;date_of_birth;languages;skills_informal"]
    lines += [f"{prefix}-{i};boras;Name {i};Family;2001-02-03;sv:B1;{SKILL}" for i in range(n)]
    if last is not None:
        lines[-1] = last
    return ("\n".join(lines) + "\n").encode()


def _places(n: int, last: str | None = None) -> bytes:
    lines = ["key;host;title;seats;country;languages;required_skills"]
    lines += [f"q-{i};boras;Kitchen {i};2;SE;sv:B1;{SKILL}" for i in range(n)]
    if last is not None:
        lines[-1] = last
    return ("\n".join(lines) + "\n").encode()


def _inserts(captured: CaptureQueriesContext) -> int:
    """INSERT statements run, an ``executemany`` of many rows counted once (logged as "N times: ...")."""
    return sum(1 for q in captured.captured_queries if "INSERT INTO" in q["sql"].upper())


def _import(actor, kind: str, content: bytes) -> importing.ImportReport:
    return importing.import_file(actor=actor, kind=kind, filename="f.csv", content=content)


def _refused(actor, kind: str, content: bytes) -> list[str]:
    with pytest.raises(importing.ImportFailedError) as caught:
        _import(actor, kind, content)
    return caught.value.errors


def test_participants_are_written_with_a_bounded_number_of_inserts(world):
    audits, accesses = AuditEvent.objects.count(), PersonalDataAccess.objects.count()
    with CaptureQueriesContext(connection) as captured:
        report = _import(world.worker, "participants", _people(ROWS))
    assert (report.created, report.updated) == (ROWS, 0)
    assert _inserts(captured) <= ROWS // 10  # one per batch and table, never one per row
    created = Participant.objects.filter(reference__startswith="B-")
    assert created.count() == ROWS
    assert len(set(created.values_list("pseudonym", flat=True))) == ROWS
    one = created.get(reference="B-7")
    assert one.identity.given_name == "Name 7"
    assert one.age_group
    assert one.key_worker == world.worker
    assert ParticipantLanguage.objects.filter(participant__reference__startswith="B-").count() == ROWS
    assert (
        ParticipantSkill.objects.filter(participant__reference__startswith="B-", how="informal").count()
        == ROWS
    )
    new_events = AuditEvent.objects.order_by("id")[audits:]
    actions = [e.action for e in new_events]
    assert actions.count("participant.create") == actions.count("skill.add") == ROWS
    assert actions.count("participant.language") == ROWS
    event = AuditEvent.objects.get(action="participant.create", object_id=str(one.pk))
    assert event.object_label == one.pseudonym
    assert event.organisation_id == world.home.pk
    assert PersonalDataAccess.objects.count() == accesses + ROWS
    access = PersonalDataAccess.objects.get(subject_id=str(one.pk), purpose="registration")
    assert access.kind == PersonalDataAccess.CHANGE
    assert access.path == "import"


def test_a_bad_last_row_writes_nothing_and_names_row_and_field(world):
    audits, people = AuditEvent.objects.count(), Participant.objects.count()
    bad = f"B-last;boras;Last;Family;2199-01-01;sv:B1;{SKILL}"
    errors = _refused(world.worker, "participants", _people(ROWS, last=bad))
    assert len(errors) == 1
    assert f"Row {ROWS + 1}" in errors[0]
    assert "date_of_birth" in errors[0]
    assert "2199-01-01" in errors[0]
    assert Participant.objects.count() == people
    assert AuditEvent.objects.count() == audits


def test_importing_again_updates_with_the_services_audit_actions(world):
    _import(world.worker, "participants", _people(3))
    audits, accesses = AuditEvent.objects.count(), PersonalDataAccess.objects.count()
    report = _import(world.worker, "participants", _people(3))
    assert (report.created, report.updated) == (0, 3)
    assert Participant.objects.filter(reference__startswith="B-").count() == 3
    actions = sorted(e.action for e in AuditEvent.objects.order_by("id")[audits:])
    assert actions == sorted(
        ["participant.update", "participant.identity-update", "participant.language", "skill.update"] * 3
    )
    assert PersonalDataAccess.objects.count() == accesses + 6
    assert ParticipantSkill.objects.filter(participant__reference="B-1").count() == 1


def test_a_reference_repeated_in_the_file_updates_the_record_its_first_row_creates(world):
    content = _people(2, last=f"B-0;boras;Again;Family;2001-02-03;en:C1;{SKILL}")
    report = _import(world.worker, "participants", content)
    assert (report.created, report.updated) == (1, 1)
    person = Participant.objects.get(reference="B-0")
    assert person.identity.given_name == "Again"
    assert sorted(person.languages.values_list("code", flat=True)) == ["en", "sv"]


def test_a_participant_changed_while_preparing_is_prepared_again(world, monkeypatch):
    _import(world.worker, "participants", _people(2))
    prepare, calls = participant_bulk.prepare, []

    def prepare_then_someone_edits(**kwargs):
        prepared = prepare(**kwargs)
        if not calls:
            stored = Participant.objects.get(reference="B-1")
            stored.home_country = "NO"
            stored.save()  # a new updated_at: the prepared update is stale
        calls.append(1)
        return prepared

    monkeypatch.setattr(participant_bulk, "prepare", prepare_then_someone_edits)
    report = _import(world.worker, "participants", _people(2))
    assert report.updated == 2
    assert len(calls) == 2


def test_placements_are_written_with_a_bounded_number_of_inserts(world):
    host = member(Role.STAFF, world.home, email="hoststaff@example.org")
    with CaptureQueriesContext(connection) as captured:
        report = _import(host, "placements", _places(ROWS))
    assert (report.created, report.updated) == (ROWS, 0)
    assert _inserts(captured) <= ROWS // 10
    assert Placement.objects.filter(key__startswith="q-").count() == ROWS
    assert PlacementSkill.objects.filter(placement__key="q-5", required=True).count() == 1
    assert AuditEvent.objects.filter(action="placement.create").count() == ROWS
    report = _import(host, "placements", _places(3))
    assert (report.created, report.updated) == (0, 3)
    assert PlacementSkill.objects.filter(placement__key="q-1").count() == 1
    assert AuditEvent.objects.filter(action="placement.update").count() == 3


def test_a_bad_last_placement_row_writes_nothing(world):
    host = member(Role.STAFF, world.home, email="hoststaff@example.org")
    audits = AuditEvent.objects.count()
    errors = _refused(host, "placements", _places(ROWS, last="q-last;boras;Kitchen;0;SE;;"))
    assert len(errors) == 1
    assert f"Row {ROWS + 1}" in errors[0]
    assert "seats" in errors[0]
    assert not Placement.objects.filter(key__startswith="q-").exists()
    assert AuditEvent.objects.count() == audits


def test_placements_without_a_key_get_new_distinct_keys(world):
    host = member(Role.STAFF, world.home, email="hoststaff@example.org")
    content = b"host;title;seats;country\nboras;One;1;SE\nboras;Two;1;SE\n"
    assert _import(host, "placements", content).created == 2
    assert sorted(Placement.objects.values_list("key", flat=True)) == ["boras-p1", "boras-p2"]


def test_skills_and_languages_the_file_does_not_name_are_left_alone(world):
    _import(world.worker, "participants", _people(1))
    person = Participant.objects.get(reference="B-0")
    other = "http://data.europa.eu/esco/skill/other"
    ParticipantSkill.objects.create(participant=person, uri=other, label="Other", validated=True)
    person.languages.create(code="fi", level="A2")
    _import(world.worker, "participants", _people(1))
    assert ParticipantSkill.objects.get(participant=person, uri=other).validated
    assert person.languages.get(code="fi").level == "A2"
    assert person.skills.count() == 2

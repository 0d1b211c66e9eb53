"""A person's data export includes their placements and attendance notes; erasing the person deletes
them and keeps only that the person was placed, anonymously."""

from __future__ import annotations

import pytest

from matchmaking.pathways.models import StatisticRecord
from matchmaking.placements import lifecycle
from matchmaking.placements.models import Assignment
from matchmaking.privacy.services import participant_erase, participant_export
from tests.placements.test_lifecycle import TODAY, _accepted, host, job, person  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_export_lists_placements_and_attendance_and_erasure_removes_them(world, host, job, person):  # noqa: F811
    a = _accepted(world, host, job, person)
    a = lifecycle.assignment_start(actor=world.worker, assignment=a, started_on=job.start, today=TODAY)
    lifecycle.attendance_note(
        actor=host, assignment=a, noted_on=job.start, present=False, note="Ill", today=TODAY
    )
    document = participant_export(actor=world.worker, participant=person, purpose="right-of-access")
    (placement,) = document["placements"]
    assert placement["status"] == "started"
    assert placement["started_on"] == job.start.isoformat()
    assert placement["attendance"] == [{"noted_on": job.start.isoformat(), "present": False, "note": "Ill"}]

    participant_erase(actor=None, participant=person)  # as the retention job does
    assert not Assignment.objects.filter(pk=a.pk).exists()
    assert StatisticRecord.objects.get().placed

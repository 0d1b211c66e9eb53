"""The demo event: Borås (three delegates), Vestland, SOC Catalonia and Jobcenter Stuttgart registered,
requests made, a schedule computed; loading twice changes nothing."""

from __future__ import annotations

import pytest

from matchmaking.demo.services import demo_load
from matchmaking.events.models import Event, Meeting, ScheduleStatus

pytestmark = pytest.mark.django_db


def test_the_demo_event():
    demo_load()
    demo_load()
    event = Event.objects.get(title="Regional Skills Partnership matchmaking day")
    registrations = {r.organisation.key: r for r in event.registrations.all()}
    assert set(registrations) == {
        "boras-working-life",
        "vestland-county-council",
        "soc-catalonia",
        "jobcenter-stuttgart",
    }
    assert registrations["boras-working-life"].delegates.count() == 3
    assert event.schedule_status == ScheduleStatus.DONE, event.schedule_error
    assert Meeting.objects.filter(event=event, slot__isnull=False).count() == 5

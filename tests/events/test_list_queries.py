"""The event list and the participant list run as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.events.models import Event, EventState, Meeting, Registration
from tests.factories import OrganisationFactory
from tests.factories_events import accepted, event, register
from tests.factories_mobility import opportunity
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


def test_event_list(client, staff):
    organiser = staff.memberships.get().organisation

    def grow(n: int) -> list[str]:
        while Event.objects.count() < n:
            found = event(
                organiser,
                state=EventState.REGISTRATION_OPEN,
                title=f"Matchmaking day {Event.objects.count():02d}",
            )
            register(found, OrganisationFactory())
        return list(Event.objects.values_list("title", flat=True))

    client.force_login(staff)
    assert_same_queries(client, reverse("events:event-list"), grow)


@pytest.mark.parametrize("query", ["", "?language=en&q=outreach"])
def test_participant_list(client, staff, query):
    found = event(OrganisationFactory(), state=EventState.REQUESTS_OPEN)

    def grow(n: int) -> list[str]:
        while Registration.objects.filter(event=found).count() < n:
            i = Registration.objects.filter(event=found).count()
            org = OrganisationFactory(name=f"Delegation {i:02d}")
            registration = register(
                found, org, delegates=(f"Person {i} A", f"Person {i} B"), offer_text="Early outreach"
            )
            registration.listings.add(opportunity(org))
        return [
            r.organisation.name
            for r in Registration.objects.filter(event=found).select_related("organisation")
        ]

    client.force_login(staff)
    assert_same_queries(client, reverse("events:participants", args=[found.pk]) + query, grow)


def test_requests_page_with_suggestions(client, staff):
    found = event(OrganisationFactory(), state=EventState.REQUESTS_OPEN)
    ours = register(found, staff.memberships.get().organisation)

    def grow(n: int) -> list[str]:
        while Registration.objects.filter(event=found).count() < n + 1:
            i = Registration.objects.filter(event=found).count()
            other = register(found, OrganisationFactory(name=f"Delegation {i:02d}"))
            if i % 2:
                accepted(other, ours)
        return [r.organisation.name for r in Registration.objects.filter(event=found).exclude(pk=ours.pk)]

    client.force_login(staff)
    assert_same_queries(client, reverse("events:requests", args=[found.pk, ours.pk]), grow)


def test_schedule_grid_and_agenda(client, staff):
    organiser = staff.memberships.get().organisation
    found = event(organiser, state=EventState.SCHEDULED, tables=2)
    ours = register(found, OrganisationFactory(name="Ours"))
    slots, tables = list(found.slots.all()), list(found.tables.all())

    def grow(n: int) -> list[str]:
        while Meeting.objects.filter(event=found).count() < n:
            i = Meeting.objects.filter(event=found).count()
            meeting = accepted(ours, register(found, OrganisationFactory(name=f"Partner {i:02d}")))
            meeting.slot, meeting.table = slots[i % len(slots)], tables[i // len(slots)]
            meeting.save()
        return [
            m.second.organisation.name
            for m in Meeting.objects.filter(event=found).select_related("second__organisation")
        ]

    found.schedule_published_at = found.created_at
    found.save()
    client.force_login(staff)
    assert_same_queries(client, reverse("events:schedule", args=[found.pk]), grow)
    assert_same_queries(client, reverse("events:agenda", args=[found.pk, ours.pk]), grow)

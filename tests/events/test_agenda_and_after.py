"""Agendas (web, .ics in the event's time zone, PDF), the day (check-in, no-shows) and after (feedback,
a meeting turned into an exchange proposal, the six-month question, the figures)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matchmaking.events import selectors, services_after
from matchmaking.events.models import Delegate, EventState, Meeting
from matchmaking.exchanges.models import Exchange
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_events import accepted, event, register
from tests.factories_mobility import opportunity

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def world():
    organiser = OrganisationFactory(name="Network secretariat")
    manager = member(Role.STAFF, organiser)
    boras_org = OrganisationFactory(name="Borås", country="SE", hosting_capacity=4)
    vestland_org = OrganisationFactory(name="Vestland", country="NO", hosting_capacity=4)
    found = event(organiser, state=EventState.SCHEDULED, start=timezone.localdate() + timedelta(days=10))
    boras = register(found, boras_org, delegates=("Anna", "Björn", "Cecilia"), languages=("en", "sv"))
    vestland = register(found, vestland_org, languages=("en", "nb"))
    meeting = accepted(boras, vestland)
    meeting.slot, meeting.table = found.slots.get(index=1), found.tables.first()
    meeting.save()
    found.schedule_published_at = timezone.now()
    found.save()
    return {
        "event": found,
        "manager": manager,
        "boras": boras,
        "vestland": vestland,
        "meeting": meeting,
        "boras_user": member(Role.STAFF, boras_org),
        "vestland_user": member(Role.STAFF, vestland_org),
    }


def test_the_ics_agenda_parses_back_in_the_events_time_zone(client, world):
    client.force_login(world["boras_user"])
    response = client.get(reverse("events:agenda-ics", args=[world["event"].pk, world["boras"].pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    items = list(calendar.walk("VEVENT"))
    assert len(items) == 1
    start = items[0].decoded("dtstart")
    assert start.tzinfo is not None
    assert getattr(start.tzinfo, "key", str(start.tzinfo)) == "Europe/Stockholm"
    assert start.astimezone(ZONE).time() == time(9, 30)  # slot 1: 9:30 (20 minutes and 10 between)
    assert "Vestland" in str(items[0].get("summary"))


def test_the_pdf_agenda(client, world):
    client.force_login(world["boras_user"])
    response = client.get(reverse("events:agenda-pdf", args=[world["event"].pk, world["boras"].pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_agenda_page_and_the_nudge_mark(client, world):
    delegate = world["boras"].delegates.first()
    delegate.user = world["boras_user"]
    delegate.save()
    client.force_login(world["boras_user"])
    page = client.get(reverse("events:agenda", args=[world["event"].pk, world["boras"].pk])).content.decode()
    assert "Vestland" in page
    assert "09:30" in page
    assert Delegate.objects.get(pk=delegate.pk).agenda_opened_at is not None


def test_a_provisional_schedule_is_hidden_from_delegates(client, world):
    found = world["event"]
    found.schedule_published_at = None
    found.save()
    client.force_login(world["boras_user"])
    page = client.get(reverse("events:agenda", args=[found.pk, world["boras"].pk])).content.decode()
    assert "Vestland" not in page
    client.force_login(world["manager"])
    page = client.get(reverse("events:agenda", args=[found.pk, world["boras"].pk])).content.decode()
    assert "Vestland" in page
    assert "provisional" in page


def test_check_in_and_no_show_only_from_the_first_day(world):
    delegate = world["boras"].delegates.first()
    with pytest.raises(ValidationError) as exc:
        services_after.delegate_check_in(actor=world["manager"], delegate=delegate)
    assert "checked_in" in exc.value.error_dict
    on_the_day = datetime.combine(world["event"].start, time(9), tzinfo=ZONE)
    services_after.delegate_check_in(actor=world["manager"], delegate=delegate, now=on_the_day)
    meeting = world["meeting"]
    services_after.meeting_mark(
        actor=world["manager"], meeting=meeting, held=False, no_show=world["vestland"], now=on_the_day
    )
    assert Meeting.objects.get(pk=meeting.pk).no_show_id == world["vestland"].pk
    stranger = register(world["event"], OrganisationFactory())
    with pytest.raises(ValidationError) as exc:
        services_after.meeting_mark(
            actor=world["manager"], meeting=meeting, held=False, no_show=stranger, now=on_the_day
        )
    assert "no_show" in exc.value.error_dict


def test_feedback_opens_once_the_event_is_held(world):
    with pytest.raises(ValidationError) as exc:
        services_after.feedback_save(
            actor=world["boras_user"], meeting=world["meeting"], registration=world["boras"], took_place=True
        )
    assert "took_place" in exc.value.error_dict
    world["event"].state = EventState.HELD
    world["event"].save()
    found = services_after.feedback_save(
        actor=world["boras_user"],
        meeting=world["meeting"],
        registration=world["boras"],
        took_place=True,
        useful=5,
        next_step="exchange",
    )
    assert found.useful == 5


def test_the_six_month_question_never_opens_before_its_date(world):
    world["event"].state = EventState.HELD
    world["event"].save()
    opens = world["event"].follow_up_opens
    assert opens >= world["event"].end + timedelta(days=182)
    day_before = datetime.combine(opens - timedelta(days=1), time(12), tzinfo=ZONE)
    with pytest.raises(ValidationError) as exc:
        services_after.follow_up_save(
            actor=world["boras_user"],
            meeting=world["meeting"],
            registration=world["boras"],
            answer="contact",
            now=day_before,
        )
    assert "follow_up" in exc.value.error_dict
    assert str(opens.year) in " ".join(exc.value.messages)
    on_the_day = datetime.combine(opens, time(12), tzinfo=ZONE)
    found = services_after.follow_up_save(
        actor=world["boras_user"],
        meeting=world["meeting"],
        registration=world["boras"],
        answer="exchange",
        now=on_the_day,
    )
    assert found.follow_up == "exchange"


def test_a_meeting_becomes_an_exchange_proposal_with_the_host_chosen(client, world):
    world["event"].state = EventState.HELD
    world["event"].save()
    offer = opportunity(world["vestland"].organisation, direction="offer")
    world["vestland"].listings.add(offer)
    draft = services_after.proposal_draft(
        meeting=world["meeting"], registration=world["vestland"], role="host"
    )
    assert draft.ours == offer
    assert "Matchmaking day" in draft.message
    # Vestland hosts Borås
    exchange = services_after.meeting_to_exchange(
        actor=world["vestland_user"],
        meeting=world["meeting"],
        registration=world["vestland"],
        role="host",
        ours=offer,
        start=draft.start,
        end=draft.end,
        group_size=2,
        message=draft.message,
    )
    assert exchange.host == world["vestland"].organisation
    assert exchange.visitor == world["boras"].organisation
    assert Meeting.objects.get(pk=world["meeting"].pk).exchange == exchange
    with pytest.raises(ValidationError) as exc:  # once only
        services_after.meeting_to_exchange(
            actor=world["vestland_user"],
            meeting=Meeting.objects.get(pk=world["meeting"].pk),
            registration=world["vestland"],
            role="host",
            ours=offer,
            start=draft.start,
            end=draft.end,
            group_size=2,
            message="again",
        )
    assert "role" in exc.value.error_dict
    figures = selectors.event_figures()
    assert figures.events == 1
    assert figures.proposals_from_meetings == 1


def test_the_host_must_offer_and_the_visitor_must_request(world):
    world["event"].state = EventState.HELD
    world["event"].save()
    request = opportunity(world["boras"].organisation, direction="request")
    with pytest.raises(ValidationError) as exc:
        services_after.meeting_to_exchange(
            actor=world["boras_user"],
            meeting=world["meeting"],
            registration=world["boras"],
            role="host",
            ours=request,
            start=timezone.localdate() + timedelta(days=40),
            end=timezone.localdate() + timedelta(days=42),
            group_size=2,
            message="Hello",
        )
    assert "ours" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services_after.meeting_to_exchange(
            actor=world["boras_user"],
            meeting=world["meeting"],
            registration=world["boras"],
            role="visitor",
            ours=None,
            start=timezone.localdate() + timedelta(days=40),
            end=timezone.localdate() + timedelta(days=42),
            group_size=2,
            message="Hello",
        )
    assert "ours" in exc.value.error_dict
    assert not Exchange.objects.exists()


def test_the_proposal_page_prefills_and_sends(client, world):
    world["event"].state = EventState.HELD
    world["event"].save()
    request = opportunity(world["boras"].organisation, direction="request")
    opportunity(world["vestland"].organisation, direction="offer")
    client.force_login(world["boras_user"])
    url = reverse("events:meeting-propose", args=[world["event"].pk, world["meeting"].pk])
    page = client.get(url).content.decode()
    assert "Vestland" in page
    start = timezone.localdate() + timedelta(days=40)
    response = client.post(
        url,
        {
            "as": world["boras"].pk,
            "role": "visitor",
            "ours": request.pk,
            "start": start,
            "end": start + timedelta(days=2),
            "group_size": 3,
            "message": "Following our meeting",
        },
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert exchange.visitor == world["boras"].organisation
    assert exchange.host == world["vestland"].organisation

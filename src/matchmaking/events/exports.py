"""A delegation's agenda as iCalendar (in the event's time zone) and as a printable, tagged PDF; the
organiser's table cards as a PDF."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from matchmaking.events.models import Event, Meeting, Registration, Table
from matchmaking.events.services import event_zone


def agenda_ics(registration: Registration, meetings: list[Meeting]) -> bytes:
    event = registration.event
    zone = event_zone(event)
    calendar = Calendar()
    calendar.add("prodid", "-//Mobility Matchmaking Tool//event agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} – {registration.organisation.name}")
    calendar.add("x-wr-timezone", str(zone.key))
    stamp = timezone.now()
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "localhost"
    for meeting in meetings:
        if meeting.slot is None:
            continue
        other = meeting.other(registration.pk)
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}-meeting-{meeting.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", meeting.slot.starts_at.astimezone(zone))
        item.add("dtend", meeting.slot.ends_at.astimezone(zone))
        item.add("summary", f"{other.organisation.name} ({event.title})")
        where = [meeting.table.name if meeting.table else "", event.place]
        item.add("location", ", ".join(w for w in where if w) or event.online_link)
        lines = [", ".join(d.name for d in other.delegates.all())]
        if meeting.language is not None:
            lines.append(meeting.language.label)
        if event.online_link:
            lines.append(event.online_link)
        item.add("description", "\n".join(line for line in lines if line))
        calendar.add_component(item)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return calendar.to_ical()


def _pdf(template: str, context: dict[str, object]) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    html = render_to_string(template, context)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")


def agenda_pdf(registration: Registration, meetings: list[Meeting], *, language: str = "en") -> bytes:
    event = registration.event
    return _pdf(
        "events/agenda_pdf.html",
        {
            "event": event,
            "registration": registration,
            "meetings": [(m, m.other(registration.pk)) for m in meetings],
            "delegates": list(registration.delegates.all()),
            "zone": event_zone(event),
            "LANGUAGE_CODE": language,
        },
    )


def table_cards_pdf(
    event: Event, rows: Sequence[tuple[Table, list[Meeting]]], *, language: str = "en"
) -> bytes:
    return _pdf(
        "events/table_cards_pdf.html",
        {"event": event, "rows": rows, "zone": event_zone(event), "LANGUAGE_CODE": language},
    )

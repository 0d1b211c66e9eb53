"""Exports of an exchange's programme: iCalendar (per visitor or whole group) and a tagged PDF."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event

from matchmaking.exchanges.models import Exchange, Visitor
from matchmaking.exchanges.programme import programme_for


def host_zone(exchange: Exchange) -> ZoneInfo:
    try:
        return ZoneInfo(exchange.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def programme_ics(exchange: Exchange, visitor: Visitor | None = None) -> bytes:
    """The agenda as an iCalendar file; times in the host's time zone (TZID), so phones show them right."""
    zone = host_zone(exchange)
    calendar = Calendar()
    calendar.add("prodid", "-//Mobility Matchmaking Tool//exchange programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", exchange.title if visitor is None else f"{exchange.title} – {visitor.name}")
    calendar.add("x-wr-timezone", str(zone.key))
    stamp = timezone.now()
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "localhost"
    for item in programme_for(exchange, visitor):
        event = Event()
        event.add("uid", f"exchange-{exchange.pk}-item-{item.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(item.day, item.starts_at, tzinfo=zone))
        event.add("dtend", datetime.combine(item.day, item.ends_at, tzinfo=zone))
        event.add("summary", item.activity)
        if item.location:
            event.add("location", item.location)
        lines = [item.get_format_display()]
        if item.host_person:
            lines.append(str(item.host_person))
        if item.notes:
            lines.append(item.notes)
        event.add("description", "\n".join(str(line) for line in lines))
        calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return calendar.to_ical()


def programme_pdf(exchange: Exchange, *, language: str = "en") -> bytes:
    """A printable programme, tagged for screen readers (PDF/UA)."""
    from weasyprint import HTML

    visitors = list(exchange.visitors.all())
    html = render_to_string(
        "exchanges/programme_pdf.html",
        {
            "exchange": exchange,
            "items": programme_for(exchange),
            "visitors": visitors,
            "zone": host_zone(exchange).key,
            "LANGUAGE_CODE": language,
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")

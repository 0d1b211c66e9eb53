"""Periodic jobs of events: reminders (unanswered requests, no availability, agendas not opened) and,
six months after an event, the "what came of it?" question."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaking.core.periodic import periodic_job
from matchmaking.events.models import Event, EventState
from matchmaking.events.services_after import events_prompt_follow_up
from matchmaking.events.services_registration import event_send_reminders


@periodic_job("event-reminders", every=timedelta(hours=12))
def event_reminders(now: datetime) -> str:
    """Remind whoever holds an event up; each kind of reminder at most once per two days."""
    total = 0
    for event in Event.objects.filter(
        state__in=[EventState.REGISTRATION_OPEN, EventState.REQUESTS_OPEN, EventState.SCHEDULED]
    ):
        counts = event_send_reminders(actor=None, event=event, now=now)
        total += counts["requests"] + counts["availability"]
    return f"{total} event reminders sent"


@periodic_job("event-follow-up-prompt", every=timedelta(days=1))
def event_follow_up_prompt(now: datetime) -> str:
    return f"{events_prompt_follow_up(now=now)} events asked what came of their meetings"

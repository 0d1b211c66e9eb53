"""Demo data for exchanges and stories, and the periodic jobs of offers and requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.exchanges.models import Exchange, State
from matchmaking.library.models import Story
from matchmaking.mobility.jobs import opportunities_expiry
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.organisations.models import Role
from tests.factories import member
from tests.factories_mobility import opportunity

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_three_published_stories_and_is_idempotent():
    from matchmaking.demo.services import demo_load

    demo_load()
    counts = {state: Exchange.objects.filter(state=state).count() for state in State.values}
    assert all(counts.values()), counts
    demo_load()
    assert Exchange.objects.count() == sum(counts.values())
    stories = Story.objects.filter(status=Story.Status.PUBLISHED)
    assert stories.count() == 3
    soc = stories.get(exchange__host__key="soc-catalonia")
    assert "Early outreach improves support for job seekers" in soc.visitor_lessons
    assert Suggestion.objects.exists()


def test_expiry_and_reminders():
    from matchmaking.core.models import Notification

    today = timezone.localdate()
    over = opportunity(earliest=today - timedelta(days=30), latest=today - timedelta(days=1))
    soon = opportunity(earliest=today - timedelta(days=30), latest=today + timedelta(days=5))
    owner = member(Role.STAFF, soon.organisation)
    assert opportunities_expiry(timezone.now()) == "1 expired, 1 reminded"
    over.refresh_from_db()
    assert over.status == Opportunity.Status.EXPIRED
    assert Notification.objects.filter(recipient=owner, kind="mobility.expiring").count() == 1
    assert opportunities_expiry(timezone.now()) == "0 expired, 0 reminded"

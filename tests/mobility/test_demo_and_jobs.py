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


# People named in the seed articles: the demo uses invented people and its own wording instead.
REAL_PEOPLE = ("Augustsson", "Waller", "Persson", "Cáceres", "Bårgard", "Nicholas", "Frida", "Emelie")


def test_demo_names_no_real_person_and_renames_old_demo_people():
    from matchmaking.demo.services import demo_load
    from matchmaking.exchanges.models import Testimonial, Visitor

    demo_load()
    seed = Exchange.objects.get(host__key="soc-catalonia", state=State.REPORTED)
    # A demo database made before the names were changed is brought up to date on the next load.
    Visitor.objects.filter(exchange=seed).update(name="Frida Augustsson")
    Testimonial.objects.filter(exchange=seed).update(author_name="Emelie Persson", text="Old words.")
    demo_load()
    people = list(Visitor.objects.values_list("name", flat=True))
    people += [f"{q.author_name} {q.text}" for q in Testimonial.objects.all()]
    assert people
    for text in people:
        assert not any(name in text for name in REAL_PEOPLE), text
    assert Testimonial.objects.filter(exchange=seed, author_name="Núria Vidal Roca").exists()


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

"""Demo stories: the three seed exchanges, published (both organisations approved)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from matchmaking.demo.exchanges import SEED_EXCHANGES
from matchmaking.exchanges.models import Exchange, State
from matchmaking.library.models import Story
from matchmaking.library.services import story_create
from matchmaking.taxonomies.models import Term


def demo_extend(*, today: date) -> str:
    published = 0
    for seed in SEED_EXCHANGES:
        exchange = Exchange.objects.filter(given_title=seed["title"], state=State.REPORTED).first()
        if exchange is None or Story.objects.filter(exchange=exchange).exists():
            continue
        story = story_create(actor=None, exchange=exchange)
        story.title = seed["title"]
        story.topics.set(Term.objects.filter(scheme="practice-topics", code__in=seed["topics"]))
        now = timezone.now()
        story.host_approved_at = story.visitor_approved_at = story.published_at = now
        story.status = Story.Status.PUBLISHED
        story.save()
        published += 1
    return f"{published} stories published"

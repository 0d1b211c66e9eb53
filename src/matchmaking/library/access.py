"""Who may see and edit good-practice stories: published ones are public, drafts belong to the two
organisations of the exchange (and coordinators may read them)."""

from __future__ import annotations

from django.http import Http404

from matchmaking.exchanges.access import can_act_on_exchange, can_view_exchange
from matchmaking.library.models import Story
from matchmaking.permissions.roles import AnyUser


def can_view_story(user: AnyUser, story: Story) -> bool:
    if story.status == "published":
        return True
    return can_view_exchange(user, story.exchange)


def can_edit_story(user: AnyUser, story: Story) -> bool:
    return story.status != "published" and can_act_on_exchange(user, story.exchange)


def access_story(user: AnyUser, slug: str) -> Story:
    story = (
        Story.objects.select_related("exchange", "exchange__host", "exchange__visitor", "exchange__type")
        .filter(slug=slug)
        .first()
    )
    if story is None or not can_view_story(user, story):
        raise Http404("No such story.")
    return story

"""Write paths of good-practice stories: written from a reported exchange, published only when both
organisations have approved the same text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record, changed_values
from matchmaking.core.notifications import notify
from matchmaking.exchanges.access import can_act_on_exchange, exchange_sides
from matchmaking.exchanges.models import Exchange, State
from matchmaking.exchanges.services import acting_side
from matchmaking.library.access import can_edit_story
from matchmaking.library.models import Story
from matchmaking.organisations.models import Membership
from matchmaking.permissions.roles import AnyUser, signed_in
from matchmaking.taxonomies.models import Term

STORY_FIELDS = ("title", "summary", "outcomes", "host_lessons", "visitor_lessons")


def _slug(exchange: Exchange) -> str:
    base = slugify(f"{exchange.visitor.key}-{exchange.host.key}-{exchange.start:%Y}")[:100] or "story"
    slug, n = base, 1
    while Story.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _data(story: Story) -> dict[str, Any]:
    return {f: getattr(story, f) for f in STORY_FIELDS}


@transaction.atomic
def story_create(*, actor: AnyUser, exchange: Exchange) -> Story:
    """A draft story from the exchange's completion report; either organisation starts it."""
    side = acting_side(actor, exchange) if actor is not None else exchange.host_id
    if exchange.state != State.REPORTED:
        raise ValidationError(_("A story is written once the exchange is reported."))
    existing = Story.objects.filter(exchange=exchange).first()
    if existing:
        return existing
    report = getattr(exchange, "report", None)
    story = Story.objects.create(
        exchange=exchange,
        slug=_slug(exchange),
        title=_("%(type)s: %(visitor)s visits %(host)s")
        % {"type": exchange.type.label, "visitor": exchange.visitor.name, "host": exchange.host.name},
        summary=report.summary if report else "",
        outcomes=report.outcomes if report else "",
        host_lessons=report.host_lessons if report else "",
        visitor_lessons=report.visitor_lessons if report else "",
    )
    topics: set[Term] = set()
    for opp in (exchange.offer, exchange.request):
        if opp is not None:
            topics.update(opp.topics.all())
    story.topics.set(topics)
    audit_record(actor=actor, action="story.created", obj=story, after=_data(story), organisation_id=side)
    return story


@transaction.atomic
def story_update(*, actor: AnyUser, story: Story, data: dict[str, Any]) -> Story:
    """Edit the draft; any change withdraws both approvals, so each side approves the final text."""
    if not can_edit_story(actor, story):
        raise PermissionDenied
    side = acting_side(actor, story.exchange)
    before = _data(story)
    for name in STORY_FIELDS:
        if name in data:
            setattr(story, name, (data[name] or "").strip())
    if not story.title or not story.summary:
        raise ValidationError(_("A story needs a title and a summary of the exchange."))
    if "topics" in data:
        story.topics.set(Term.objects.filter(scheme="practice-topics", code__in=data["topics"] or []))
    old, new = changed_values(before, _data(story))
    if new:
        story.host_approved_by = story.visitor_approved_by = None
        story.host_approved_at = story.visitor_approved_at = None
        audit_record(
            actor=actor, action="story.updated", obj=story, before=old, after=new, organisation_id=side
        )
    story.save()
    return story


@transaction.atomic
def story_approve(*, actor: AnyUser, story: Story) -> Story:
    """Approve for the actor's organisation; the second approval publishes the story."""
    story = Story.objects.select_for_update().select_related("exchange").get(pk=story.pk)
    if not can_edit_story(actor, story):
        raise ValidationError(_("This story is already published."))
    sides = exchange_sides(actor, story.exchange)
    now = timezone.now()
    if story.exchange.host_id in sides and not story.host_approved_at:
        story.host_approved_by, story.host_approved_at = signed_in(actor), now
    if story.exchange.visitor_id in sides and not story.visitor_approved_at:
        story.visitor_approved_by, story.visitor_approved_at = signed_in(actor), now
    published = bool(story.host_approved_at and story.visitor_approved_at)
    if published:
        story.status, story.published_at = Story.Status.PUBLISHED, now
    story.save()
    side = acting_side(actor, story.exchange)
    audit_record(
        actor=actor, action="story.published" if published else "story.approved", obj=story,
        after={"status": story.status}, organisation_id=side,
    )  # fmt: skip
    other = story.exchange.visitor_id if side == story.exchange.host_id else story.exchange.host_id
    notify(
        memberships=Membership.objects.filter(
            organisation_id__in=[story.exchange.host_id, story.exchange.visitor_id] if published else [other]
        ).select_related("user"),
        kind="story.published" if published else "story.approval",
        params={"title": story.title},
        url=story.get_absolute_url(),
    )
    return story


@transaction.atomic
def story_withdraw(*, actor: AnyUser, story: Story, reason: str) -> Story:
    """Take a published story back to draft (e.g. consent withdrawn); both must approve again."""
    if not can_act_on_exchange(actor, story.exchange):
        raise PermissionDenied
    side = acting_side(actor, story.exchange)
    story.status, story.published_at = Story.Status.DRAFT, None
    story.host_approved_by = story.visitor_approved_by = None
    story.host_approved_at = story.visitor_approved_at = None
    story.save()
    audit_record(actor=actor, action="story.withdrawn", obj=story, reason=reason, organisation_id=side)
    return story

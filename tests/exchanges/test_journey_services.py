"""The whole journey through the services: propose, accept, plan, programme, complete, report, story."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.exchanges import programme, reports, services
from matchmaking.exchanges.models import State
from matchmaking.library import services as library
from matchmaking.library.models import Story
from tests.factories_mobility import exchange, item, pair, visitor_of

pytestmark = pytest.mark.django_db


def test_full_journey_to_published_story(on_day):
    host, visitor, offer, request, host_user, visitor_user = pair()
    start = timezone.localdate() + timedelta(days=30)
    ex = services.exchange_propose(
        actor=visitor_user,
        ours=request,
        other=host,
        theirs=offer,
        message="Hello from Borås",
        start=start,
        end=start + timedelta(days=2),
        group_size=2,
    )
    assert ex.state == State.PROPOSED
    assert ex.host == host
    assert ex.visitor == visitor
    assert ex.time_zone == "Europe/Madrid"
    with pytest.raises(ValidationError, match="Only the organisation that received"):
        services.exchange_accept(actor=visitor_user, exchange=ex)
    ex = services.exchange_accept(actor=host_user, exchange=ex)
    assert ex.state == State.AGREED
    ex = services.exchange_transition(actor=visitor_user, exchange=ex, action="plan")
    with pytest.raises(ValidationError, match="Add the visitors"):
        services.exchange_transition(actor=host_user, exchange=ex, action="confirm")
    maja = programme.visitor_save(actor=visitor_user, exchange=ex, data={"name": "Maja", "role": "Coach"})
    programme.visitor_save(actor=visitor_user, exchange=ex, data={"name": "Tove", "role": "Adviser"})
    with pytest.raises(ValidationError, match="for 2 visitors"):
        programme.visitor_save(actor=visitor_user, exchange=ex, data={"name": "Third"})
    programme.programme_item_save(
        actor=host_user,
        exchange=ex,
        data={
            "day": start,
            "starts_at": "09:00",
            "ends_at": "10:00",
            "activity": "Welcome",
            "format": "meeting",
        },
    )
    personal = programme.programme_item_save(
        actor=host_user,
        exchange=ex,
        data={
            "day": start,
            "starts_at": "10:00",
            "ends_at": "12:00",
            "activity": "Shadow a youth adviser",
            "format": "job-shadowing",
            "visitors": [maja.pk],
        },
    )
    assert [i.activity for i in programme.programme_for(ex, maja)] == ["Welcome", "Shadow a youth adviser"]
    tove = ex.visitors.get(name="Tove")
    assert [i.activity for i in programme.programme_for(ex, tove)] == ["Welcome"]
    assert personal.visitors.count() == 1
    with pytest.raises(ValidationError, match="Only the host"):
        services.exchange_transition(actor=visitor_user, exchange=ex, action="confirm")
    on_day(ex.end)  # the steps that say the visit happened wait for its dates
    for actor, action in [(host_user, "confirm"), (host_user, "start"), (visitor_user, "complete")]:
        ex = services.exchange_transition(actor=actor, exchange=ex, action=action)
    assert ex.state == State.COMPLETED
    assert ex.feedback_prompted_at
    with pytest.raises(ValidationError, match="lessons learnt"):
        services.exchange_transition(actor=host_user, exchange=ex, action="report")
    reports.report_save(
        actor=host_user,
        exchange=ex,
        data={
            "summary": "Three days in Barcelona.",
            "host_lessons": "Tailored activities help\nComparing systems",
            "visitor_lessons": "Early outreach works",
        },
    )
    reports.quote_add(actor=visitor_user, exchange=ex, author_name="Maja", text="Rewarding.", consent=True)
    reports.quote_add(actor=visitor_user, exchange=ex, author_name="Anon", text="Secret.", consent=False)
    ex = services.exchange_transition(actor=host_user, exchange=ex, action="report")
    assert ex.state == State.REPORTED
    story = library.story_create(actor=visitor_user, exchange=ex)
    assert story.status == Story.Status.DRAFT
    assert "Early outreach works" in story.visitor_lessons
    story = library.story_approve(actor=host_user, story=story)
    assert story.status == Story.Status.DRAFT
    story = library.story_approve(actor=visitor_user, story=story)
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at
    from matchmaking.library.selectors import quotes_for

    assert [q.author_name for q in quotes_for(story)] == ["Maja"]


def test_illegal_transitions_are_refused_with_a_message():
    host, visitor, _o, _r, host_user, visitor_user = pair()
    ex = exchange(host, visitor)
    for action in ("plan", "confirm", "start", "complete", "report"):
        with pytest.raises(ValidationError, match="cannot be"):
            services.exchange_transition(actor=host_user, exchange=ex, action=action)
    with pytest.raises(ValidationError, match="reason"):
        services.exchange_decline(actor=host_user, exchange=ex, reason=" ")
    ex = services.exchange_decline(actor=host_user, exchange=ex, reason="No capacity this spring")
    assert ex.state == State.DECLINED
    assert ex.state_reason == "No capacity this spring"
    with pytest.raises(ValidationError):
        services.exchange_cancel(actor=visitor_user, exchange=ex, reason="late")


def test_cancel_from_every_open_state():
    host, visitor, _o, _r, _host_user, visitor_user = pair()
    for state in (State.PROPOSED, State.AGREED, State.PLANNING, State.CONFIRMED, State.UNDER_WAY):
        ex = exchange(
            host, visitor, state=state, start=timezone.localdate() + timedelta(days=200 + 10 * len(state))
        )
        ex = services.exchange_cancel(actor=visitor_user, exchange=ex, reason="Budget cut")
        assert ex.state == State.CANCELLED


def test_outsiders_cannot_act(staff):
    host, visitor, offer, request, _host_user, _v = pair()
    ex = exchange(host, visitor)
    with pytest.raises(PermissionDenied):
        services.exchange_accept(actor=staff, exchange=ex)
    with pytest.raises(PermissionDenied):
        services.message_post(actor=staff, exchange=ex, body="hi")
    with pytest.raises(PermissionDenied):
        services.exchange_propose(
            actor=staff,
            ours=request,
            other=host,
            theirs=offer,
            message="x",
            start=ex.start,
            end=ex.end,
            group_size=1,
        )


def test_capacity_never_exceeded_on_any_day():
    host, visitor, _o, _r, host_user, _v = pair(capacity=4)
    start = timezone.localdate() + timedelta(days=40)
    exchange(host, visitor, state=State.AGREED, start=start, days=3, group_size=3)
    overlapping = exchange(host, visitor, start=start + timedelta(days=2), days=2, group_size=2)
    with pytest.raises(ValidationError, match="exceed"):
        services.exchange_accept(actor=host_user, exchange=overlapping)
    after = exchange(host, visitor, start=start + timedelta(days=3), days=2, group_size=4)
    assert services.exchange_accept(actor=host_user, exchange=after).state == State.AGREED
    # pending proposals hold nothing
    exchange(host, visitor, start=start + timedelta(days=10), group_size=4)
    free = exchange(host, visitor, start=start + timedelta(days=10), group_size=4)
    assert services.exchange_accept(actor=host_user, exchange=free).state == State.AGREED


def test_proposals_expire_and_the_sender_is_told():
    from matchmaking.core.models import Notification
    from matchmaking.exchanges.jobs import exchange_proposals_expiry

    host, visitor, _o, _r, _h, visitor_user = pair()
    ex = exchange(host, visitor)
    ex.expires_at = timezone.now() - timedelta(minutes=1)
    ex.save()
    assert exchange_proposals_expiry(timezone.now()) == "1 proposals expired"
    ex.refresh_from_db()
    assert ex.state == State.EXPIRED
    assert Notification.objects.filter(recipient=visitor_user, kind="exchange.expired").exists()
    assert exchange_proposals_expiry(timezone.now()) == "0 proposals expired"


def test_six_month_follow_up_prompt_once():
    from matchmaking.exchanges.jobs import exchange_follow_up_prompt

    host, visitor, _o, _r, _h, _v = pair()
    exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=200))
    assert exchange_follow_up_prompt(timezone.now()) == "1 follow-up prompts sent"
    assert exchange_follow_up_prompt(timezone.now()) == "0 follow-up prompts sent"


def test_reciprocal_visit_creates_a_draft_request_for_the_host():
    host, visitor, _o, _r, host_user, _visitor_user = pair()
    visitor.expertise.set(host.expertise.all())
    host.interests.set(host.expertise.all())
    ex = exchange(host, visitor, state=State.COMPLETED)
    opp = reports.reciprocal_visit_draft(actor=host_user, exchange=ex)
    assert opp.organisation == host
    assert opp.direction == "request"
    assert opp.status == "draft"
    assert "Reciprocal visit" in ex.report.follow_up_actions


def test_programme_item_rules():
    host, visitor, _o, _r, host_user, _v = pair()
    ex = exchange(host, visitor, state=State.PLANNING)
    with pytest.raises(ValidationError):
        programme.programme_item_save(
            actor=host_user,
            exchange=ex,
            data={
                "day": ex.end + timedelta(days=1),
                "starts_at": "09:00",
                "ends_at": "10:00",
                "activity": "x",
            },
        )
    from datetime import time

    with pytest.raises(ValidationError, match="end after"):
        programme.programme_item_save(
            actor=host_user,
            exchange=ex,
            data={"day": ex.start, "starts_at": time(11), "ends_at": time(10), "activity": "x"},
        )
    other = exchange(host, visitor, state=State.PLANNING)
    stranger = visitor_of(other)
    with pytest.raises(ValidationError):
        programme.programme_item_save(
            actor=host_user,
            exchange=ex,
            data={
                "day": ex.start,
                "starts_at": time(9),
                "ends_at": time(10),
                "activity": "x",
                "visitors": [stranger.pk],
            },
        )
    item(ex)

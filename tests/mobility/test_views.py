"""Every page works for the organisations concerned and answers 404 to any other organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges.models import State
from matchmaking.library.models import Story
from matchmaking.mobility import matching
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, item, opportunity, pair, visitor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    host, visitor, offer, request, host_user, visitor_user = pair()
    outsider = member(Role.ORG_ADMIN, OrganisationFactory(name="Outsider"), email="outsider@example.org")
    ex = exchange(host, visitor, state=State.PLANNING, offer=offer, request=request)
    v = visitor_of(ex)
    it = item(ex)
    return {
        "host": host,
        "visitor": visitor,
        "offer": offer,
        "request": request,
        "host_user": host_user,
        "visitor_user": visitor_user,
        "outsider": outsider,
        "exchange": ex,
        "visitor_record": v,
        "item": it,
    }


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_opportunity_pages(client, world):
    offer = world["offer"]
    for name in ("mobility:opportunity-detail",):
        assert _get(client, world["visitor_user"], reverse(name, args=[offer.key])).status_code == 200
    for name in ("mobility:opportunity-edit", "mobility:suggestions"):
        assert _get(client, world["host_user"], reverse(name, args=[offer.key])).status_code == 200
        assert _get(client, world["outsider"], reverse(name, args=[offer.key])).status_code == 404
    why = reverse("mobility:why-not", args=[offer.key]) + f"?organisation={world['visitor'].key}"
    assert _get(client, world["outsider"], why).status_code == 404
    assert _get(client, world["host_user"], why).status_code == 200


def test_drafts_are_private_to_their_organisation(client, world):
    draft = opportunity(world["host"], status=Opportunity.Status.DRAFT)
    assert _get(client, world["host_user"], draft.get_absolute_url()).status_code == 200
    assert _get(client, world["visitor_user"], draft.get_absolute_url()).status_code == 404


def test_create_edit_pause_and_close(client, world):
    client.force_login(world["host_user"])
    data = {
        "organisation": world["host"].key,
        "direction": "offer",
        "type": "study-visit",
        "description": "Visit our one-stop shop",
        "topics": ["one-stop-shops"],
        "languages": ["en"],
        "earliest": "",
        "latest": "",
        "duration_days": 2,
        "group_size": 4,
        "funding": "erasmus-ka1",
        "activity_code": "SM-JOB-SHDW",
        "support_offered": ["step-free-access"],
    }
    response = client.post(reverse("mobility:opportunity-create"), data)
    assert response.status_code == 302
    opp = Opportunity.objects.get(description="Visit our one-stop shop")
    assert opp.support_offered == ["step-free-access"]
    assert opp.activity_code == "SM-JOB-SHDW"
    bad = client.post(reverse("mobility:opportunity-create"), {**data, "funding": "own"})
    assert bad.status_code == 200
    assert "needs Erasmus+ funding" in bad.content.decode()
    status = reverse("mobility:opportunity-status", args=[opp.key])
    client.post(status, {"status": "paused"})
    opp.refresh_from_db()
    assert opp.status == "paused"
    client.post(status, {"status": "closed"})
    client.post(status, {"status": "paused"})  # illegal: closed → paused
    opp.refresh_from_db()
    assert opp.status == "closed"


def test_search_filters_and_query_count(client, world, django_assert_max_num_queries):
    for n in range(15):
        opportunity(
            OrganisationFactory(country="DE"), topic_codes=("skills-mapping",), description=f"Item {n}"
        )
    client.force_login(world["visitor_user"])
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("mobility:opportunity-list"), {"country": "DE", "topic": "skills-mapping"}
        )
    assert response.status_code == 200
    assert "15 offers and requests found" in response.content.decode()
    htmx = client.get(reverse("mobility:opportunity-list"), {"q": "Item 3"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()


def test_saved_search_alerts_on_new_match(client, world, django_capture_on_commit_callbacks):
    from matchmaking.core.models import Notification
    from matchmaking.mobility import services

    client.force_login(world["visitor_user"])
    client.post(
        reverse("mobility:saved-search-create"),
        {"name": "Outreach", "alerts": "on", "topic": "early-outreach"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_create(
            actor=None,
            organisation=world["host"],
            data={
                "type": "job-shadowing",
                "direction": "offer",
                "topics": ["early-outreach"],
                "languages": ["en"],
            },
        )
    assert (
        Notification.objects.filter(recipient=world["visitor_user"], kind="mobility.saved-search").count()
        == 1
    )


def test_suggestions_come_from_the_engine_with_reasons(client, world):
    matching.refresh()
    client.force_login(world["visitor_user"])
    response = client.get(reverse("mobility:suggestions", args=[world["request"].key]))
    html = response.content.decode()
    assert "Host Org" in html
    assert "They can show" in html
    assert "How the score is made up" in html
    filtered = client.get(reverse("mobility:suggestions", args=[world["request"].key]), {"country": "SE"})
    assert 'href="/mobility/' + world["offer"].key not in filtered.content.decode()
    why = client.get(
        reverse("mobility:why-not", args=[world["request"].key]),
        {"organisation": world["outsider"].memberships.first().organisation.key},
        HTTP_HX_REQUEST="true",
    )
    assert "organisation to invite" in why.content.decode()
    org_wide = client.get(reverse("mobility:organisation-suggestions", args=[world["visitor"].key]))
    assert "Host Org" in org_wide.content.decode()
    assert (
        _get(
            client,
            world["outsider"],
            reverse("mobility:organisation-suggestions", args=[world["visitor"].key]),
        ).status_code
        == 404
    )


def test_why_not_names_the_broken_rule(world):
    far = opportunity(
        OrganisationFactory(name="Far Org"),
        direction="offer",
        earliest=timezone.localdate() + timedelta(days=400),
        latest=timezone.localdate() + timedelta(days=420),
    )
    answer = matching.why_not(world["request"], far.organisation)
    texts = [t for _opp, ts in answer.per_opportunity for t in ts]
    assert any("date windows do not overlap" in t for t in texts)


def test_exchange_pages_and_404_for_others(client, world):
    ex = world["exchange"]
    urls = [
        reverse("exchanges:exchange-detail", args=[ex.pk]),
        reverse("exchanges:programme", args=[ex.pk]),
        reverse("exchanges:programme", args=[ex.pk]) + f"?visitor={world['visitor_record'].pk}",
        reverse("exchanges:programme-ics", args=[ex.pk]),
        reverse("exchanges:visitor-edit", args=[ex.pk, world["visitor_record"].pk]),
        reverse("exchanges:item-edit", args=[ex.pk, world["item"].pk]),
        reverse("exchanges:visitor-add", args=[ex.pk]),
        reverse("exchanges:item-add", args=[ex.pk]),
        reverse("exchanges:report", args=[ex.pk]),
    ]
    for url in urls:
        assert _get(client, world["host_user"], url).status_code == 200, url
        assert _get(client, world["outsider"], url).status_code == 404, url
    for name in (
        "exchanges:exchange-dates",
        "exchanges:message-post",
        "exchanges:reciprocal",
        "exchanges:feedback",
    ):
        client.force_login(world["outsider"])
        assert client.post(reverse(name, args=[ex.pk]), {}).status_code == 404
    assert (
        client.post(
            reverse("exchanges:exchange-transition", args=[ex.pk, "cancel"]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_exchange_list_query_count(client, world, django_assert_max_num_queries):
    for n in range(10):
        exchange(world["host"], world["visitor"], start=timezone.localdate() + timedelta(days=300 + n * 5))
    client.force_login(world["host_user"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("exchanges:exchange-list"))
    assert response.content.decode().count("Visitor Org →") == 11


def test_propose_accept_and_message_through_the_web(client, world):
    client.force_login(world["visitor_user"])
    url = reverse("exchanges:exchange-propose") + f"?ours={world['request'].key}&theirs={world['offer'].key}"
    assert client.get(url).status_code == 200
    start = timezone.localdate() + timedelta(days=60)
    response = client.post(
        reverse("exchanges:exchange-propose"),
        {
            "ours": world["request"].key,
            "theirs": world["offer"].key,
            "message": "Hej!",
            "start": start,
            "end": start + timedelta(days=1),
            "group_size": 2,
        },
    )
    assert response.status_code == 302
    from matchmaking.exchanges.models import Exchange

    ex = Exchange.objects.get(state=State.PROPOSED)
    client.force_login(world["host_user"])
    client.post(reverse("exchanges:message-post", args=[ex.pk]), {"body": "Welcome!"})
    client.post(reverse("exchanges:exchange-transition", args=[ex.pk, "accept"]))
    ex.refresh_from_db()
    assert ex.state == State.AGREED
    assert ex.messages.count() == 2
    # nonsense input never gives a 500
    assert client.post(reverse("exchanges:exchange-transition", args=[ex.pk, "explode"])).status_code == 404
    assert client.post(reverse("exchanges:exchange-dates", args=[ex.pk]), {"start": "x"}).status_code == 302
    assert client.get(reverse("exchanges:exchange-propose") + "?ours=nope").status_code == 404


def test_ics_per_visitor_and_pdf(client, world):
    from icalendar import Calendar

    ex = world["exchange"]
    other = visitor_of(ex, name="Tove Sandberg")
    personal = item(ex, activity="Shadow a youth adviser")
    personal.visitors.set([world["visitor_record"]])
    client.force_login(world["host_user"])
    whole = Calendar.from_ical(client.get(reverse("exchanges:programme-ics", args=[ex.pk])).content)
    assert len(whole.walk("VEVENT")) == 2
    mine = client.get(reverse("exchanges:programme-ics", args=[ex.pk]), {"visitor": other.pk}).content
    events = Calendar.from_ical(mine).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Welcome"]
    assert "Europe/Madrid" in mine.decode()
    pdf = client.get(reverse("exchanges:programme-pdf", args=[ex.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        _get(client, world["outsider"], reverse("exchanges:programme-pdf", args=[ex.pk])).status_code == 404
    )


def test_story_public_only_when_published(client, world):
    from matchmaking.library import services

    ex = exchange(
        world["host"], world["visitor"], state=State.REPORTED, start=timezone.localdate() - timedelta(days=30)
    )
    story = services.story_create(actor=world["host_user"], exchange=ex)
    story.summary = "They shadowed SOC."
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert _get(client, world["outsider"], story.get_absolute_url()).status_code == 404
    assert (
        _get(client, world["outsider"], reverse("library:story-edit", args=[story.slug])).status_code == 404
    )
    client.force_login(world["host_user"])
    client.post(reverse("library:story-approve", args=[story.slug]))
    client.force_login(world["visitor_user"])
    client.post(reverse("library:story-approve", args=[story.slug]))
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 200
    listing = client.get(reverse("library:story-list"), {"country": "ES", "year": ex.start.year})
    assert story.title in listing.content.decode()
    assert client.get(reverse("library:story-list"), {"year": "abc"}).status_code == 200
    pdf = client.get(reverse("library:story-pdf", args=[story.slug]))
    assert pdf.content.startswith(b"%PDF")

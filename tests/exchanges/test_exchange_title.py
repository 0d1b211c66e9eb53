"""An exchange's usual title is written when it is shown, in the reader's language: on its page, and
in the notifications about it (stored as its parts, not as a sentence in the proposer's language).
A title someone gave it is kept as given."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from matchmaking.core.models import Notification
from matchmaking.exchanges import services
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db


def _propose():
    host, _visitor, offer, request, host_user, visitor_user = pair()
    start = timezone.localdate() + timedelta(days=30)
    exchange = services.exchange_propose(
        actor=visitor_user, ours=request, other=host, theirs=offer, message="Hello",
        group_size=2, start=start, end=start + timedelta(days=1),
    )  # fmt: skip
    return exchange, host_user


def test_the_usual_title_is_not_stored_and_reads_in_each_language():
    exchange, _host_user = _propose()
    exchange.refresh_from_db()
    assert exchange.given_title == ""
    names = {"visitor": exchange.visitor.name, "host": exchange.host.name}
    with translation.override("en"):
        assert exchange.title == "Job shadowing: {visitor} visits {host}".format(**names)
    with translation.override("sv"):
        assert "{visitor} besöker {host}".format(**names) in exchange.title
        assert "visits" not in exchange.title
    with translation.override("de"):
        assert "{visitor} besucht {host}".format(**names) in exchange.title


def test_the_notification_names_the_exchange_in_the_readers_language():
    exchange, host_user = _propose()
    notification = Notification.objects.get(kind="exchange.proposed", recipient=host_user)
    assert notification.params["title"] == {
        "type": "job-shadowing",
        "visitor": exchange.visitor.name,
        "host": exchange.host.name,
    }
    with translation.override("sv"):
        title = notification.display_title
    assert f"{exchange.visitor.name} besöker {exchange.host.name}" in title
    assert "visits" not in title
    with translation.override("en"):
        assert f"Job shadowing: {exchange.visitor.name} visits" in notification.display_title


def test_a_given_title_is_kept_as_given():
    exchange, _host_user = _propose()
    exchange.title = "Outreach week in Borås"
    exchange.save()
    exchange.refresh_from_db()
    with translation.override("sv"):
        assert exchange.title == "Outreach week in Borås"
    assert exchange.title_param() == "Outreach week in Borås"

"""The return visit: a draft exchange the other way round (the original host visits), addressed to the
partner, linked to the original, drafted once however often the button is pressed, shown on both
exchanges; its author sends it (an ordinary proposal) or discards it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.models import Notification
from matchmaking.exchanges import changes, reciprocity, services
from matchmaking.exchanges.models import Exchange, State
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


def _completed():
    host, visitor, _o, _r, host_user, visitor_user = pair()
    original = exchange(host, visitor, state=State.COMPLETED, start=timezone.localdate() - timedelta(days=10))
    return host, visitor, original, host_user, visitor_user


def test_the_draft_goes_the_other_way_round_and_is_linked():
    host, visitor, original, host_user, _visitor_user = _completed()
    draft, created = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    assert created
    assert (draft.host, draft.visitor, draft.proposed_by) == (visitor, host, host)
    assert draft.state == State.DRAFT
    assert draft.reciprocal_of == original
    assert draft.days == original.days
    assert draft.group_size == original.group_size
    assert "Reciprocal visit" in original.report.follow_up_actions


def test_a_second_click_opens_the_same_draft_whoever_clicks():
    _host, _visitor, original, host_user, visitor_user = _completed()
    first, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    again, created = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    other_side, created_too = reciprocity.reciprocal_exchange_draft(actor=visitor_user, exchange=original)
    assert not created
    assert not created_too
    assert first == again == other_side
    assert Exchange.objects.filter(reciprocal_of=original).count() == 1


def test_a_discarded_draft_can_be_drafted_again():
    _host, _visitor, original, host_user, _visitor_user = _completed()
    first, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    reciprocity.exchange_discard_draft(actor=host_user, exchange=first)
    second, created = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    assert created
    assert second != first


def test_not_before_the_visit_is_completed():
    host, visitor, _o, _r, host_user, _v = pair()
    agreed = exchange(host, visitor, state=State.AGREED)
    with pytest.raises(ValidationError):
        reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=agreed)
    assert not Exchange.objects.filter(reciprocal_of=agreed).exists()


def test_only_the_author_sends_and_the_partner_is_told_only_then():
    _host, visitor, original, host_user, visitor_user = _completed()
    draft, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    visitor_ids = set(visitor.memberships.values_list("user_id", flat=True))
    assert not Notification.objects.filter(recipient_id__in=visitor_ids, kind="exchange.proposed").exists()
    with pytest.raises(PermissionDenied):
        reciprocity.exchange_send_draft(actor=visitor_user, exchange=draft, message="Hello")
    with pytest.raises(ValidationError):
        reciprocity.exchange_send_draft(actor=host_user, exchange=draft, message=" ")
    sent = reciprocity.exchange_send_draft(actor=host_user, exchange=draft, message="Our turn to visit!")
    assert sent.state == State.PROPOSED
    assert sent.expires_at is not None
    assert Notification.objects.filter(recipient=visitor_user, kind="exchange.proposed").exists()
    # Now an ordinary proposal: the partner (the original visitor, now the host) answers it.
    assert services.allowed_actions(visitor_user, sent)[0] == "accept"
    services.exchange_accept(actor=visitor_user, exchange=sent)


def test_the_partner_cannot_change_or_discard_a_draft():
    _host, _visitor, original, host_user, visitor_user = _completed()
    draft, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    with pytest.raises(PermissionDenied):
        reciprocity.exchange_discard_draft(actor=visitor_user, exchange=draft)
    with pytest.raises(PermissionDenied):
        changes.exchange_update(
            actor=visitor_user, exchange=draft, start=draft.start, end=draft.end, group_size=1
        )
    changes.exchange_update(actor=host_user, exchange=draft, start=draft.start, end=draft.end, group_size=1)
    draft.refresh_from_db()
    assert draft.group_size == 1
    with pytest.raises(ValidationError):
        services.message_post(actor=host_user, exchange=draft, body="Not yet")


def test_a_draft_in_the_past_is_not_sent():
    _host, _visitor, original, host_user, _visitor_user = _completed()
    draft, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    Exchange.objects.filter(pk=draft.pk).update(
        start=timezone.localdate() - timedelta(days=3), end=timezone.localdate() - timedelta(days=2)
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        reciprocity.exchange_send_draft(actor=host_user, exchange=draft, message="Hello")
    assert "end" in caught.value.error_dict
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


# --- Through the pages --------------------------------------------------------------------------------


def test_the_button_twice_opens_one_draft_shown_on_both_exchanges(client):
    _host, _visitor, original, host_user, visitor_user = _completed()
    client.force_login(host_user)
    url = reverse("exchanges:reciprocal", args=[original.pk])
    first = client.post(url)
    second = client.post(url)
    draft = Exchange.objects.get(reciprocal_of=original)
    assert first["Location"] == second["Location"] == draft.get_absolute_url()
    page = client.get(original.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() in page
    assert "Open the return visit" in page
    page = client.get(draft.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in page
    assert reverse("exchanges:draft-send", args=[draft.pk]) in page
    client.force_login(visitor_user)  # the partner sees the draft, without its buttons
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "is preparing this return visit" in page
    assert reverse("exchanges:draft-send", args=[draft.pk]) not in page
    assert client.post(reverse("exchanges:draft-send", args=[draft.pk]), {"message": "x"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_send_and_discard_through_the_pages_and_404_for_another_organisation(client):
    _host, _visitor, original, host_user, _visitor_user = _completed()
    draft, _ = reciprocity.reciprocal_exchange_draft(actor=host_user, exchange=original)
    outsider = member(Role.STAFF, OrganisationFactory(), email="outsider@example.org")
    client.force_login(outsider)
    for name in ("exchanges:draft-send", "exchanges:draft-discard", "exchanges:reciprocal"):
        assert client.post(reverse(name, args=[draft.pk]), {"message": "x"}).status_code == 404
    client.force_login(host_user)
    client.post(reverse("exchanges:draft-send", args=[draft.pk]), {"message": "Our turn to visit!"})
    draft.refresh_from_db()
    assert draft.state == State.PROPOSED
    assert draft.messages.get().body == "Our turn to visit!"

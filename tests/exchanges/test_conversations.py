"""Conversations between two organisations: starting one from a profile, writing, attachments, who may
read them (a third organisation gets 404), notifications and the link to a later exchange."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from matchmaking.core.models import Notification
from matchmaking.exchanges import conversations, services
from matchmaking.exchanges.access import access_conversation
from matchmaking.exchanges.models import ATTACHMENT_MAX_BYTES, Conversation, ConversationMessage
from matchmaking.permissions.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, member
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start(visitor_user, visitor, host, **kwargs):
    return conversations.conversation_start(
        actor=visitor_user, organisation=visitor, other=host, subject="Job shadowing in spring",
        body=kwargs.pop("body", "Hello, could we visit you?"), **kwargs,
    )  # fmt: skip


def test_start_stores_the_pair_once_and_notifies_the_other_organisation():
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    conversation = start(visitor_user, visitor, host)
    assert (conversation.first_id, conversation.second_id) == tuple(sorted((host.pk, visitor.pk)))
    assert conversation.messages.get().organisation_id == visitor.pk
    notes = Notification.objects.filter(kind="conversation.message")
    assert [n.recipient_id for n in notes] == [host_user.pk]
    reply = conversations.conversation_post(actor=host_user, conversation=conversation, body="Welcome!")
    assert reply.organisation_id == host.pk
    assert conversations.conversations_between(host, visitor).count() == 1


def test_nobody_outside_the_two_organisations_writes_or_reads():
    host, visitor, _offer, _request, _host_user, visitor_user = pair()
    conversation = start(visitor_user, visitor, host)
    third = member(Role.ORG_ADMIN, OrganisationFactory(name="Third"))
    with pytest.raises(PermissionDenied):
        conversations.conversation_post(actor=third, conversation=conversation, body="Hi")
    with pytest.raises(Http404):
        access_conversation(third, conversation.pk)
    with pytest.raises(PermissionDenied):  # writing for an organisation one does not belong to
        conversations.conversation_start(actor=third, organisation=visitor, other=host, subject="x", body="y")
    assert conversations.conversations_of(third).count() == 0


def test_empty_messages_and_own_organisation_are_refused():
    host, visitor, _offer, _request, _host_user, visitor_user = pair()
    with pytest.raises(ValidationError):
        start(visitor_user, visitor, host, body="  ")
    with pytest.raises(ValidationError):
        conversations.conversation_start(
            actor=visitor_user, organisation=visitor, other=visitor, subject="x", body="y"
        )


def test_attachments_are_limited_in_type_and_size():
    host, visitor, _offer, _request, _host_user, visitor_user = pair()
    with pytest.raises(ValidationError):
        start(visitor_user, visitor, host, attachment=SimpleUploadedFile("run.exe", b"MZ"))
    big = SimpleUploadedFile("big.pdf", b"0" * (ATTACHMENT_MAX_BYTES + 1), content_type="application/pdf")
    with pytest.raises(ValidationError):
        start(visitor_user, visitor, host, attachment=big)
    assert Conversation.objects.count() == 0


def test_views_contact_button_thread_and_attachment_are_for_the_two_organisations_only(client):
    host, _visitor, _offer, _request, host_user, visitor_user = pair()
    client.force_login(visitor_user)
    contact = reverse("exchanges:conversation-start", args=[host.key])
    assert client.get(contact).status_code == 200
    response = client.post(
        contact,
        {"subject": "Visit", "body": "Hello", "attachment": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert client.get(contact)["Location"] == conversation.get_absolute_url()  # Contact continues it
    message = ConversationMessage.objects.get()
    attachment = reverse("exchanges:conversation-attachment", args=[conversation.pk, message.pk])
    pages = [conversation.get_absolute_url(), attachment]

    client.force_login(host_user)
    assert client.get(conversation.get_absolute_url()).status_code == 200
    downloaded = client.get(attachment)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == b"%PDF-1.4 plan"
    client.post(conversation.get_absolute_url(), {"body": "Welcome"})
    assert conversation.messages.count() == 2
    assert "Visit" in client.get(reverse("exchanges:conversation-list")).content.decode()

    client.force_login(member(Role.STAFF, OrganisationFactory(name="Third")))
    for url in pages:
        assert client.get(url).status_code == 404
    assert client.post(conversation.get_absolute_url(), {"body": "Hi"}).status_code == 404
    assert "Visit" not in client.get(reverse("exchanges:conversation-list")).content.decode()
    client.logout()
    assert client.get(attachment).status_code == 302  # to the sign-in page


def test_a_later_exchange_links_the_conversations_of_the_pair():
    host, visitor, _offer, _request, _host_user, visitor_user = pair()
    conversation = start(visitor_user, visitor, host)
    other = start(visitor_user, visitor, OrganisationFactory(name="Elsewhere"))
    ex = exchange(host, visitor)
    assert conversations.link_to_exchange(exchange=ex) == 1
    assert list(conversations.conversations_of_exchange(ex)) == [conversation]
    other.refresh_from_db()
    assert other.exchange_id is None


def test_proposing_links_the_earlier_conversation_and_the_exchange_page_shows_it(client):
    host, visitor, offer, request, host_user, visitor_user = pair()
    conversation = start(visitor_user, visitor, host)
    ex = services.exchange_propose(
        actor=visitor_user, ours=request, other=host, theirs=offer, message="Shall we?",
        start=timezone.localdate() + timedelta(days=30), end=timezone.localdate() + timedelta(days=32),
        group_size=2,
    )  # fmt: skip
    conversation.refresh_from_db()
    assert conversation.exchange_id == ex.pk
    client.force_login(host_user)
    assert conversation.subject in client.get(ex.get_absolute_url()).content.decode()


def test_a_person_in_two_organisations_chooses_which_one_writes(client):
    host, _visitor, _offer, _request, _host_user, visitor_user = pair()
    second = OrganisationFactory(name="Second home")
    MembershipFactory(user=visitor_user, organisation=second, role=Role.STAFF)
    client.force_login(visitor_user)
    contact = reverse("exchanges:conversation-start", args=[host.key])
    assert "Second home" in client.get(contact).content.decode()
    client.post(contact, {"organisation": second.key, "subject": "Visit", "body": "Hello"})
    assert ConversationMessage.objects.get().organisation_id == second.pk
    assert client.post(contact, {"organisation": "not-mine", "subject": "x", "body": "y"}).status_code == 200
    assert ConversationMessage.objects.count() == 1

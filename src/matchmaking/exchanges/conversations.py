"""Conversations between two organisations: reads and writes.

A conversation may start from an organisation's profile, an offer or a request, before and without any
proposal. Only members of the two organisations read and write it. When a proposal between the two is
made later, their open conversations are linked to the exchange and shown on its page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.exchanges.access import conversation_sides
from matchmaking.exchanges.models import Conversation, ConversationMessage, Exchange
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.permissions.roles import AnyUser, roles_of, signed_in

# --- Reads -----------------------------------------------------------------------------------------


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def conversations_of(user: AnyUser) -> QuerySet[Conversation]:
    """The conversations of the organisations the user belongs to, most recent first."""
    ids = list(roles_of(user))
    if not ids:
        return Conversation.objects.none()
    return Conversation.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).select_related(
        "first", "second"
    )


def conversations_between(a: Organisation | int, b: Organisation | int) -> QuerySet[Conversation]:
    first, second = pair(a if isinstance(a, int) else a.pk, b if isinstance(b, int) else b.pk)
    return Conversation.objects.filter(first_id=first, second_id=second)


def conversations_of_exchange(exchange: Exchange) -> QuerySet[Conversation]:
    """Conversations linked to ``exchange`` (those of the two organisations made before the proposal)."""
    return exchange.conversations.select_related("first", "second")


def messages_of(conversation: Conversation) -> QuerySet[ConversationMessage]:
    return conversation.messages.select_related("organisation", "author")


def acting_side(actor: AnyUser, conversation: Conversation) -> int:
    """The organisation the actor writes for (the first when they belong to both)."""
    sides = conversation_sides(actor, conversation)
    if not sides:
        raise PermissionDenied
    return min(sides)


# --- Writes ----------------------------------------------------------------------------------------


def _check_body(body: str, attachment: UploadedFile | None) -> str:
    body = body.strip()
    if not body and attachment is None:
        raise ValidationError({"body": _("The message is empty.")})
    return body


def _add_message(
    *, actor: AnyUser, conversation: Conversation, side: int, body: str, attachment: UploadedFile | None
) -> ConversationMessage:
    message = ConversationMessage(
        conversation=conversation, organisation_id=side, author=signed_in(actor), body=body
    )
    if attachment is not None:
        message.attachment = attachment
    message.full_clean(exclude=["conversation", "organisation", "author"])
    message.save()
    conversation.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="conversation.message",
        obj=conversation,
        after={"message": message.pk, "attachment": bool(attachment)},
        organisation_id=side,
    )
    other = conversation.other_id(side)
    notify(
        memberships=Membership.objects.filter(organisation_id=other).select_related("user"),
        kind="conversation.message",
        params={"org": Organisation.objects.get(pk=side).name, "title": conversation.subject},
        text=body[:500],
        url=conversation.get_absolute_url(),
    )
    return message


@transaction.atomic
def conversation_start(
    *,
    actor: AnyUser,
    organisation: Organisation,
    other: Organisation,
    subject: str,
    body: str,
    opportunity: Opportunity | None = None,
    attachment: UploadedFile | None = None,
) -> Conversation:
    """A new conversation of ``organisation`` (the actor's) with ``other``, with its first message."""
    if organisation.pk not in roles_of(actor):
        raise PermissionDenied
    if other.pk == organisation.pk:
        raise ValidationError(_("You cannot start a conversation with your own organisation."))
    if other.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("%(org)s is not an active member of the network.") % {"org": other})
    if opportunity is not None and opportunity.organisation_id not in (organisation.pk, other.pk):
        raise ValidationError(_("That offer or request belongs to another organisation."))
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Give the conversation a subject.")})
    body = _check_body(body, attachment)
    first, second = pair(organisation.pk, other.pk)
    conversation = Conversation.objects.create(
        first_id=first,
        second_id=second,
        subject=subject[:200],
        opportunity=opportunity,
        started_by=organisation,
    )
    _add_message(
        actor=actor, conversation=conversation, side=organisation.pk, body=body, attachment=attachment
    )
    return conversation


@transaction.atomic
def conversation_post(
    *, actor: AnyUser, conversation: Conversation, body: str, attachment: UploadedFile | None = None
) -> ConversationMessage:
    side = acting_side(actor, conversation)
    body = _check_body(body, attachment)
    return _add_message(actor=actor, conversation=conversation, side=side, body=body, attachment=attachment)


def link_to_exchange(*, exchange: Exchange) -> int:
    """Link the two organisations' conversations not yet linked to an exchange to ``exchange``."""
    return (
        conversations_between(exchange.host_id, exchange.visitor_id)
        .filter(exchange__isnull=True)
        .update(exchange=exchange)
    )

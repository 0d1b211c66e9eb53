"""API endpoints for conversations between two organisations: the list, one conversation with its
messages, and writing a message. Only members of the two organisations see a conversation (anyone else:
404). Attachments are listed with the address of the permission-checked page that serves them."""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from matchmaking.core.api_schemas import MAX_ID, ErrorOut, FieldErrorsOut, Paging, Shown, no_nul_characters
from matchmaking.exchanges import conversations
from matchmaking.exchanges.access import access_conversation
from matchmaking.exchanges.models import Conversation, ConversationMessage

router = Router(tags=["conversations"])


class ConversationOut(Schema):
    id: int
    subject: str
    organisations: list[str] = Field(description="The keys of the two organisations.")
    opportunity: str | None = Field(None, description="The key of the offer or request it is about.")
    exchange: int | None = Field(None, description="The exchange proposed later between the two, if any.")
    updated_at: datetime


class MessageOut(Schema):
    id: int
    organisation: str = Field(description="The key of the organisation that wrote it.")
    author: str
    body: str
    attachment: str | None = Field(None, description="Where a member of the two organisations downloads it.")
    created_at: datetime


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=10000)


def _conversation_out(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "subject": c.subject,
        "organisations": [c.first.key, c.second.key],
        "opportunity": c.opportunity.key if c.opportunity is not None else None,
        "exchange": c.exchange_id,
        "updated_at": c.updated_at,
    }


def _message_out(m: ConversationMessage) -> dict[str, Any]:
    author = m.author
    return {
        "id": m.pk,
        "organisation": m.organisation.key,
        "author": (getattr(author, "name", "") or author.email) if author is not None else "",
        "body": m.body,
        "attachment": reverse("exchanges:conversation-attachment", args=[m.conversation_id, m.pk])
        if m.attachment
        else None,
        "created_at": m.created_at,
    }


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    if not 0 < conversation_id < MAX_ID:
        raise Http404
    return access_conversation(request.user, conversation_id)


@router.get("/conversations", response=list[ConversationOut])
@paginate(Paging)
def conversation_list(request: HttpRequest) -> Shown[Conversation]:
    """The conversations of the caller's organisations, most recent first."""
    return Shown(
        conversations.conversations_of(request.user).select_related("opportunity"), _conversation_out
    )


@router.get("/conversations/{conversation_id}", response={200: ConversationDetailOut, 404: ErrorOut})
def conversation_detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    conversation = _conversation(request, conversation_id)
    return {
        **_conversation_out(conversation),
        "messages": [_message_out(m) for m in conversations.messages_of(conversation)],
    }


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, 404: ErrorOut, 422: FieldErrorsOut},
)
def message_create(request: HttpRequest, conversation_id: int, payload: MessageIn) -> Status[dict[str, Any]]:
    """Write in the conversation for the caller's organisation (the other one is notified)."""
    conversation = _conversation(request, conversation_id)
    no_nul_characters(payload.dict())
    message = conversations.conversation_post(
        actor=request.user, conversation=conversation, body=payload.body
    )
    return Status(201, _message_out(message))

"""Who may see and act on exchanges and their mobility records. Default deny; ``access_*`` answer 404
alike for missing and forbidden. Coordinators watch exchanges but do not act for members."""

from __future__ import annotations

from django.http import Http404

from matchmaking.exchanges.models import Conversation, ConversationMessage, Exchange, ExchangeChange
from matchmaking.permissions.roles import AnyUser, is_active_user, is_coordinator, roles_of


def exchange_sides(user: AnyUser, exchange: Exchange) -> set[int]:
    """The organisations (host, visitor) of ``exchange`` the user belongs to."""
    roles = roles_of(user)
    return {pk for pk in (exchange.host_id, exchange.visitor_id) if pk in roles}


def can_view_exchange(user: AnyUser, exchange: Exchange) -> bool:
    return is_active_user(user) and (bool(exchange_sides(user, exchange)) or is_coordinator(user))


def can_act_on_exchange(user: AnyUser, exchange: Exchange, side: int | None = None) -> bool:
    """Member of either side (or of ``side`` when given)."""
    sides = exchange_sides(user, exchange)
    return is_active_user(user) and (side in sides if side is not None else bool(sides))


def can_view_visitor_details(user: AnyUser, exchange: Exchange) -> bool:
    """Visitors' names and mobility records: the two organisations only."""
    return can_act_on_exchange(user, exchange)


def access_exchange(user: AnyUser, pk: int) -> Exchange:
    exchange = (
        Exchange.objects.select_related("host", "visitor", "type", "proposed_by", "offer", "request")
        .filter(pk=pk)
        .first()
    )
    if exchange is None or not can_view_exchange(user, exchange):
        raise Http404("No such exchange.")
    return exchange


def access_exchange_for_action(user: AnyUser, pk: int) -> Exchange:
    exchange = access_exchange(user, pk)
    if not can_act_on_exchange(user, exchange):
        raise Http404("No such exchange.")
    return exchange


def can_see_fewer_opportunities(user: AnyUser, exchange: Exchange) -> bool:
    """The "fewer opportunities" flag of a visitor: the sending (visiting) organisation and coordinators.
    The host never sees it."""
    return is_active_user(user) and (exchange.visitor_id in roles_of(user) or is_coordinator(user))


def can_answer_change(user: AnyUser, change: ExchangeChange) -> bool:
    """A proposed change of an agreed exchange is answered by the organisation that did not propose it
    (and never by the person who proposed it)."""
    exchange = change.exchange
    other = exchange.visitor_id if change.proposed_by_id == exchange.host_id else exchange.host_id
    return (
        is_active_user(user)
        and other in exchange_sides(user, exchange)
        and (change.proposed_by_user_id is None or change.proposed_by_user_id != getattr(user, "pk", None))
    )


def access_change_for_answer(user: AnyUser, exchange: Exchange, change_id: int) -> ExchangeChange:
    """The pending or answered change ``change_id`` of ``exchange``, for the side that answers it; 404
    for anyone else, the proposing side included."""
    change = ExchangeChange.objects.filter(pk=change_id, exchange=exchange).first()
    if change is None:
        raise Http404("No such change.")
    change.exchange = exchange
    if not can_answer_change(user, change):
        raise Http404("No such change.")
    return change


# --- Conversations: the members of the two organisations only (coordinators do not read them) ------


def conversation_sides(user: AnyUser, conversation: Conversation) -> set[int]:
    """The organisations of ``conversation`` the user belongs to (an active membership)."""
    roles = roles_of(user)
    return {pk for pk in (conversation.first_id, conversation.second_id) if pk in roles}


def can_view_conversation(user: AnyUser, conversation: Conversation) -> bool:
    return is_active_user(user) and bool(conversation_sides(user, conversation))


def access_conversation(user: AnyUser, pk: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("first", "second", "opportunity", "exchange")
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not can_view_conversation(user, conversation):
        raise Http404("No such conversation.")
    return conversation


def access_conversation_attachment(user: AnyUser, pk: int, message_id: int) -> ConversationMessage:
    conversation = access_conversation(user, pk)
    message = ConversationMessage.objects.filter(pk=message_id, conversation=conversation).first()
    if message is None or not message.attachment:
        raise Http404("No such attachment.")
    return message

"""Who may see and act on exchanges and their mobility records. Default deny; ``access_*`` answer 404
alike for missing and forbidden. Coordinators watch exchanges but do not act for members."""

from __future__ import annotations

from django.http import Http404

from matchmaking.exchanges.models import Exchange
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

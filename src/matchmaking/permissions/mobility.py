"""Rules for offers and requests, suggestions, contact threads, exchanges and stories."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from matchmaking.permissions.base import _active, is_coordinator, is_member, role_in, roles_of

# --- Offers and requests ---------------------------------------------------------------------------


def can_post_opportunities(user: Any, organisation: Any) -> bool:
    """Every member of an organisation may post and manage its offers and requests."""
    return _active(user) and (role_in(user, organisation) is not None or is_coordinator(user))


def can_view_opportunity(user: Any, opportunity: Any) -> bool:
    """Open opportunities are for every member; drafts, paused and closed ones for their own organisation."""
    if not _active(user):
        return False
    if can_post_opportunities(user, opportunity.organisation):
        return True
    return is_member(user) and opportunity.status == "open" and opportunity.organisation.status == "active"


def can_edit_opportunity(user: Any, opportunity: Any) -> bool:
    return can_post_opportunities(user, opportunity.organisation)


def access_opportunity(user: Any, key: str) -> Any:
    from matchmaking.mobility.models import Opportunity

    opportunity = (
        Opportunity.objects.select_related("organisation", "organisation__kind", "type")
        .filter(key=key)
        .first()
    )
    if opportunity is None or not can_view_opportunity(user, opportunity):
        raise Http404("No such opportunity.")
    return opportunity


def access_opportunity_for_edit(user: Any, key: str) -> Any:
    opportunity = access_opportunity(user, key)
    if not can_edit_opportunity(user, opportunity):
        raise Http404("No such opportunity.")
    return opportunity


# --- Exchanges -------------------------------------------------------------------------------------


def exchange_sides(user: Any, exchange: Any) -> set[int]:
    """The organisations (host, visitor) of ``exchange`` the user belongs to."""
    roles = roles_of(user)
    return {pk for pk in (exchange.host_id, exchange.visitor_id) if pk in roles}


def can_view_exchange(user: Any, exchange: Any) -> bool:
    return _active(user) and (bool(exchange_sides(user, exchange)) or is_coordinator(user))


def can_act_on_exchange(user: Any, exchange: Any, side: int | None = None) -> bool:
    """Member of either side (or of ``side`` when given). Coordinators watch but do not act for members."""
    sides = exchange_sides(user, exchange)
    return _active(user) and (side in sides if side is not None else bool(sides))


def can_view_visitor_details(user: Any, exchange: Any) -> bool:
    """Visitors' names and mobility records: the two organisations only."""
    return can_act_on_exchange(user, exchange)


def access_exchange(user: Any, pk: int) -> Any:
    from matchmaking.exchanges.models import Exchange

    exchange = (
        Exchange.objects.select_related("host", "visitor", "type", "proposed_by", "offer", "request")
        .filter(pk=pk)
        .first()
    )
    if exchange is None or not can_view_exchange(user, exchange):
        raise Http404("No such exchange.")
    return exchange


def access_exchange_for_action(user: Any, pk: int) -> Any:
    exchange = access_exchange(user, pk)
    if not can_act_on_exchange(user, exchange):
        raise Http404("No such exchange.")
    return exchange


# --- Stories ---------------------------------------------------------------------------------------


def can_view_story(user: Any, story: Any) -> bool:
    """Published stories are public; drafts are for the two organisations and coordinators."""
    if story.status == "published":
        return True
    return can_view_exchange(user, story.exchange)


def can_edit_story(user: Any, story: Any) -> bool:
    return story.status != "published" and can_act_on_exchange(user, story.exchange)


def access_story(user: Any, slug: str) -> Any:
    from matchmaking.library.models import Story

    story = (
        Story.objects.select_related("exchange", "exchange__host", "exchange__visitor", "exchange__type")
        .filter(slug=slug)
        .first()
    )
    if story is None or not can_view_story(user, story):
        raise Http404("No such story.")
    return story


# --- Mobility records ------------------------------------------------------------------------------


def can_see_fewer_opportunities(user: Any, exchange: Any) -> bool:
    """The "fewer opportunities" flag of a visitor: the sending (visiting) organisation and coordinators.
    The host never sees it."""
    return _active(user) and (exchange.visitor_id in roles_of(user) or is_coordinator(user))


def can_export_mobilities(user: Any) -> bool:
    """Coordinators export every mobility; any member exports its own organisations' mobilities."""
    return _active(user) and is_member(user)


def mobility_export_organisations(user: Any) -> list[int] | None:
    """The organisations whose sent or received mobilities ``user`` may export (None: all of them)."""
    if not can_export_mobilities(user):
        return []
    if is_coordinator(user):
        return None
    return list(roles_of(user))

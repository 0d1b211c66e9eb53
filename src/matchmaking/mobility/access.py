"""Who may post, see and change offers and requests. Default deny; ``access_*`` answer 404 alike for
missing and forbidden."""

from __future__ import annotations

from django.db import models
from django.http import Http404

from matchmaking.mobility.models import Opportunity
from matchmaking.permissions.roles import AnyUser, is_active_user, is_coordinator, is_member, role_in


def can_post_opportunities(user: AnyUser, organisation: models.Model) -> bool:
    """Every member of an organisation may post and manage its offers and requests."""
    return is_active_user(user) and (role_in(user, organisation) is not None or is_coordinator(user))


def can_view_opportunity(user: AnyUser, opportunity: Opportunity) -> bool:
    """Open opportunities are for every member; drafts, paused and closed ones for their own organisation."""
    if not is_active_user(user):
        return False
    if can_post_opportunities(user, opportunity.organisation):
        return True
    return is_member(user) and opportunity.status == "open" and opportunity.organisation.status == "active"


def can_edit_opportunity(user: AnyUser, opportunity: Opportunity) -> bool:
    return can_post_opportunities(user, opportunity.organisation)


def access_opportunity(user: AnyUser, key: str) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_related("organisation", "organisation__kind", "type")
        .filter(key=key)
        .first()
    )
    if opportunity is None or not can_view_opportunity(user, opportunity):
        raise Http404("No such opportunity.")
    return opportunity


def access_opportunity_for_edit(user: AnyUser, key: str) -> Opportunity:
    opportunity = access_opportunity(user, key)
    if not can_edit_opportunity(user, opportunity):
        raise Http404("No such opportunity.")
    return opportunity


def can_see_refresh_status(user: AnyUser) -> bool:
    """The progress of the network-wide suggestion refresh is for coordinators."""
    return is_active_user(user) and is_coordinator(user)


def access_refresh_status(user: AnyUser) -> None:
    """Raise 404 for anyone who may not see the refresh's progress."""
    if not can_see_refresh_status(user):
        raise Http404("No such page.")

"""Sections of other apps' pages that lead into exchanges, rendered by this app.

An offer or request page (mobility, below this app) shows "We want to visit" (an offer) or "We want
to host" (a request) and Contact through ``{% answer_buttons opportunity %}``, so mobility never
imports exchanges.
"""

from __future__ import annotations

from typing import Any

from django import template

from matchmaking.exchanges.counterparts import role_answering
from matchmaking.mobility.models import Opportunity
from matchmaking.permissions.roles import is_active_user, roles_of

register = template.Library()


@register.inclusion_tag("exchanges/partials/answer_buttons.html", takes_context=True)
def answer_buttons(context: template.Context, opportunity: Opportunity) -> dict[str, Any]:
    """The buttons for a member of another organisation: propose in the role that answers the listing,
    or just write to its organisation. Nothing for its own organisation or anyone without one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    others = (
        [pk for pk in roles_of(user) if pk != opportunity.organisation_id] if is_active_user(user) else []
    )
    return {
        "opportunity": opportunity,
        "role": role_answering(opportunity),
        "show": bool(others) and opportunity.status == Opportunity.Status.OPEN,
        "can_contact": bool(others),
    }

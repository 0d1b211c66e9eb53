"""Template filters for suggestions: reasons in the user's language, score parts in plain words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from matchmaking.mobility.access import can_post_opportunities
from matchmaking.mobility.matching import reason_text
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser

register = template.Library()

PART_LABELS = {
    "topics": _("Topics they can show"),
    "target_groups": _("Shared target groups"),
    "reciprocity": _("What you can show them in return"),
    "text": _("Similar descriptions"),
    "novelty": _("A new partner"),
    "semantic": _("Descriptions close in meaning"),
    "place": _("Where you asked to go"),
    "neighbouring_type": _("A neighbouring kind of opportunity"),
    "oversized_group": _("Group larger than their room"),
}


@register.filter
def reason(value: dict[str, Any]) -> str:
    return reason_text(value)


@register.filter
def part_label(name: str) -> str:
    return str(PART_LABELS.get(name, name.replace("_", " ")))


@register.filter
def percent(value: float) -> str:
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return ""


@register.filter
def posts_for(user: AnyUser, organisation: Organisation) -> bool:
    """``{% if user|posts_for:organisation %}``: may the user post offers and requests for it (and so
    see its partner suggestions)? Asks the permission module."""

    return can_post_opportunities(user, organisation)

"""Sections of other apps' pages that show placements data, rendered by this app.

The participant's page (participants app, below this one) shows the placements proposed to the
person through ``{% participant_proposals %}``, so the participants app never imports placements.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from matchmaking.participants.models import Participant, SupportRequirement
from matchmaking.placements.selectors import participant_recent_proposals
from matchmaking.taxonomies.reason_text import render_reason

register = template.Library()


@register.inclusion_tag("placements/partials/participant_proposals.html")
def participant_proposals(participant: Participant, *, can_edit: bool) -> dict[str, Any]:
    """The latest proposals of allocation rounds to the person, with the full placements they could
    be put on the waiting list for."""
    return {
        "participant": participant,
        "can_edit": can_edit,
        "proposals": participant_recent_proposals(participant=participant),
    }


@register.filter
def placement_reason(value: Mapping[str, Any]) -> str:
    """``{{ r|placement_reason }}``: a stored reason of a proposal in the reader's language, support
    needs named as the participant's form names them."""
    return render_reason(value, labels=dict(SupportRequirement.choices))

"""Sections of other apps' pages that show placements data, rendered by this app.

The participant's page (participants app, below this one) shows the placements proposed to the
person through ``{% participant_proposals %}``, so the participants app never imports placements.
"""

from __future__ import annotations

from typing import Any

from django import template

from matchmaking.participants.models import Participant
from matchmaking.placements import fairness_groups
from matchmaking.placements.selectors import participant_recent_proposals
from matchmaking.placements.selectors_people import person_assignments

register = template.Library()


@register.inclusion_tag("placements/partials/participant_proposals.html")
def participant_proposals(participant: Participant, *, can_edit: bool) -> dict[str, Any]:
    """The latest proposals of allocation rounds to the person, with the full placements they could
    be put on the waiting list for."""
    return {
        "participant": participant,
        "can_edit": can_edit,
        "proposals": participant_recent_proposals(participant=participant),
        "assignments": list(person_assignments(participant=participant)[:10]) if can_edit else [],
    }


@register.filter
def fairness_group(group: str, audit: str) -> str:
    """``{{ g.group|fairness_group:name }}``: a fairness report's group in the reader's language."""
    return fairness_groups.group_label(audit, group)


@register.filter
def fairness_audit(audit: str) -> str:
    """``{{ name|fairness_audit }}``: what a fairness table compares, in the reader's language."""
    return fairness_groups.audit_label(audit)

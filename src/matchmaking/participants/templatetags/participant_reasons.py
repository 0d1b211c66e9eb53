"""``{{ r|participant_reason }}``: why a placement was proposed to a participant, in the reader's
language, for the pages of this app and the apps above it (the printable plan summary)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from matchmaking.participants.models import SupportRequirement
from matchmaking.taxonomies.reason_text import render_reason

register = template.Library()


@register.filter
def participant_reason(value: Mapping[str, Any]) -> str:
    """A stored engine reason as a sentence, support needs named as the participant's form names them."""
    return render_reason(value, labels=dict(SupportRequirement.choices))

"""Template filters that show generated sentences in the reader's language: the engine's reasons and
the changes recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from matchmaking.core.audit import AuditChange, action_label, audit_changes
from matchmaking.core.models import AuditEvent
from matchmaking.taxonomies.reason_text import code_label, render_reason

register = template.Library()


@register.filter
def reason(value: Mapping[str, Any]) -> str:
    """``{{ r|reason }}``: a stored engine reason as a sentence in the reader's language."""
    return render_reason(value)


@register.filter
def changes(event: AuditEvent) -> list[AuditChange]:
    """``{% for c in event|changes %}``: the values an audit event recorded, as "Field: before → after"."""
    return audit_changes(event, labels=code_label)


@register.filter
def action(code: str) -> str:
    """An audit action code as words in the reader's language."""
    return action_label(code)

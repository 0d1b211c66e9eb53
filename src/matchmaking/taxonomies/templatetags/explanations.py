"""Template filters that show generated sentences in the reader's language: the engine's reasons, the
changes recorded in the audit trail and the labels of ESCO skills."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import get_language

from matchmaking.core.audit import AuditChange, action_label, audit_changes
from matchmaking.core.models import AuditEvent
from matchmaking.taxonomies.esco import load_esco
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


@register.filter
def esco_label(item: Any) -> str:
    """``{{ skill|esco_label }}``: an ESCO skill (a URI, or anything with ``uri`` and ``label``) by its
    label in the reader's language where the project has one; occupations, unknown URIs and readers of
    English get the label as stored, which is ESCO's English one."""
    if isinstance(item, str):
        uri, stored = item, ""
    elif isinstance(item, Mapping):
        uri, stored = str(item.get("uri") or ""), str(item.get("label") or "")
    else:
        uri, stored = str(getattr(item, "uri", "") or ""), str(getattr(item, "label", "") or "")
    if uri in load_esco().skills:
        return load_esco().skill_label(uri, get_language()) or stored
    return stored or uri.rsplit("/", 1)[-1]

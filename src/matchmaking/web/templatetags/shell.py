"""Template helpers of the application shell."""

from __future__ import annotations

from django import template
from django.forms import BaseForm

from matchmaking.core.audit import action_label
from matchmaking.taxonomies.countries import country_name

register = template.Library()


@register.filter
def plain_labels(form: BaseForm) -> BaseForm:
    """Render labels without Django's trailing colon (forms from other apps, e.g. allauth's)."""
    form.label_suffix = ""
    return form


@register.filter
def country(code: str) -> str:
    """A country code as the country's name in the reader's language."""
    from django.utils.translation import get_language

    return country_name(code or "", get_language() or "en")


@register.filter
def audit_action(action: str) -> str:
    """An audit action code (``organisation.updated``) as words, translated where we have the words."""

    return action_label(action)

"""Template helpers of the application shell."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def plain_labels(form: Any) -> Any:
    """Render labels without Django's trailing colon (forms from other apps, e.g. allauth's)."""
    form.label_suffix = ""
    return form

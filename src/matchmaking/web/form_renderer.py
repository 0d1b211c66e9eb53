"""The form renderer: Django's templates, except that a select's options are written in Python.

A list page's filters hold about 260 options (143 NUTS regions, 44 topics, the languages, the
countries …), and Django renders each option through two templates of its own (the option and its
attributes): 80 ms of a 140 ms opportunity list at network size, for markup that never changes
shape. Here Django's ``select.html`` and ``select_option.html`` are reproduced character for
character (a test renders selects of every kind both ways and compares them); a widget with a
template of its own still goes through the templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with selects of the default templates written directly."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == SELECT and isinstance(widget, Mapping) and _plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)


def _plain_options(widget: Mapping[str, Any]) -> bool:
    return all(o.get("template_name") == OPTION for _, options, _ in widget["optgroups"] for o in options)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, the name alone for True, none for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(value)}"')
    return "".join(out)


def select_html(widget: Mapping[str, Any]) -> SafeString:
    """``select.html`` with its options, as the templates write them; every name, value and label
    escaped as the template language escapes them."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # every name, value and label escaped above

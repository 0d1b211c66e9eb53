"""The API's documentation page: the OpenAPI schema rendered on the server, in the site's own layout.

Every operation with its parameters, its body and its answers, and every schema with its fields, as
headings, lists and tables: no script, nothing from another site, readable with a screen reader and the
keyboard alone (the interactive documentation tools that ship with django-ninja are none of these).
The machine-readable schema stays at ``/api/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")
REF = "#/components/schemas/"


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str = ""
    rules: list[str] = field(default_factory=list)
    schema: str = ""  # the component schema the type refers to, if any


@dataclass
class Answer:
    status: str
    description: str
    schema: str = ""
    type: str = ""


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body: list[Field]
    body_schema: str
    answers: list[Answer]


@dataclass
class Tag:
    name: str
    operations: list[Operation]


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field]


def _ref_name(ref: str) -> str:
    return ref.removeprefix(REF)


def type_label(spec: dict[str, Any]) -> tuple[str, str]:
    """(A short label for a JSON Schema type, the component schema it refers to or "")."""
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        return name, name
    for combiner in ("anyOf", "oneOf", "allOf"):
        if combiner in spec:
            parts = [type_label(s) for s in spec[combiner]]
            labels = [label for label, _ref in parts if label != "null"]
            nullable = len(labels) < len(parts)
            joiner = _(" and ") if combiner == "allOf" else _(" or ")
            label = joiner.join(dict.fromkeys(labels))
            refs = [ref for _label, ref in parts if ref]
            shown = _("%(type)s or null") % {"type": label} if nullable else label
            return shown, (refs[0] if len(refs) == 1 else "")
    kind = spec.get("type", "")
    if isinstance(kind, list):
        return _(" or ").join(kind), ""
    if kind == "array":
        inner, ref = type_label(spec.get("items", {}))
        return _("list of %(type)s") % {"type": inner}, ref
    if kind == "object" and "additionalProperties" in spec:
        inner, ref = (
            type_label(spec["additionalProperties"])
            if isinstance(spec["additionalProperties"], dict)
            else ("any", "")
        )
        return _("object of %(type)s") % {"type": inner}, ref
    if "format" in spec:
        return f"{kind or 'string'} ({spec['format']})", ""
    return kind or "any", ""


RULES = {
    "minLength": gettext_lazy("at least %(n)s characters"),
    "maxLength": gettext_lazy("at most %(n)s characters"),
    "minimum": gettext_lazy("at least %(n)s"),
    "maximum": gettext_lazy("at most %(n)s"),
    "exclusiveMinimum": gettext_lazy("more than %(n)s"),
    "exclusiveMaximum": gettext_lazy("less than %(n)s"),
    "minItems": gettext_lazy("at least %(n)s items"),
    "maxItems": gettext_lazy("at most %(n)s items"),
    "pattern": gettext_lazy("matches %(n)s"),
}


def _one_of(values: list[Any]) -> str:
    return _("one of: %(values)s") % {"values": ", ".join(map(str, values))}


def rules_of(spec: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """The constraints a value must meet, in words; an enumeration lists its values."""
    if "$ref" in spec:
        target = components.get(_ref_name(spec["$ref"]), {})
        return [_one_of(target["enum"])] if "enum" in target else []
    out = []
    for combiner in ("anyOf", "oneOf", "allOf"):
        for part in spec.get(combiner, []):
            out += rules_of(part, components)
    if "enum" in spec:
        out.append(_one_of(spec["enum"]))
    out += [str(text) % {"n": spec[key]} for key, text in RULES.items() if key in spec]
    if "default" in spec and spec["default"] not in (None, "", [], {}):
        out.append(_("default %(value)s") % {"value": spec["default"]})
    return list(dict.fromkeys(out))


def fields_of(schema: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    out = []
    for name, spec in schema.get("properties", {}).items():
        label, ref = type_label(spec)
        if ref and "enum" in components.get(ref, {}):
            label, ref = components[ref].get("type", "string"), ""
        out.append(
            Field(
                name=name,
                type=label,
                required=name in required,
                description=spec.get("description", ""),
                rules=rules_of(spec, components),
                schema=ref,
            )
        )
    return out


def _resolve(spec: dict[str, Any], components: dict[str, Any]) -> tuple[dict[str, Any], str]:
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        return components.get(name, {}), name
    return spec, ""


def describe(schema: dict[str, Any]) -> tuple[list[Tag], list[Schema]]:
    """The operations of an OpenAPI schema grouped by tag (in the schema's order), and its schemas."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    tags: dict[str, list[Operation]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method in METHODS:
            op = methods.get(method)
            if op is None:
                continue
            parameters = []
            for p in op.get("parameters", []):
                spec = p.get("schema", {})
                label, ref = type_label(spec)
                parameters.append(
                    Field(
                        name=f"{p['name']} ({p['in']})",
                        type=label,
                        required=p.get("required", False),
                        description=p.get("description", spec.get("description", "")),
                        rules=rules_of(spec, components),
                        schema=ref,
                    )
                )
            body: list[Field] = []
            body_schema = ""
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                resolved, body_schema = _resolve(media.get("schema", {}), components)
                body = fields_of(resolved, components)
                break
            answers = []
            for status, answer in op.get("responses", {}).items():
                media_types: list[dict[str, Any]] = list(answer.get("content", {}).values())
                spec = media_types[0].get("schema", {}) if media_types else {}
                label, ref = type_label(spec) if spec else ("", "")
                answers.append(Answer(str(status), answer.get("description", ""), ref, label))
            answers.sort(key=lambda a: a.status)
            description = op.get("description", "")
            summary = op.get("summary", "")
            tag = (op.get("tags") or ["other"])[0]
            tags.setdefault(tag, []).append(
                Operation(
                    id=op.get("operationId", f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=summary,
                    description=description,
                    parameters=parameters,
                    body=body,
                    body_schema=body_schema,
                    answers=answers,
                )
            )
    schemas = [
        Schema(name, spec.get("description", ""), fields_of(spec, components))
        for name, spec in sorted(components.items())
        if "properties" in spec
    ]
    return [Tag(name, operations) for name, operations in tags.items()], schemas


class SchemaPage(DocsBase):
    """The page at ``/api/docs``."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        tags, schemas = describe(schema)
        context = {
            "title": schema["info"]["title"],
            "version": schema["info"]["version"],
            "description": schema["info"].get("description", ""),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "tags": tags,
            "schemas": schemas,
            "operation_count": sum(len(t.operations) for t in tags),
        }
        return render(request, "api/docs.html", context)

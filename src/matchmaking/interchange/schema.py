"""JSON Schema of the interchange format, one per version.

Structure only (types, required keys, no unknown keys); meaning — known codes, real countries, dates in
order, references that resolve — is checked in ``document`` so messages can name the record at fault.
"""

from __future__ import annotations

from typing import Any

CURRENT_VERSION = 1
SUPPORTED_VERSIONS = (1,)

_STRING_LIST = {"type": "array", "items": {"type": "string"}}
_ID = {"type": "string", "minLength": 1, "maxLength": 100}

ORGANISATION_V1: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "kind", "country"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "kind": {"type": "string"},
        "country": {"type": "string"},
        "region": {"type": ["string", "null"]},
        "city": {"type": "string", "maxLength": 100},
        "languages": _STRING_LIST,
        "target_groups": _STRING_LIST,
        "expertise": _STRING_LIST,
        "interests": _STRING_LIST,
        "hosting_capacity": {"type": "integer", "minimum": 0, "maximum": 1000},
        "description": {"type": "string"},
        "website": {"type": "string", "maxLength": 200},
        "erasmus_id": {"type": ["string", "null"]},
        "erasmus_accreditation": {"type": "string", "maxLength": 200},
    },
}

OPPORTUNITY_V1: dict[str, Any] = {
    "type": "object",
    "required": ["id", "organisation", "type", "direction"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "organisation": _ID,
        "type": {"type": "string"},
        "direction": {"type": "string"},
        "topics": _STRING_LIST,
        "target_groups": _STRING_LIST,
        "languages": _STRING_LIST,
        "earliest": {"type": "string"},
        "latest": {"type": "string"},
        "duration_days": {"type": "integer", "minimum": 1, "maximum": 366},
        "group_size": {"type": "integer", "minimum": 1, "maximum": 500},
        "description": {"type": "string"},
    },
}

DOCUMENT_V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Mobility Matchmaking Tool interchange format, version 1",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "format_version": {"const": 1},
        "organisations": {"type": "array", "items": ORGANISATION_V1},
        "opportunities": {"type": "array", "items": OPPORTUNITY_V1},
    },
}

SCHEMAS: dict[int, dict[str, Any]] = {1: DOCUMENT_V1}

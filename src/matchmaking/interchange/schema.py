"""JSON Schema of the interchange format, one per version.

Structure only (types, required keys, no unknown keys); meaning — known codes, real countries, dates in
order, references that resolve — is checked in ``document`` so messages can name the record at fault.
"""

from __future__ import annotations

from typing import Any

CURRENT_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)

MAX_TEXT = 10_000
"""The longest free text (a description, notes, a report's part), in characters."""

_STRING_LIST = {"type": "array", "items": {"type": "string", "maxLength": MAX_TEXT}}
_LONG_TEXT = {"type": "string", "maxLength": MAX_TEXT}
_CODE = {"type": "string", "maxLength": 100}  # a code of a code list, a country, a date or a time
_ID = {"type": "string", "minLength": 1, "maxLength": 100}

ORGANISATION_V1: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "kind", "country"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "kind": _CODE,
        "country": _CODE,
        "region": {"type": ["string", "null"]},
        "city": {"type": "string", "maxLength": 100},
        "languages": _STRING_LIST,
        "target_groups": _STRING_LIST,
        "expertise": _STRING_LIST,
        "interests": _STRING_LIST,
        "hosting_capacity": {"type": "integer", "minimum": 0, "maximum": 1000},
        "description": _LONG_TEXT,
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
        "type": _CODE,
        "direction": _CODE,
        "topics": _STRING_LIST,
        "target_groups": _STRING_LIST,
        "languages": _STRING_LIST,
        "earliest": _CODE,
        "latest": _CODE,
        "duration_days": {"type": "integer", "minimum": 1, "maximum": 366},
        "group_size": {"type": "integer", "minimum": 1, "maximum": 500},
        "description": _LONG_TEXT,
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

_DATE = _CODE
_DATE_OR_NULL = {"type": ["string", "null"]}
_TIME = _CODE
_TEXT = _LONG_TEXT

VISITOR_V2: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "name": {"type": "string", "minLength": 1, "maxLength": 150},
        "email": {"type": "string", "maxLength": 254},
        "role": {"type": "string", "maxLength": 200},
        "learning_goals": _TEXT,
        "kind": _CODE,
        "accompanying": {"type": "boolean"},
        "fewer_opportunities": {"type": "boolean"},
        "start": _DATE_OR_NULL,
        "end": _DATE_OR_NULL,
    },
}

PROGRAMME_ITEM_V2: dict[str, Any] = {
    "type": "object",
    "required": ["day", "starts_at", "ends_at", "activity"],
    "additionalProperties": False,
    "properties": {
        "day": _DATE,
        "starts_at": _TIME,
        "ends_at": _TIME,
        "activity": {"type": "string", "minLength": 1, "maxLength": 200},
        "format": _CODE,
        "host_person": {"type": "string", "maxLength": 150},
        "location": {"type": "string", "maxLength": 200},
        "notes": _TEXT,
        "visitors": {"type": "array", "items": _ID},
    },
}

REPORT_V2: dict[str, Any] = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        "summary": _TEXT,
        "outcomes": _TEXT,
        "host_lessons": _STRING_LIST,
        "visitor_lessons": _STRING_LIST,
        "follow_up_actions": _STRING_LIST,
        "host_feedback": _CODE,
        "visitor_feedback": _CODE,
        "host_follow_up": _CODE,
        "visitor_follow_up": _CODE,
    },
}

EXCHANGE_V2: dict[str, Any] = {
    "type": "object",
    "required": ["id", "type", "start", "end"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "host": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
        "visitor": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
        "proposed_by": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
        "offer": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
        "request": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
        "type": _CODE,
        "title": {"type": "string", "maxLength": 200},
        "state": _CODE,
        "state_reason": _TEXT,
        "start": _DATE,
        "end": _DATE,
        "group_size": {"type": "integer", "minimum": 1, "maximum": 500},
        "funding": _CODE,
        "activity_code": _CODE,
        "time_zone": {"type": "string", "maxLength": 64},
        "green_travel": {"type": "boolean"},
        "blended": {"type": "boolean"},
        "force_majeure": {"type": "boolean"},
        "visitors": {"type": "array", "items": VISITOR_V2},
        "programme": {"type": "array", "items": PROGRAMME_ITEM_V2},
        "report": REPORT_V2,
    },
}

DOCUMENT_V2: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Mobility Matchmaking Tool interchange format, version 2",
    "type": "object",
    "required": ["format_version"],
    "additionalProperties": False,
    "properties": {
        "format_version": {"const": 2},
        "organisations": {"type": "array", "items": ORGANISATION_V1},
        "opportunities": {"type": "array", "items": OPPORTUNITY_V1},
        "exchanges": {"type": "array", "items": EXCHANGE_V2},
    },
}

SCHEMAS: dict[int, dict[str, Any]] = {1: DOCUMENT_V1, 2: DOCUMENT_V2}

"""A JSON field for documents the database stores and returns but never looks inside.

PostgreSQL's ``jsonb`` (Django's ``JSONField``) takes every document apart into its binary form on
write, so that it can be searched and indexed. Stored suggestions are written by the hundred thousand
in a full refresh and only ever read back whole: building ``jsonb`` was most of PostgreSQL's work per
row (``COPY`` of 75,050 suggestion rows: 1.8–2.5 s into ``jsonb``, 1.2–1.3 s into ``json``, see
docs/benchmarks.md). PostgreSQL's ``json`` keeps the text as written and still checks that it is
JSON, so what the column holds stays valid; SQLite keeps Django's own column (text checked with
``json_valid``). Reading back gives the same Python values as ``JSONField``.

A query can still read a key or an index of a document (``values("reasons__0__code")``: ``json`` has
the same ``->`` operators), but not filter on one: ``json`` has no equality or containment, and
nothing filters on these fields.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class WrittenJSONField(models.JSONField):
    """``JSONField`` stored as PostgreSQL ``json``: the document as written, checked, never parsed
    into ``jsonb``. Elsewhere it is Django's ``JSONField`` unchanged."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from django.db.backends.postgresql.operations import get_json_dumps
        from psycopg.types.json import Json

        if not prepared:
            value = self.get_prep_value(value)
        # Sent as ``json``: a ``jsonb`` parameter would be built as ``jsonb`` and cast back.
        return Json(value, dumps=get_json_dumps(self.encoder))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        # psycopg decodes ``json`` values itself (Django has it hand over only ``jsonb`` as text).
        if connection.vendor == "postgresql":
            return value
        return super().from_db_value(value, expression, connection)

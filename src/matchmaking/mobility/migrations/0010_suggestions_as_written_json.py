"""Stored suggestions' breakdowns and reasons as PostgreSQL ``json`` rather than ``jsonb``.

The column changes on PostgreSQL only (``ALTER … TYPE json``, a rewrite of the table: seconds at
750,000 rows). On SQLite the column is the same text checked as JSON before and after, so the
table is not copied again: the change is to Django's state alone there.
"""

import matchmaking.core.json_documents
from django.db import migrations

_COLUMNS = ("parts", "reasons")


def _retype(to: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model("mobility", "Suggestion")
        quote = schema_editor.quote_name
        changes = ", ".join(f"ALTER COLUMN {quote(c)} TYPE {to} USING {quote(c)}::{to}" for c in _COLUMNS)
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} {changes}")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("mobility", "0009_suggested_records_unchecked"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="suggestion",
                    name=name,
                    field=matchmaking.core.json_documents.WrittenJSONField(default=list),
                )
                for name in _COLUMNS
            ],
            database_operations=[migrations.RunPython(_retype("json"), _retype("jsonb"))],
        ),
    ]

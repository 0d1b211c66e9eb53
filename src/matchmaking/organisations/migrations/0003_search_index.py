"""Full-text search over the organisations' search text: PostgreSQL full-text search (a GIN index, with the
``unaccent`` extension) or an SQLite FTS5 table (see ``taxonomies.search_index``). The stored texts are
brought to the words-only form first, so that both databases split them into the same words."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

from matchmaking.taxonomies import search_index, search_text

TABLE = "organisations_organisation"


def words_only(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    changed = []
    for row in Organisation.objects.only("pk", "search_text").iterator(chunk_size=2000):
        text = search_text.build(row.search_text.split(" | "))
        if text != row.search_text:
            row.search_text = text
            changed.append(row)
    Organisation.objects.bulk_update(changed, ["search_text"], batch_size=500)


def install(apps, schema_editor):
    search_index.install_unaccent(schema_editor.connection)
    search_index.install(schema_editor.connection, TABLE)


def uninstall(apps, schema_editor):
    search_index.uninstall(schema_editor.connection, TABLE)
    search_index.drop_unaccent(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_search_text"),
    ]

    operations = [
        UnaccentExtension(),  # PostgreSQL only (nothing on SQLite)
        migrations.RunPython(words_only, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]

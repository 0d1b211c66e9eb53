"""Full-text search over the opportunities' search text: PostgreSQL full-text search (a GIN index) or an
SQLite FTS5 table (see ``taxonomies.search_index``; the ``unaccent`` extension and its wrapper come with
the organisations' migration 0003). The stored texts are brought to the words-only form first."""

from django.db import migrations

from matchmaking.taxonomies import search_index, search_text

TABLE = "mobility_opportunity"


def words_only(apps, schema_editor):
    Opportunity = apps.get_model("mobility", "Opportunity")
    changed = []
    for row in Opportunity.objects.only("pk", "search_text").iterator(chunk_size=2000):
        text = search_text.build(row.search_text.split(" | "))
        if text != row.search_text:
            row.search_text = text
            changed.append(row)
    Opportunity.objects.bulk_update(changed, ["search_text"], batch_size=500)


def install(apps, schema_editor):
    search_index.install(schema_editor.connection, TABLE)


def uninstall(apps, schema_editor):
    search_index.uninstall(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0004_description_vectors"),
        ("organisations", "0003_search_index"),
    ]

    operations = [
        migrations.RunPython(words_only, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]

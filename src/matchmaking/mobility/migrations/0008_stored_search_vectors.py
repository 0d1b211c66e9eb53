"""On PostgreSQL, the opportunities' search vectors become a stored column with its GIN index, in place
of the index on the expression (see ``taxonomies.search_index``). Nothing changes on SQLite."""

from django.db import migrations

from matchmaking.taxonomies import search_index

TABLE = "mobility_opportunity"


def install(apps, schema_editor):
    search_index.install(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0007_suggestion_list_unchanged"),
        ("organisations", "0005_stored_search_vectors"),
    ]

    operations = [
        # Going back leaves the column and its index in place: 0005's own reversal removes them.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]

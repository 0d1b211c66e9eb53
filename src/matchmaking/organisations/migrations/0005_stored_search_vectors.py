"""On PostgreSQL, the organisations' search vectors become a stored column with its GIN index, in place
of the index on the expression (see ``taxonomies.search_index``). Nothing changes on SQLite."""

from django.db import migrations

from matchmaking.taxonomies import search_index

TABLE = "organisations_organisation"


def install(apps, schema_editor):
    search_index.install(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_list_indexes"),
    ]

    operations = [
        # Going back leaves the column and its index in place: 0003's own reversal removes them.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]

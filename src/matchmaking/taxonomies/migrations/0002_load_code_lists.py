"""Load the code lists, languages and NUTS regions from the data files in the repository."""

from django.db import migrations

from matchmaking.taxonomies.services import taxonomy_sync


def load(apps, schema_editor):
    taxonomy_sync(
        term_model=apps.get_model("taxonomies", "Term"), region_model=apps.get_model("taxonomies", "Region")
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

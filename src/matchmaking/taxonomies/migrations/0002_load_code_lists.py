"""Load the code lists, languages and NUTS regions from the data files in the repository."""

from django.db import migrations


def load(apps, schema_editor):
    from matchmaking.taxonomies.services import taxonomy_sync

    taxonomy_sync(
        term_model=apps.get_model("taxonomies", "Term"), region_model=apps.get_model("taxonomies", "Region")
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

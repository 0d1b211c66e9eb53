"""The list's index carries the organisation, so the count of a page of visible listings is read from the
index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mobility', '0010_suggestions_as_written_json'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='opportunity',
            name='opportunity_list_idx',
        ),
        migrations.AddIndex(
            model_name='opportunity',
            index=models.Index(fields=['status', 'earliest', 'key', 'organisation'], name='opportunity_list_idx'),
        ),
    ]

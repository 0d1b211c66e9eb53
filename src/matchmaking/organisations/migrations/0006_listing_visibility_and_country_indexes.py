"""The organisations not active (left out of every member's listings) and the active ones' countries,
each read from an index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0005_stored_search_vectors'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(condition=models.Q(('status', 'active'), _negated=True), fields=['id'], name='organisation_not_active_idx'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['status', 'country'], name='organisation_country_idx'),
        ),
    ]

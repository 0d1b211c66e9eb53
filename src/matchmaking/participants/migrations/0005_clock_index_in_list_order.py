"""The clock index ends with the list's order, so the overdue people are read in the clock order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0004_list_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='participant',
            name='participant_clock_all_idx',
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['status', 'clock_stopped_on', 'clock_due_on', 'registered_on', 'pseudonym'], name='participant_clock_all_idx'),
        ),
    ]

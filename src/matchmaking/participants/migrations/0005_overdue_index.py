"""The running clocks in the list's order, so the overdue people of a caseload are read in the clock
order and a page stops after its rows."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0004_list_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(condition=models.Q(('clock_stopped_on__isnull', True)), fields=['status', 'clock_due_on', 'registered_on', 'pseudonym'], name='participant_overdue_idx'),
        ),
    ]

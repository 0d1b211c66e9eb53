"""The participant lists' own order as an index: status, then oldest registration first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_participant_clock_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["status", "registered_on", "pseudonym"], name="participant_list_idx"),
        ),
    ]

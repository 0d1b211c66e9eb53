"""A return visit is an exchange the other way round, linked to the one it returns (``reciprocal_of``);
it starts as a draft (the new state ``draft``) that its proposer sends when ready."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0005_conversations")]

    operations = [
        migrations.AddField(
            model_name="exchange",
            name="reciprocal_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reciprocals",
                to="exchanges.exchange",
                verbose_name="return visit of",
            ),
        ),
        migrations.AlterField(
            model_name="exchange",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft, not sent"),
                    ("proposed", "Proposed"),
                    ("agreed", "Agreed"),
                    ("planning", "Planning"),
                    ("confirmed", "Confirmed"),
                    ("under-way", "Under way"),
                    ("completed", "Completed"),
                    ("reported", "Reported"),
                    ("declined", "Declined"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired"),
                ],
                default="proposed",
                max_length=12,
                verbose_name="state",
            ),
        ),
    ]

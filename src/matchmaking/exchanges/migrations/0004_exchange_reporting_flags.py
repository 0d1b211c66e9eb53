"""The Erasmus+ reporting flags of an exchange's mobilities: green travel, blended, force majeure."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0003_exchange_change")]

    operations = [
        migrations.AddField(
            model_name="exchange",
            name="blended",
            field=models.BooleanField(
                default=False,
                help_text="The physical visit has a virtual component: online before, during or after it.",
                verbose_name="blended mobility",
            ),
        ),
        migrations.AddField(
            model_name="exchange",
            name="force_majeure",
            field=models.BooleanField(
                default=False,
                help_text="The mobility was cut short, changed or cancelled for reasons beyond anyone's control.",
                verbose_name="force majeure",
            ),
        ),
        migrations.AddField(
            model_name="exchange",
            name="green_travel",
            field=models.BooleanField(
                default=False,
                help_text="Most of the journey by low-emission means: train, bus, car-sharing.",
                verbose_name="green travel",
            ),
        ),
    ]

"""A stable identifier per exchange, for the interchange format (version 2)."""

from django.db import migrations, models

import matchmaking.exchanges.models
import matchmaking.organisations.models


def fill_keys(apps, schema_editor):
    Exchange = apps.get_model("exchanges", "Exchange")
    for exchange in Exchange.objects.filter(key__isnull=True).only("pk"):
        exchange.key = f"exchange-{exchange.pk}"
        exchange.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ("exchanges", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="exchange",
            name="key",
            field=models.CharField(max_length=100, null=True, verbose_name="identifier"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exchange",
            name="key",
            field=models.CharField(
                default=matchmaking.exchanges.models.new_exchange_key,
                max_length=100,
                unique=True,
                validators=[matchmaking.organisations.models.record_id_validator],
                verbose_name="identifier",
            ),
        ),
    ]

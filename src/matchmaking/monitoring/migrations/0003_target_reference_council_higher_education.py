"""Targets cite the text that sets them. The Council's rows cite the Recommendation "Europe on the
Move" (OJ C/2024/3364), which also sets the higher-education target: 23 % of higher-education
graduates with a learning mobility by 2030. The partnership's rows cite its commitment (seed 003)."""

from decimal import Decimal

from django.db import migrations, models

COUNCIL = (
    "Council Recommendation of 13 May 2024 'Europe on the Move' – learning mobility opportunities "
    "for everyone (OJ C, C/2024/3364, 14.6.2024)"
)
PARTNERSHIP = "Regional Skills Partnership for Lifelong Learning Mobility (Pact for Skills), commitments"


def cite(apps, schema_editor):
    target = apps.get_model("monitoring", "Target")
    target.objects.filter(source="council", reference="").update(reference=COUNCIL)
    target.objects.filter(source="partnership", reference="").update(reference=PARTNERSHIP)
    target.objects.get_or_create(
        indicator="higher-education-graduates-mobility",
        year=2030,
        source="council",
        defaults={"value": Decimal("23"), "reference": COUNCIL},
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_targets_2030")]

    operations = [
        migrations.AddField(
            model_name="target",
            name="reference",
            field=models.CharField(
                blank=True,
                help_text="The text that sets the target (title, date, official reference).",
                max_length=300,
                verbose_name="reference",
            ),
        ),
        migrations.RunPython(cite, migrations.RunPython.noop),
    ]

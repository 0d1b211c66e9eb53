"""The 2030 targets known when monitoring started: the partnership's 20 % of VET learners on mobility
and 20 % of mobilities for people with fewer opportunities; the Council Recommendation "Europe on the
Move" (13 May 2024): 12 % of VET learners. The coordinator edits them, and adds other years."""

from decimal import Decimal

from django.db import migrations

TARGETS = [
    ("vet-learners-on-mobility", 2030, "partnership", Decimal("20")),
    ("vet-learners-on-mobility", 2030, "council", Decimal("12")),
    ("fewer-opportunities-share", 2030, "partnership", Decimal("20")),
]


def add_targets(apps, schema_editor):
    target = apps.get_model("monitoring", "Target")
    for indicator, year, source, value in TARGETS:
        target.objects.get_or_create(indicator=indicator, year=year, source=source, defaults={"value": value})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]

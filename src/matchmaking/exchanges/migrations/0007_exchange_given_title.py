"""An exchange's usual title ("Job shadowing: Borås visits SOC") is written at display time in the
reader's language; only a title someone gave it is stored (``given_title``, the same column). Titles
stored before that were written in the proposer's language: those that are the usual title in one of
the interface's languages are cleared, so they too are shown in the reader's."""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

TEMPLATE = "%(type)s: %(visitor)s visits %(host)s"


def _usual_titles(exchange, labels: dict) -> set[str]:
    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            template = translation.gettext(TEMPLATE)
        label = labels.get(code) or labels.get("en") or ""
        parts = {"visitor": exchange.visitor.name, "host": exchange.host.name}
        titles.add(template % {"type": label, **parts})
        titles.add(TEMPLATE % {"type": labels.get("en") or label, **parts})
    return titles


def clear_usual_titles(apps, schema_editor):
    Exchange = apps.get_model("exchanges", "Exchange")
    cleared = []
    for exchange in Exchange.objects.select_related("type", "visitor", "host").iterator(chunk_size=500):
        if exchange.given_title in _usual_titles(exchange, exchange.type.labels or {}):
            cleared.append(exchange.pk)
    for start in range(0, len(cleared), 500):
        Exchange.objects.filter(pk__in=cleared[start : start + 500]).update(given_title="")


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0006_exchange_reciprocal_of_and_draft")]

    operations = [
        # The column stays "title": only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="exchange", old_name="title", new_name="given_title"),
                migrations.AlterField(
                    model_name="exchange",
                    name="given_title",
                    field=models.CharField(
                        blank=True, db_column="title", default="", max_length=200, verbose_name="title"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(clear_usual_titles, migrations.RunPython.noop, elidable=True),
    ]

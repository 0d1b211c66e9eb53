from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "matchmaking.mobility"
    verbose_name = _("Mobility offers and requests")

    def ready(self) -> None:
        from matchmaking.mobility import jobs, tasks  # noqa: F401
        from matchmaking.taxonomies import search_index

        # The full-text index put back after a migration that rebuilt the table (SQLite).
        post_migrate.connect(
            search_index.after_migrate("mobility_opportunity", ("mobility", "0005_search_index")),
            sender=self,
            weak=False,
        )

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "matchmaking.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from matchmaking.organisations import jobs  # noqa: F401
        from matchmaking.taxonomies import search_index

        # The full-text index put back after a migration that rebuilt the table (SQLite).
        post_migrate.connect(
            search_index.after_migrate("organisations_organisation", ("organisations", "0003_search_index")),
            sender=self,
            weak=False,
        )

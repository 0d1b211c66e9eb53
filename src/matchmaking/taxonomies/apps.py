from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TaxonomiesConfig(AppConfig):
    name = "matchmaking.taxonomies"
    verbose_name = _("Code lists and regions")

    def ready(self) -> None:
        from matchmaking.taxonomies.services import taxonomy_sync_after_migrate

        post_migrate.connect(taxonomy_sync_after_migrate, sender=self)

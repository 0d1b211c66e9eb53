from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomiesConfig(AppConfig):
    name = "matchmaking.taxonomies"
    verbose_name = _("Code lists and regions")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_after_migrate, sender=self)


def _sync_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    """Re-read the data files after every ``migrate``, so an edited code list takes effect."""
    from matchmaking.taxonomies.services import taxonomy_sync

    taxonomy_sync()

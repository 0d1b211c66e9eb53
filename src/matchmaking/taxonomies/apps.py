from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TaxonomiesConfig(AppConfig):
    name = "matchmaking.taxonomies"
    verbose_name = _("Code lists and regions")

    def ready(self) -> None:
        from matchmaking.taxonomies.code_lists import code_lists_changed
        from matchmaking.taxonomies.models import Term
        from matchmaking.taxonomies.services import taxonomy_sync_after_migrate

        post_migrate.connect(taxonomy_sync_after_migrate, sender=self)
        post_save.connect(code_lists_changed, sender=Term, dispatch_uid="code-lists-saved")
        post_delete.connect(code_lists_changed, sender=Term, dispatch_uid="code-lists-deleted")

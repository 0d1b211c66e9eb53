from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "matchmaking.core"
    verbose_name = _("Audit, access log and notifications")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from matchmaking.core import jobs  # noqa: F401
        from matchmaking.core.statistics import statistics_after_migrate

        post_migrate.connect(statistics_after_migrate, sender=self, dispatch_uid="core-statistics")

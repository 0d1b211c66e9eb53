from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "matchmaking.core"
    verbose_name = _("Audit, access log and notifications")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from matchmaking.core import jobs  # noqa: F401

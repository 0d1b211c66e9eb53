from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "matchmaking.mobility"
    verbose_name = _("Mobility offers and requests")

    def ready(self) -> None:
        from matchmaking.mobility import jobs, tasks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Monitoring and reporting across the network's capabilities; it reads every domain app and no
    domain app reads it."""

    name = "matchmaking.monitoring"
    verbose_name = _("Monitoring and reporting")

    def ready(self) -> None:
        from matchmaking.monitoring import jobs, tasks  # noqa: F401

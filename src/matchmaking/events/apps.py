from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "matchmaking.events"
    verbose_name = _("Matchmaking events")

    def ready(self) -> None:
        from matchmaking.events import jobs  # noqa: F401

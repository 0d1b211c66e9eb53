from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "matchmaking.placements"
    verbose_name = _("Placements and allocation rounds")

    def ready(self) -> None:
        from matchmaking.placements import jobs  # noqa: F401 - registers the periodic jobs

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "matchmaking.interchange"
    label = "interchange"
    verbose_name = _("Interchange format")

    def ready(self) -> None:
        # The import's follow-up tasks (search text, alerts) are registered as recoverable in every
        # process, so the reclaim job can queue them again after a worker died.
        from matchmaking.interchange import tasks  # noqa: F401

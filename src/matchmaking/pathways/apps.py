from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "matchmaking.pathways"
    verbose_name = _("Pathways and follow-up")

    def ready(self) -> None:
        from matchmaking.pathways import (
            jobs,  # noqa: F401 - registers the periodic jobs
            referrals,  # noqa: F401 - withdraws referrals on consent revoked
        )

import threading

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "matchmaking.participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from matchmaking.participants import jobs  # noqa: F401 - registers the periodic jobs

        # Load ESCO and build its search indexes in the background, so the first skills search of a
        # fresh process answers as fast as every later one.
        if settings.ESCO_WARM_ON_START:
            from matchmaking.participants.esco_lookup import warm

            threading.Thread(target=warm, name="esco-warm", daemon=True).start()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A participant's rights across every app that holds data about them: a copy of their data,
    erasure, the access history, and erasure at the end of the retention period."""

    name = "matchmaking.privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from matchmaking.privacy import jobs  # noqa: F401 - registers the periodic jobs

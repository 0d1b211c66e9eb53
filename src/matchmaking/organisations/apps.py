from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "matchmaking.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from matchmaking.organisations import jobs  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "matchmaking.exchanges"
    verbose_name = _("Exchanges")

    def ready(self) -> None:
        from matchmaking.exchanges import jobs  # noqa: F401

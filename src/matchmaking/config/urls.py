from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api-tokens/", include("matchmaking.accounts.urls")),
    path("account/notifications/", include("matchmaking.accounts.notification_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("matchmaking.api.urls")),
    path("mobility/", include("matchmaking.mobility.urls")),
    path("exchanges/", include("matchmaking.exchanges.urls")),
    path("events/", include("matchmaking.events.urls")),
    path("library/", include("matchmaking.library.urls")),
    path("monitoring/", include("matchmaking.monitoring.urls")),
    path("participants/", include("matchmaking.privacy.urls")),
    path("participants/", include("matchmaking.participants.urls")),
    path("placements/", include("matchmaking.placements.urls")),
    path("pathways/", include("matchmaking.pathways.urls")),
    path("", include("matchmaking.organisations.urls")),
    path("", include("matchmaking.web.urls")),
]

from django.urls import path

from matchmaking.accounts import notification_views

app_name = "account-notifications"

urlpatterns = [
    path("", notification_views.notification_settings, name="preferences"),
]

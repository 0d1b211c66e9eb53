from django.urls import path

from matchmaking.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.api_tokens, name="api-tokens"),
    path("<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]

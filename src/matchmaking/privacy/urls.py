from django.urls import path

from matchmaking.privacy import views

app_name = "privacy"

urlpatterns = [
    path("<str:pseudonym>/export/", views.export, name="export"),
    path("<str:pseudonym>/access-log/", views.access_history, name="access-history"),
    path("<str:pseudonym>/erase/", views.erase, name="erase"),
]

from django.urls import path

from matchmaking.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("mobilities/", views.mobility_export_page, name="mobility-export"),
]

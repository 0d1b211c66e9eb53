from django.urls import path

from matchmaking.monitoring import views, views_cockpit

app_name = "monitoring"

urlpatterns = [
    path("", views_cockpit.cockpit_page, name="cockpit"),
    path("targets/", views_cockpit.targets_page, name="targets"),
    path("learners/", views_cockpit.learners_page, name="learners"),
    path("network/", views_cockpit.network_page, name="network"),
    path("mobilities/", views.mobility_export_page, name="mobility-export"),
]

from django.urls import path

from matchmaking.mobility import views, views_refresh

app_name = "mobility"

urlpatterns = [
    path("", views.opportunity_list, name="opportunity-list"),
    path("new/", views.opportunity_create, name="opportunity-create"),
    path("searches/", views.saved_search_create, name="saved-search-create"),
    path("suggestions/refresh/", views_refresh.refresh_progress, name="suggestions-refresh"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved-search-delete"),
    path(
        "organisations/<str:org_key>/suggestions/",
        views.organisation_suggestions,
        name="organisation-suggestions",
    ),
    path("<str:key>/", views.opportunity_detail, name="opportunity-detail"),
    path("<str:key>/edit/", views.opportunity_edit, name="opportunity-edit"),
    path("<str:key>/status/", views.opportunity_status, name="opportunity-status"),
    path("<str:key>/suggestions/", views.suggestions, name="suggestions"),
    path("<str:key>/why-not/", views.why_not, name="why-not"),
    path("<str:key>/why-not/organisations/", views.why_not_organisations, name="why-not-organisations"),
]

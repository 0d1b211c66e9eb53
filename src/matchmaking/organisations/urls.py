from django.urls import path

from matchmaking.organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/regions/", views.region_options, name="region-options"),
    path("organisations/<str:key>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<str:key>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<str:key>/members/", views.organisation_members, name="organisation-members"),
    path("organisations/<str:key>/status/", views.organisation_status, name="organisation-status"),
    path(
        "organisations/<str:key>/members/<int:membership_id>/",
        views.membership_update,
        name="membership-update",
    ),
    path("organisations/<str:key>/audit/", views.audit_trail, name="audit-trail"),
    path("join/", views.apply, name="apply"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:application_id>/", views.application_detail, name="application-detail"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]

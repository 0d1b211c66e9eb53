from django.urls import path

from matchmaking.placements import views, views_people, views_rounds

app_name = "placements"

urlpatterns = [
    path("", views.placement_list, name="placement-list"),
    path("new/", views.placement_edit, name="placement-create"),
    path("import/", views.import_view, name="import"),
    path("rounds/", views_rounds.round_list, name="round-list"),
    path("rounds/mine/", views_people.my_rounds, name="my-rounds"),
    path("rounds/<int:round_id>/mine/", views_people.my_round, name="my-round"),
    path("inbox/", views_people.inbox, name="inbox"),
    path("for/<str:pseudonym>/", views_people.suggestions, name="suggestions"),
    path("for/<str:pseudonym>/propose/", views_people.propose, name="propose"),
    path("people/<int:assignment_id>/", views_people.assignment_detail, name="assignment-detail"),
    path(
        "people/<int:assignment_id>/<str:action>/", views_people.assignment_action, name="assignment-action"
    ),
    path("rounds/new/", views_rounds.round_create, name="round-create"),
    path("rounds/<int:round_id>/", views_rounds.round_detail, name="round-detail"),
    path("rounds/<int:round_id>/progress/", views_rounds.round_progress, name="round-progress"),
    path(
        "rounds/<int:round_id>/placements/",
        views_rounds.round_placement_options,
        name="round-placement-options",
    ),
    path("rounds/<int:round_id>/propose/", views_rounds.round_propose, name="round-propose"),
    path("rounds/<int:round_id>/confirm/", views_rounds.round_confirm, name="round-confirm"),
    path("rounds/<int:round_id>/cancel/", views_rounds.round_cancel, name="round-cancel"),
    path(
        "rounds/<int:round_id>/proposals/<int:proposal_id>/override/",
        views_rounds.proposal_override,
        name="proposal-override",
    ),
    path(
        "rounds/<int:round_id>/proposals/<int:proposal_id>/fit/",
        views_rounds.proposal_fit,
        name="proposal-fit",
    ),
    path("proposals/<int:proposal_id>/decide/", views.proposal_decide, name="proposal-decide"),
    path("proposals/<int:proposal_id>/contest/", views_rounds.proposal_contest, name="proposal-contest"),
    path("contests/<int:contest_id>/answer/", views_rounds.contest_answer, name="contest-answer"),
    path("<str:key>/", views.placement_detail, name="placement-detail"),
    path("<str:key>/edit/", views.placement_edit, name="placement-edit"),
    path("<str:key>/waiting-list/", views.waiting_list, name="waiting-list"),
]

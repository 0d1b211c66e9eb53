from django.urls import path

from matchmaking.library import views

app_name = "library"

urlpatterns = [
    path("", views.story_list, name="story-list"),
    path("from-exchange/<int:pk>/", views.story_create, name="story-create"),
    path("<slug:slug>/", views.story_detail, name="story-detail"),
    path("<slug:slug>/story.pdf", views.story_pdf, name="story-pdf"),
    path("<slug:slug>/edit/", views.story_edit, name="story-edit"),
    path("<slug:slug>/approve/", views.story_approve, name="story-approve"),
    path("<slug:slug>/withdraw/", views.story_withdraw, name="story-withdraw"),
]

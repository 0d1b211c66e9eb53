from django.urls import path

from matchmaking.participants import views, views_skills

app_name = "participants"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.participant_create, name="participant-create"),
    path("<str:pseudonym>/", views.participant_detail, name="participant-detail"),
    path("<str:pseudonym>/purpose/", views.purpose, name="purpose"),
    path("<str:pseudonym>/personal/", views.participant_identity, name="participant-identity"),
    path("<str:pseudonym>/personal/edit/", views.identity_edit, name="identity-edit"),
    path("<str:pseudonym>/edit/", views.participant_edit, name="participant-edit"),
    path("<str:pseudonym>/languages/", views.languages, name="languages"),
    path("<str:pseudonym>/consent/", views.consents, name="consents"),
    path("<str:pseudonym>/group/", views.group, name="group"),
    path("<str:pseudonym>/key-worker/", views.key_worker, name="key-worker"),
    path("<str:pseudonym>/skills/", views_skills.skills, name="skills"),
    path("<str:pseudonym>/skills/search/", views_skills.skill_search, name="skill-search"),
    path("<str:pseudonym>/skills/add/", views_skills.skill_add, name="skill-add"),
    path("<str:pseudonym>/skills/accept/", views_skills.skills_accept, name="skills-accept"),
    path("<str:pseudonym>/skills/edit/", views_skills.skill_edit, name="skill-edit"),
    path("<str:pseudonym>/skills/reject/", views_skills.skill_reject, name="skill-reject"),
    path("<str:pseudonym>/skills/remove/", views_skills.skill_remove, name="skill-remove"),
    path("<str:pseudonym>/occupations/", views_skills.occupation_interest, name="occupation-interest"),
]

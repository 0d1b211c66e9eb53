from django.urls import path

from matchmaking.pathways import views, views_referrals, views_worklist

app_name = "pathways"

urlpatterns = [
    path("services/", views.directory, name="directory"),
    path("worklist/", views_worklist.worklist_page, name="worklist"),
    path("referrals/", views_referrals.referral_inbox, name="referral-inbox"),
    path("referrals/<int:referral_id>/", views_referrals.referral_answer, name="referral-answer"),
    path("<str:pseudonym>/plan/", views.plan, name="plan"),
    path("<str:pseudonym>/progress/", views.progress, name="progress"),
    path("<str:pseudonym>/referrals/", views.referrals, name="referrals"),
    path("<str:pseudonym>/outcome/", views.outcome, name="outcome"),
    path("<str:pseudonym>/summary/", views.summary, name="summary"),
]

from django.urls import path
from django.views.generic import RedirectView

from matchmaking.exchanges import views, views_conversations, views_programme, views_report

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="exchange-list"),
    path("propose/", views.exchange_propose, name="exchange-propose"),
    # The export moved to the monitoring pages; old links and bookmarks keep working.
    path("mobilities/", RedirectView.as_view(pattern_name="monitoring:mobility-export", query_string=True)),
    path("<int:pk>/", views.exchange_detail, name="exchange-detail"),
    path("<int:pk>/do/<str:action>/", views.exchange_transition, name="exchange-transition"),
    path("<int:pk>/messages/", views.message_post, name="message-post"),
    path("<int:pk>/dates/", views.exchange_dates, name="exchange-dates"),
    path("<int:pk>/flags/", views.exchange_flags, name="exchange-flags"),
    path("<int:pk>/changes/<int:change_id>/", views.change_answer, name="change-answer"),
    path("<int:pk>/programme/", views_programme.programme_page, name="programme"),
    path("<int:pk>/programme/calendar.ics", views_programme.programme_ics, name="programme-ics"),
    path("<int:pk>/programme/programme.pdf", views_programme.programme_pdf, name="programme-pdf"),
    path("<int:pk>/visitors/new/", views_programme.visitor_edit, name="visitor-add"),
    path("<int:pk>/visitors/<int:visitor_id>/", views_programme.visitor_edit, name="visitor-edit"),
    path("<int:pk>/visitors/<int:visitor_id>/remove/", views_programme.visitor_remove, name="visitor-remove"),
    path("<int:pk>/programme/new/", views_programme.item_edit, name="item-add"),
    path("<int:pk>/programme/<int:item_id>/", views_programme.item_edit, name="item-edit"),
    path("<int:pk>/programme/<int:item_id>/remove/", views_programme.item_remove, name="item-remove"),
    path("<int:pk>/report/", views_report.report_edit, name="report"),
    path("<int:pk>/report/feedback/", views_report.feedback, name="feedback"),
    path("<int:pk>/report/quotes/", views_report.quote_add, name="quote-add"),
    path("<int:pk>/report/quotes/<int:quote_id>/consent/", views_report.quote_consent, name="quote-consent"),
    path("<int:pk>/reciprocal/", views_report.reciprocal, name="reciprocal"),
    path("<int:pk>/send/", views_report.draft_send, name="draft-send"),
    path("<int:pk>/discard/", views_report.draft_discard, name="draft-discard"),
    path("conversations/", views_conversations.conversation_list, name="conversation-list"),
    path("conversations/<int:pk>/", views_conversations.conversation_detail, name="conversation-detail"),
    path(
        "conversations/<int:pk>/attachments/<int:message_id>/",
        views_conversations.conversation_attachment,
        name="conversation-attachment",
    ),
    path("contact/<str:key>/", views_conversations.conversation_start, name="conversation-start"),
]

from django.urls import path

from matchmaking.events import views, views_meetings

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("new/", views.event_create, name="event-create"),
    path("<int:pk>/", views.event_detail, name="event-detail"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("<int:pk>/setup/", views.event_setup, name="event-setup"),
    path("<int:pk>/state/", views.event_transition, name="event-transition"),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/mine/", views_meetings.my_event, name="mine"),
    path("<int:pk>/registrations/<int:rid>/", views.registration_detail, name="registration"),
    path("<int:pk>/registrations/<int:rid>/availability/", views.availability, name="availability"),
    path(
        "<int:pk>/registrations/<int:rid>/delegates/<int:did>/blocked/",
        views.delegate_blocked,
        name="delegate-blocked",
    ),
    path("<int:pk>/registrations/<int:rid>/requests/", views_meetings.requests_page, name="requests"),
    path(
        "<int:pk>/registrations/<int:rid>/requests/new/", views_meetings.request_create, name="request-create"
    ),
    path("<int:pk>/registrations/<int:rid>/agenda/", views_meetings.agenda_page, name="agenda"),
    path("<int:pk>/registrations/<int:rid>/agenda.ics", views_meetings.agenda_ics, name="agenda-ics"),
    path("<int:pk>/registrations/<int:rid>/agenda.pdf", views_meetings.agenda_pdf, name="agenda-pdf"),
    path("<int:pk>/requests/<int:qid>/answer/", views_meetings.request_answer, name="request-answer"),
    path("<int:pk>/requests/<int:qid>/withdraw/", views_meetings.request_cancel, name="request-cancel"),
    path("<int:pk>/schedule/", views_meetings.schedule_page, name="schedule"),
    path("<int:pk>/schedule/status/", views_meetings.schedule_status, name="schedule-status"),
    path("<int:pk>/schedule/compute/", views_meetings.schedule_compute, name="schedule-compute"),
    path("<int:pk>/table-cards.pdf", views_meetings.table_cards, name="table-cards"),
    path("<int:pk>/reminders/", views_meetings.send_reminders, name="reminders"),
    path("<int:pk>/check-in/", views_meetings.check_in, name="check-in"),
    path("<int:pk>/meetings/<int:mid>/", views_meetings.meeting_page, name="meeting"),
    path("<int:pk>/meetings/<int:mid>/place/", views_meetings.meeting_place, name="meeting-place"),
    path("<int:pk>/meetings/<int:mid>/propose/", views_meetings.meeting_propose, name="meeting-propose"),
]

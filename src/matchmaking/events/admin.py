from django.contrib import admin

from matchmaking.core.admin_base import ReadOnlyAdmin
from matchmaking.events.models import Event, Meeting, MeetingRequest, Registration


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "organiser", "start", "end", "state", "schedule_status"]
    list_filter = ["state", "schedule_status"]
    search_fields = ["title", "organiser__name"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "event", "status", "newcomer", "created_at"]
    list_filter = ["status", "newcomer"]
    search_fields = ["organisation__name", "event__title"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "event", "priority", "recipient_priority", "status", "created_at"]
    list_filter = ["status", "priority"]
    exclude = ["message"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "event", "slot", "table", "held", "exchange"]
    list_filter = ["held"]

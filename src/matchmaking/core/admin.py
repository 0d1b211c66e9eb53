from django.contrib import admin

from matchmaking.core.admin_base import ReadOnlyAdmin
from matchmaking.core.models import AuditEvent, PeriodicJobRun, PersonalDataAccess


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "action"]
    date_hierarchy = "occurred_at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """Shows who read which record, never the personal details themselves."""

    list_display = ["occurred_at", "user_label", "kind", "subject_type", "subject_id", "purpose"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["user_label", "subject_id"]
    date_hierarchy = "occurred_at"


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_result"]

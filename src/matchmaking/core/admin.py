from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchmaking.core.admin_base import ReadOnlyAdmin
from matchmaking.core.models import AuditEvent, PeriodicJobRun, PersonalDataAccess, TaskRecovery
from matchmaking.core.tasks import task_cancel, task_retry


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


@admin.register(TaskRecovery)
class TaskRecoveryAdmin(ReadOnlyAdmin):
    """Background tasks the reclaim job queued again, gave up (with the reason) or that were cancelled;
    a coordinator may queue a failed one again or cancel one still waiting."""

    list_display = ["updated_at", "task_name", "state", "retries", "reason_text", "queue_status"]
    list_filter = ["state", "reason_code", "task_path"]
    fields = readonly_fields = ("result_id", "task_path", "state", "retries", "reason_text", "updated_at")
    actions = ["retry", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TaskRecovery]:
        """With the task's status in the queue now (a task queued again has usually succeeded since)."""
        status = DBTaskResult.objects.filter(pk=OuterRef("result_id")).values("status")[:1]
        return super().get_queryset(request).annotate(queue_status_code=Subquery(status))

    @admin.display(description=_("task"))
    def task_name(self, obj: TaskRecovery) -> str:
        return obj.task_path.rsplit(".", 1)[-1]

    @admin.display(description=_("status in the queue"))
    def queue_status(self, obj: TaskRecovery) -> str:
        code = getattr(obj, "queue_status_code", None)
        return str(TaskResultStatus(code).label) if code in TaskResultStatus.values else "–"

    @admin.action(description=_("Queue the selected tasks again now"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[TaskRecovery]) -> None:
        now = timezone.now()
        done = sum(task_retry(task_id=found.result_id, now=now) for found in queryset)
        self.message_user(request, ngettext("%d task queued again.", "%d tasks queued again.", done) % done)

    @admin.action(description=_("Cancel the selected tasks"), permissions=["view"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[TaskRecovery]) -> None:
        now = timezone.now()
        done = sum(task_cancel(task_id=found.result_id, now=now) for found in queryset)
        self.message_user(request, ngettext("%d task cancelled.", "%d tasks cancelled.", done) % done)

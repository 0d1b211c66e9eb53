"""The shared machinery every capability writes to: audit trail, personal-data access log,
notifications and the record of periodic job runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change: who did what to which object, when, with the values before and after."""

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class PersonalDataAccess(models.Model):
    """One read (or change) of personal data, kept for the data-protection officer and the person."""

    READ = "read"
    CHANGE = "change"
    EXPORT = "export"
    KIND_CHOICES = [(READ, _("read")), (CHANGE, _("change")), (EXPORT, _("export"))]

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_label = models.CharField(_("who"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES, default=READ)
    subject_type = models.CharField(_("whose data"), max_length=80)
    subject_id = models.CharField(_("subject id"), max_length=64, db_index=True)
    fields = models.JSONField(_("what"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    path = models.CharField(_("page or command"), max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_label} {self.kind} {self.subject_type}"


class Notification(models.Model):
    """A message to one user, shown in the app and (unless turned off) sent by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # The values that fill the kind's sentences (``notification_kinds.py``), rendered in the reader's
    # language when shown. Null on rows written before: they show their stored title and body.
    params = models.JSONField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "emailed_at"], name="notification_recipient_mail")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The subject in the active language (the stored English text for rows without parameters)."""
        from matchmaking.core.notification_kinds import render_title

        rendered = render_title(self.kind, self.params) if self.params is not None else None
        return rendered if rendered is not None else self.title

    @property
    def display_body(self) -> str:
        """The kind's sentence in the active language, then the words a person wrote (kept as written)."""
        from matchmaking.core.notification_kinds import render_body

        rendered = render_body(self.kind, self.params) if self.params is not None else None
        if rendered is None:
            return self.body
        return "\n\n".join(part for part in (rendered, self.body) if part)


class NotificationPreference(models.Model):
    """How one person wants one group of notifications delivered; a group without a row has its default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    group = models.CharField(max_length=30)
    delivery = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_notification_preference_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.group}: {self.delivery}"


class PeriodicJobRun(models.Model):
    """When each periodic job last ran, so ``run-periodic`` can be called as often as you like."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskRecovery(models.Model):
    """What the ``task-reclaim`` job did for one background task beyond what django-tasks-db keeps on the
    task's own row (status, start, the ids of the workers that claimed it): how many times the task was
    put back in the queue, and, once it was given up or cancelled, why, as a code and its parameters."""

    class State(models.TextChoices):
        RETRYING = "retrying", _("Queued again")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        WORKER_LOST = "worker-lost", _("The worker running it stopped before it finished")
        TRANSIENT = "transient-error", _("A passing error (the database or the mail server was busy)")
        CANCELLED = "cancelled", _("Cancelled by a person")

    result_id = models.UUIDField(unique=True)
    task_path = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RETRYING)
    retries = models.PositiveSmallIntegerField(default=0)
    reason_code = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("background task recovery")
        verbose_name_plural = _("background task recoveries")

    def __str__(self) -> str:
        return f"{self.task_path.rsplit('.', 1)[-1]} {self.result_id}"

    @property
    def reason_text(self) -> str:
        """Why, in the reader's language."""
        params = self.reason_params
        if self.reason_code == TaskRecovery.Reason.WORKER_LOST:
            return _("The worker running it stopped before it finished (tried %(attempts)s times).") % {
                "attempts": params.get("attempts", 0)
            }
        if self.reason_code == TaskRecovery.Reason.TRANSIENT:
            return _("It kept failing on a passing error (tried %(attempts)s times): %(error)s") % {
                "attempts": params.get("attempts", 0),
                "error": params.get("error", ""),
            }
        if self.reason_code == TaskRecovery.Reason.CANCELLED:
            return str(_("Cancelled by a person."))
        return ""

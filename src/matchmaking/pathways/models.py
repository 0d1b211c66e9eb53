"""Action plans, follow-up, progress, referrals to support services, offers and outcomes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matchmaking.organisations.models import Organisation
from matchmaking.participants.clock_dates import clock_dates_refresh
from matchmaking.participants.models import Consent, Participant
from matchmaking.taxonomies.models import Region


class Goal(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    class Type(models.TextChoices):
        JOB_SEARCH = "job-search", _("Job search")
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting")
        TREATMENT = "treatment", _("Treatment or care")
        PLACEMENT = "placement", _("Placement")
        OWN_ACTIVITY = "own-activity", _("Own activity")
        LANGUAGE = "language", _("Language course")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # Which status may follow which: a done or cancelled step is closed.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.DONE, Status.CANCELLED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
    }

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.OWN_ACTIVITY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation responsible")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    agreed_with_participant = models.BooleanField(_("agreed with the participant"), default=False)
    skill_uri = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: set by the plan page, the statuses this step may move to, with their labels.
    next_options: list[tuple[str, str | Promise]]

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant} {self.held_on}"


class SelfAssessment(models.Model):
    """The participant's own view of their progress on a few 1–10 scales."""

    SCALES = ("motivation", "confidence", "readiness", "wellbeing")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="assessments")
    recorded_on = models.DateField(_("date"))
    motivation = models.PositiveSmallIntegerField(_("motivation"))
    confidence = models.PositiveSmallIntegerField(_("confidence"))
    readiness = models.PositiveSmallIntegerField(_("readiness for work"))
    wellbeing = models.PositiveSmallIntegerField(_("well-being"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.participant} {self.recorded_on}"


class SupportService(models.Model):
    """An entry in the directory of support services people can be referred to."""

    class Category(models.TextChoices):
        HEALTH = "health", _("Health")
        MENTAL_HEALTH = "mental-health", _("Mental health")
        ADDICTION = "addiction", _("Addiction")
        HOUSING = "housing", _("Housing")
        CHILDCARE = "childcare", _("Childcare")
        LEGAL = "legal", _("Legal advice")
        DEBT = "debt", _("Debt advice")
        LANGUAGE = "language", _("Language courses")
        SOCIAL = "social", _("Social services")

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_services"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    country = models.CharField(_("country"), max_length=2)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        COMPLETED = "completed", _("Completed")
        # The consent behind it was revoked: closed, and the service may no longer answer it.
        WITHDRAWN = "withdrawn", _("Withdrawn (consent revoked)")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.SENT: {Status.ACCEPTED, Status.REFUSED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.COMPLETED, Status.WITHDRAWN},
        Status.REFUSED: set(),
        Status.COMPLETED: set(),
        Status.WITHDRAWN: set(),
    }

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(SupportService, on_delete=models.PROTECT, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField(_("what the person needs"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    remind_on = models.DateField(_("remind me on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant} → {self.service}"


class Offer(models.Model):
    """A typed offer under the Youth Guarantee; the first one stops the clock."""

    class Type(models.TextChoices):
        JOB = "job", _("Job")
        EDUCATION = "education", _("Continued education")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        TRAINEESHIP = "traineeship", _("Traineeship")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="offers")
    type = models.CharField(_("type of offer"), max_length=20, choices=Type.choices)
    offered_on = models.DateField(_("offered on"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["offered_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.offered_on}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """An offer may stop the person's clock: keep the date stored on the person in step."""
        super().save(*args, **kwargs)
        clock_dates_refresh(participant_ids=[self.participant_id])


class Outcome(models.Model):
    class ExitType(models.TextChoices):
        JOB_REGULAR = "job-regular", _("Job in the regular labour market")
        JOB_SOCIAL = "job-social-economy", _("Job in the social economy")
        EDUCATION = "education", _("Education")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        TRAINEESHIP = "traineeship", _("Traineeship")
        OTHER = "other", _("Other")
        NONE = "none", _("None")

    class DropOutReason(models.TextChoices):
        HEALTH = "health", _("Health")
        HOUSING = "housing", _("Housing")
        CHILDCARE = "childcare", _("Childcare or family")
        LEGAL = "legal", _("Legal problems")
        MOTIVATION = "motivation", _("Lost motivation")
        MOVED = "moved", _("Moved away")
        NO_CONTACT = "no-contact", _("Lost contact")
        OTHER = "other", _("Other")

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="outcome")
    exit_type = models.CharField(_("exit"), max_length=20, choices=ExitType.choices)
    exit_on = models.DateField(_("date"))
    dropped_out = models.BooleanField(_("dropped out"), default=False)
    drop_out_reasons = models.JSONField(_("reasons for dropping out"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_exit_type_display()}"


class RetentionCheck(models.Model):
    """Is the person still in work or education 3, 6 and 12 months after leaving?"""

    MONTHS = (3, 6, 12)

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="checks")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    still_there = models.BooleanField(null=True)
    note = models.CharField(max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["outcome", "months"], name="one_check_per_month")]

    def __str__(self) -> str:
        return f"{self.outcome.participant} +{self.months}m"


class StatisticRecord(models.Model):
    """What remains of an erased participant: anonymous counts for monitoring, no identifier."""

    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveIntegerField()
    age_group = models.CharField(max_length=8, blank=True)
    fewer_opportunities = models.BooleanField(default=False)
    exit_type = models.CharField(max_length=20, blank=True)
    placed = models.BooleanField(default=False)
    erased_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.year} {self.exit_type or '-'}"

"""One person at one placement, from the proposal to its end: the placement lifecycle.

An assignment starts as a case worker's single proposal to a host (``proposed``), or when a host accepts
a round's proposal (``accepted``, linked to that proposal). The host may put a proposal on hold for an
interview on a date, then accepts or declines it with a reason. An accepted placement starts, collects
attendance notes, and is completed or ended early with a reason from a code list; its outcome is
recorded with the end. Every step is kept in ``history`` as a code and its parameters, rendered in the
reader's language.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.participants.models import Participant


class EndReason(models.TextChoices):
    """Why a placement ended before its end date."""

    HIRED_ELSEWHERE = "hired-elsewhere", _("The person found other work or education")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family or childcare")
    MOTIVATION = "motivation", _("The person lost motivation or left")
    FIT = "fit", _("The tasks did not suit the person")
    HOST = "host", _("The host ended the placement")
    ABSENCE = "absence", _("Too many absences")
    MOVED = "moved", _("The person moved away")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    """Where the person stands when the placement ends."""

    HIRED = "hired", _("Hired by the host")
    JOB_ELSEWHERE = "job-elsewhere", _("In work elsewhere")
    EDUCATION = "education", _("In education or training")
    SEEKING = "seeking", _("Looking for work, still supported")
    OTHER = "other", _("Other")


class Assignment(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed to the host")
        ON_HOLD = "on-hold", _("On hold for an interview")
        ACCEPTED = "accepted", _("Accepted by the host")
        DECLINED = "declined", _("Declined by the host")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended-early", _("Ended early")

    # Which status may follow which.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PROPOSED: {Status.ON_HOLD, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.ON_HOLD: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.STARTED, Status.WITHDRAWN},
        Status.STARTED: {Status.COMPLETED, Status.ENDED_EARLY},
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
        Status.COMPLETED: set(),
        Status.ENDED_EARLY: set(),
    }
    # Waiting for the host's answer: the host's inbox.
    WAITS_FOR_HOST = (Status.PROPOSED, Status.ON_HOLD)
    # Holding a seat of the placement (an assignment from a round counts through its proposal).
    HOLDS_SEAT = (Status.ACCEPTED, Status.STARTED)
    OPEN = (Status.PROPOSED, Status.ON_HOLD, Status.ACCEPTED, Status.STARTED)
    # The person was placed: accepted by the host, whatever happened after.
    PLACED = (Status.ACCEPTED, Status.STARTED, Status.COMPLETED, Status.ENDED_EARLY)

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="assignments"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="assignments")
    proposal = models.OneToOneField(
        "placements.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="assignment"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(_("fit"), null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    skill_gap = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message to the host"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    interview_on = models.DateField(_("interview on"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=10, blank=True)
    decline_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended early"), max_length=20, choices=EndReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    step = models.ForeignKey(
        "pathways.Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("placement of a person")
        verbose_name_plural = _("placements of people")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "participant"],
                condition=models.Q(status__in=["proposed", "on-hold", "accepted", "started"]),
                name="one_open_assignment_per_placement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.placement}"

    def get_absolute_url(self) -> str:
        return reverse("placements:assignment-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class AttendanceNote(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attendance")
    noted_on = models.DateField(_("date"))
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.noted_on}"

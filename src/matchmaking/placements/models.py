"""Placements hosts publish, their waiting lists, and allocation rounds with their proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matchmaking.organisations.models import Organisation, record_id_validator
from matchmaking.participants.models import Participant, SupportRequirement
from matchmaking.taxonomies.models import Region


class LabourMarket(models.TextChoices):
    REGULAR = "regular", _("Regular labour market")
    SOCIAL_ECONOMY = "social-economy", _("Social economy")
    TRAINING = "training", _("Training place")


class PlacementKind(models.TextChoices):
    """What the person is offered; the Youth Guarantee offer recorded on acceptance follows it."""

    TRAINEESHIP = "traineeship", _("Traineeship")
    JOB = "job", _("Job")
    TRAINING = "training", _("Training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    WORK_TRIAL = "work-trial", _("Work trial")


class Scheme(models.TextChoices):
    """The programme a placement runs under: only Erasmus+ placements abroad become mobility records."""

    NATIONAL = "", _("National or own funding")
    ESF = "esf", _("ESF+ (including ALMA)")
    ERASMUS_VET = "erasmus-vet", _("Erasmus+ vocational education and training (KA1)")


class Placement(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    key = models.CharField(_("identifier"), max_length=100, unique=True, validators=[record_id_validator])
    host = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="placements", verbose_name=_("host")
    )
    title = models.CharField(_("title"), max_length=200)
    occupation_uri = models.CharField(_("ESCO occupation"), max_length=200, blank=True)
    occupation_label = models.CharField(_("occupation"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    seats = models.PositiveIntegerField(_("seats"), default=1)
    start = models.DateField(_("starts"), null=True, blank=True)
    end = models.DateField(_("ends"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("region")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    support_offered = models.JSONField(_("support offered"), default=list, blank=True)
    labour_market = models.CharField(
        _("labour market"), max_length=20, choices=LabourMarket.choices, default=LabourMarket.REGULAR
    )
    kind = models.CharField(
        _("type of placement"),
        max_length=20,
        choices=PlacementKind.choices,
        default=PlacementKind.TRAINEESHIP,
    )
    scheme = models.CharField(_("programme"), max_length=20, choices=Scheme.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    esco_version = models.CharField(_("ESCO version"), max_length=20, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("placements:placement-detail", args=[self.key])

    def support_offered_labels(self) -> list[str]:
        """The support the host offers, in the reader's language (the stored values are codes)."""
        labels = dict(SupportRequirement.choices)
        return [str(labels.get(code, code)) for code in self.support_offered]

    def is_abroad_for(self, country: str) -> bool:
        return bool(country) and self.country != country


class PlacementSkill(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="skills")
    uri = models.CharField(_("ESCO skill"), max_length=200)
    label = models.CharField(_("skill"), max_length=300)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["-required", "label"]
        constraints = [models.UniqueConstraint(fields=["placement", "uri"], name="placement_skill_once")]

    def __str__(self) -> str:
        return self.label


class PlacementLanguage(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3)
    level = models.CharField(_("level (CEFR)"), max_length=2)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.level}"


class WaitingListEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a seat")
        REMOVED = "removed", _("Removed")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="waiting_list")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="waiting_lists")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant} waiting for {self.placement}"


# The minimum fit a new round starts with: no pair scoring below it is proposed.
DEFAULT_MIN_FIT = 20


class Round(models.Model):
    """An allocation round: chosen participants and placements, the engine's proposal, a person's review."""

    class Method(models.TextChoices):
        STABLE = "stable", _("Stable (nobody would rather swap)")
        OPTIMAL = "optimal", _("Optimal (most people placed, best total fit)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Being computed")
        PROPOSED = "proposed", _("Proposed, waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        WORKER_LOST = "worker-lost", _("The background computation stopped before it finished")

    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.STABLE)
    floor = models.PositiveIntegerField(
        _("fewer-opportunities floor"),
        default=0,
        help_text=_("Optimal method only: at least this many participants with fewer opportunities placed."),
    )
    min_fit = models.PositiveSmallIntegerField(
        _("minimum fit"),
        default=DEFAULT_MIN_FIT,
        help_text=_("Nobody is proposed for a placement they fit less than this (0–100)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    participants = models.ManyToManyField(Participant, blank=True, related_name="rounds")
    placements = models.ManyToManyField(Placement, blank=True, related_name="rounds")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The heartbeat of a background computation: set when it starts and at each progress step. A round
    # being computed with no heartbeat for longer than ROUND_TASK_LEASE_SECONDS is reclaimed.
    progress_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_code = models.CharField(max_length=30, choices=Failure.choices, blank=True)
    failure_params = models.JSONField(default=dict, blank=True)
    fairness = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("placements:round-detail", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def failure_text(self) -> str:
        """Why the round failed, in the reader's language (stored as a code and its parameters)."""
        if self.failure_code == Round.Failure.WORKER_LOST:
            attempts = int(self.failure_params.get("attempts", 0))
            return ngettext(
                "The computation was started %(attempts)d time and stopped before it finished each time "
                "(the background worker stopped or lost its database). Compute the proposal again; if it "
                "fails again, ask the administrator to check the background worker.",
                "The computation was started %(attempts)d times and stopped before it finished each time "
                "(the background worker stopped or lost its database). Compute the proposal again; if it "
                "fails again, ask the administrator to check the background worker.",
                attempts,
            ) % {"attempts": attempts}
        return ""


class Proposal(models.Model):
    """One participant's outcome in a round: a placement (or none) with score, reasons and skill gap."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed, waiting for the host")
        OFFERED = "offered", _("Offered a freed seat, waiting for the host")
        ACCEPTED = "accepted", _("Accepted by the host")
        DECLINED = "declined", _("Declined by the host")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNPLACED = "unplaced", _("Not placed")

    class DeclineReason(models.TextChoices):
        SKILLS = "skills", _("Skills do not fit the tasks")
        LANGUAGE = "language", _("Language level too low for the workplace")
        DATES = "dates", _("Dates no longer possible")
        SEATS = "seats", _("The seat is no longer available")
        SUPPORT = "support", _("We cannot provide the support needed")
        OTHER = "other", _("Other")

    HOLDS_SEAT = (Status.CONFIRMED, Status.OFFERED, Status.ACCEPTED)
    # Waiting for the host to accept or decline.
    WAITS_FOR_HOST = (Status.CONFIRMED, Status.OFFERED)
    # States after the round was confirmed: the person's result, shown as it is.
    SETTLED = (Status.CONFIRMED, Status.OFFERED, Status.ACCEPTED, Status.DECLINED, Status.UNPLACED)

    # Not a column: set by ``selectors.annotate_waiting_list_offers`` for the pages, the full placements
    # whose waiting list the person could join.
    waiting_list_offers: list[Placement]
    # Not a column: set by the round page, the reviewer's choices (value, placement, the person's fit).
    alternative_options: list[tuple[str, Placement, float]]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals")
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    engine_placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    choice = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    skill_gap = models.JSONField(default=list, blank=True)
    # The placements the person could take (passed every hard rule), best first, as placement ids:
    # where the person is not placed, the full ones among them are offered as waiting lists.
    wanted = models.JSONField(default=list, blank=True)
    # The person's best placements at or above the round's minimum fit, for the reviewer's choice:
    # ``[{"placement": id, "score": fit}, ...]``, best first.
    alternatives = models.JSONField(default=list, blank=True)
    # A freed seat offered to this person is held for them until then; after it the seat goes on.
    hold_until = models.DateTimeField(_("seat held until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    override_reason = models.TextField(_("reason for the change"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=10, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "participant__pseudonym"]
        constraints = [models.UniqueConstraint(fields=["round", "participant"], name="one_proposal_each")]

    def __str__(self) -> str:
        return f"{self.participant} → {self.placement or '–'}"

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class Contest(models.Model):
    """A worker contests a proposal on the participant's behalf; a coordinator answers."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        UPHELD = "upheld", _("Upheld: the proposal is withdrawn and its seat offered on")
        REJECTED = "rejected", _("Not upheld")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contests")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("why the proposal should change"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Contest of {self.proposal}"


class MobilityRecord(models.Model):
    """A placement abroad, recorded like an exchange's mobility (the Erasmus+ Beneficiary Module fields).

    Created when a host accepts a participant for an Erasmus+ placement in another country (never for a
    placement at home or under another programme). Per person it carries
    the "fewer opportunities" *flag* only, never its reasons.
    """

    class LearnerType(models.TextChoices):
        VET_LEARNER = "vet-learner", _("VET learner")
        APPRENTICE = "apprentice", _("Apprentice")
        ADULT_LEARNER = "adult-learner", _("Adult learner")

    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="mobility"
    )
    assignment = models.OneToOneField(
        "placements.Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="mobility"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="mobilities")
    learner_type = models.CharField(_("learner type"), max_length=20, choices=LearnerType.choices)
    activity_code = models.CharField(_("Erasmus+ activity type"), max_length=20, blank=True)
    sending = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    receiving = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sending_erasmus_id = models.CharField(_("sending organisation's Erasmus+ ID"), max_length=9, blank=True)
    receiving_erasmus_id = models.CharField(
        _("receiving organisation's Erasmus+ ID"), max_length=9, blank=True
    )
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    start = models.DateField(_("start date"), null=True, blank=True)
    end = models.DateField(_("end date"), null=True, blank=True)
    fewer_opportunities = models.BooleanField(_("participant with fewer opportunities"), default=False)
    accompanying = models.BooleanField(_("accompanying person"), default=False)
    long_term = models.BooleanField(_("long-term (ErasmusPro)"), default=False)
    green_travel = models.BooleanField(_("green travel"), default=False)
    blended = models.BooleanField(_("blended"), default=False)
    force_majeure = models.BooleanField(_("force majeure"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("mobility record")
        verbose_name_plural = _("mobility records")

    def __str__(self) -> str:
        return f"{self.participant} → {self.receiving} ({self.activity_code or '-'})"

    @property
    def duration_days(self) -> int | None:
        return (self.end - self.start).days + 1 if self.start and self.end else None


def activity_code_for(days: int | None) -> str:
    """LM-SHORT-VET for 10–89 days, LM-LONG-VET (ErasmusPro) for 90–365 days, else none."""
    if days is None:
        return ""
    if 10 <= days <= 89:
        return "LM-SHORT-VET"
    if 90 <= days <= 365:
        return "LM-LONG-VET"
    return ""


# The lifecycle of one person at one placement (after the models it refers to).
from matchmaking.placements.models_lifecycle import Assignment, AttendanceNote, EndReason  # noqa: E402, F401

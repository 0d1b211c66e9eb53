"""Matchmaking events: a day (or days) of short one-to-one meetings between member organisations.

An event has sessions (a morning, an afternoon) cut into slots of a set length with breaks between
them, and tables (or rooms) with seats and accessibility. Organisations register a delegation of one
or more delegates; they ask each other for meetings (must meet / would like / no thanks); the
accepted requests are scheduled by the engine into a slot and a table. A meeting between two
organisations occupies every delegate of both. After the event each side gives feedback, a meeting
can become an exchange proposal, and six months later each side says what came of it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import Exchange
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term

# b2match keeps 15 minutes as the shortest meeting.
SHORTEST_SLOT_MINUTES = 15
# The "what came of it?" question opens this many days after the event's last day.
FOLLOW_UP_DAYS = 183


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTRATION_OPEN = "registration-open", _("Registration open")
    REQUESTS_OPEN = "requests-open", _("Meeting requests open")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class ScheduleStatus(models.TextChoices):
    NONE = "none", _("Not computed")
    QUEUED = "queued", _("Waiting for the scheduler")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Computed")
    FAILED = "failed", _("Failed")


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organising organisation"),
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    slot_minutes = models.PositiveIntegerField(
        _("meeting length in minutes"), default=20, validators=[MinValueValidator(SHORTEST_SLOT_MINUTES)]
    )
    break_minutes = models.PositiveIntegerField(_("break between meetings in minutes"), default=5)
    max_open_requests = models.PositiveIntegerField(
        _("most unanswered requests an organisation may have sent"), default=10
    )
    min_meetings = models.PositiveIntegerField(_("fewest meetings per organisation"), default=0)
    max_meetings = models.PositiveIntegerField(_("most meetings per organisation"), default=12)
    newcomer_min_meetings = models.PositiveIntegerField(
        _("meetings guaranteed to a newcomer"),
        default=2,
        help_text=_("An organisation at its first event gets at least this many meetings when possible."),
    )
    must_meet_mandatory = models.BooleanField(
        _("accepted must-meet requests are always scheduled"), default=True
    )
    state = models.CharField(_("state"), max_length=20, choices=EventState.choices, default=EventState.DRAFT)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # The schedule: computed in the background, provisional until the organiser publishes it.
    schedule_status = models.CharField(
        _("schedule"), max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.NONE
    )
    schedule_task_id = models.CharField(max_length=64, blank=True)
    schedule_progress = models.FloatField(default=0.0)
    schedule_conflicts = models.JSONField(default=list, blank=True)  # [{"code": ..., "params": {...}}]
    schedule_summary = models.JSONField(default=dict, blank=True)
    schedule_error = models.TextField(blank=True)
    schedule_computed_at = models.DateTimeField(null=True, blank=True)
    schedule_published_at = models.DateTimeField(null=True, blank=True)
    follow_up_prompted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.pk])

    @property
    def follow_up_opens(self) -> date:
        return self.end + timedelta(days=FOLLOW_UP_DAYS)

    @property
    def is_published(self) -> bool:
        return self.schedule_published_at is not None


class EventSession(models.Model):
    """A block of meetings on one day (a morning, an afternoon); a new session starts after lunch."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=100)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    class Meta:
        ordering = ["day", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M})"


class Slot(models.Model):
    """One meeting time, cut from a session; ``index`` is its 0-based place in the whole event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveIntegerField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["event", "index"]
        constraints = [models.UniqueConstraint(fields=["event", "index"], name="event_slot_index")]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Table(models.Model):
    """A table or a room where meetings take place."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("seats"), default=4, validators=[MinValueValidator(2)])
    accessible = models.BooleanField(_("accessible (step-free) meeting point"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """An organisation's delegation at an event."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="event_registrations"
    )
    offer_text = models.TextField(_("what we offer"), blank=True)
    seek_text = models.TextField(_("what we seek"), blank=True)
    listings = models.ManyToManyField(
        Opportunity, blank=True, related_name="+", verbose_name=_("our offers and requests")
    )
    languages = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("languages we can meet in"),
        limit_choices_to={"scheme": "languages"},
    )
    available_slots = models.ManyToManyField(
        Slot, blank=True, related_name="available_registrations", verbose_name=_("available")
    )
    availability_set_at = models.DateTimeField(null=True, blank=True)
    min_meetings = models.PositiveIntegerField(_("fewest meetings"), null=True, blank=True)
    max_meetings = models.PositiveIntegerField(_("most meetings"), null=True, blank=True)
    newcomer = models.BooleanField(_("first event"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    reminded_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="event_registration_once")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event}"


class Delegate(models.Model):
    """One person of a delegation."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role or job title"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs_accessible = models.BooleanField(_("needs an accessible (step-free) meeting point"), default=False)
    # Slots this person cannot meet in; a meeting occupies every delegate, so the delegation cannot.
    blocked_slots = models.ManyToManyField(
        Slot, blank=True, related_name="blocking_delegates", verbose_name=_("slots I cannot meet in")
    )
    agenda_opened_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registration", "name", "pk"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        return self.name


class Priority(models.TextChoices):
    MUST = "must", _("Must meet")
    WOULD_LIKE = "would-like", _("Would like to meet")
    NO_THANKS = "no-thanks", _("No thanks")


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Withdrawn")
        DISMISSED = "dismissed", _("No thanks")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received_requests")
    priority = models.CharField(_("how much you want it"), max_length=12, choices=Priority.choices)
    recipient_priority = models.CharField(
        _("how much they want it"), max_length=12, choices=Priority.choices, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # "Why you should meet", as the partner engine explained it: [{"code", "template", "params", "text"}].
    reasons = models.JSONField(default=list, blank=True)
    score = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"], name="event_request_once"),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")), name="event_request_not_self"
            ),
        ]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.requester.organisation} → {self.recipient.organisation}"


class NextStep(models.TextChoices):
    NONE = "none", _("No further step")
    CONTACT = "contact", _("Keep in contact")
    EXCHANGE = "exchange", _("Plan an exchange visit")
    PROJECT = "project", _("Prepare a joint project")


class FollowUpAnswer(models.TextChoices):
    NONE = "none", _("Nothing came of it")
    CONTACT = "contact", _("We kept in contact")
    EXCHANGE = "exchange", _("An exchange is planned or done")
    PROJECT = "project", _("A joint project or application")


class Meeting(models.Model):
    """An accepted request, placed (provisionally until published) in a slot at a table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    fixed = models.BooleanField(_("fixed by the organiser"), default=False)
    language = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("language")
    )
    held = models.BooleanField(_("took place"), null=True, blank=True)
    no_show = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("did not come"),
    )
    exchange = models.ForeignKey(
        Exchange,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("exchange proposal"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__index", "table__position", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.first.organisation} – {self.second.organisation}"

    def other(self, registration_id: int) -> Registration:
        return self.second if registration_id == self.first_id else self.first


class MeetingFeedback(models.Model):
    """One side's word on a meeting: right after the event, and six months later."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    took_place = models.BooleanField(_("the meeting took place"), default=True)
    useful = models.PositiveSmallIntegerField(
        _("how useful (1 to 5)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    next_step = models.CharField(_("next step"), max_length=12, choices=NextStep.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    follow_up = models.CharField(
        _("what came of it?"), max_length=12, choices=FollowUpAnswer.choices, blank=True
    )
    follow_up_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="event_feedback_once")
        ]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")

    def __str__(self) -> str:
        return f"{self.registration.organisation} on {self.meeting}"

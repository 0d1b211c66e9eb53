"""Exchanges between two organisations: from a proposal to a published report.

One exchange is one visit: a visiting (sending) organisation goes to a host (receiving) organisation.
It starts as a proposal with a message thread; the other side accepts or declines. Each visitor is a
mobility record; the programme is a day-by-day agenda, items assigned to all or to some visitors.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.mobility.models import ActivityType, Funding, Opportunity
from matchmaking.organisations.models import Organisation, record_id_validator
from matchmaking.taxonomies.models import Term

TITLE = _("%(type)s: %(visitor)s visits %(host)s")
"""An exchange's usual title; ``core.notification_kinds.EXCHANGE_TITLE`` is the same sentence."""


class State(models.TextChoices):
    DRAFT = "draft", _("Draft, not sent")
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    PLANNING = "planning", _("Planning")
    CONFIRMED = "confirmed", _("Confirmed")
    UNDER_WAY = "under-way", _("Under way")
    COMPLETED = "completed", _("Completed")
    REPORTED = "reported", _("Reported")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# States in which the visitors count against the host's capacity.
HOLDING_STATES = (
    State.AGREED,
    State.PLANNING,
    State.CONFIRMED,
    State.UNDER_WAY,
    State.COMPLETED,
    State.REPORTED,
)
# States before the visit is over: the ones that can still be cancelled.
OPEN_STATES = (State.PROPOSED, State.AGREED, State.PLANNING, State.CONFIRMED, State.UNDER_WAY)
FINAL_STATES = (State.REPORTED, State.DECLINED, State.CANCELLED, State.EXPIRED)


def new_exchange_key() -> str:
    """A stable identifier for the interchange format (``exchange-`` and 10 random hex digits)."""
    return f"exchange-{secrets.token_hex(5)}"


class Exchange(models.Model):
    key = models.CharField(
        _("identifier"), max_length=100, unique=True, default=new_exchange_key,
        validators=[record_id_validator],
    )  # fmt: skip
    host = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hosted_exchanges",
        verbose_name=_("receiving organisation (host)"),
    )  # fmt: skip
    visitor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="visiting_exchanges",
        verbose_name=_("sending organisation (visitors)"),
    )  # fmt: skip
    proposed_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("type"),
        limit_choices_to={"scheme": "opportunity-types"},
    )  # fmt: skip
    # A title someone gave the exchange (an import may); empty for the usual one, which ``title``
    # writes at display time in the reader's language.
    given_title = models.CharField(_("title"), max_length=200, blank=True, default="", db_column="title")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    group_size = models.PositiveIntegerField(_("number of visitors"), default=1)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, blank=True, default="")
    activity_code = models.CharField(
        _("Erasmus+ activity type"), max_length=20, choices=ActivityType.choices, blank=True, default=""
    )
    time_zone = models.CharField(_("host's time zone"), max_length=64, default="Europe/Brussels")
    # The Erasmus+ reporting flags of the mobilities of this exchange (the Beneficiary Module asks them
    # per mobility; every visitor of one exchange travels the same way).
    green_travel = models.BooleanField(
        _("green travel"), default=False,
        help_text=_("Most of the journey by low-emission means: train, bus, car-sharing."),
    )  # fmt: skip
    blended = models.BooleanField(
        _("blended mobility"), default=False,
        help_text=_("The physical visit has a virtual component: online before, during or after it."),
    )  # fmt: skip
    force_majeure = models.BooleanField(
        _("force majeure"), default=False,
        help_text=_("The mobility was cut short, changed or cancelled for reasons beyond anyone's control."),
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROPOSED)
    state_reason = models.TextField(_("reason"), blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("answer needed by"), null=True, blank=True)
    feedback_prompted_at = models.DateTimeField(null=True, blank=True)
    followup_prompted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The return visit: this exchange goes the other way round after ``reciprocal_of`` (its host visits
    # its visitors). At most one live return visit per exchange (see services.reciprocal_exchange_draft).
    reciprocal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reciprocals",
        verbose_name=_("return visit of"),
    )  # fmt: skip

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        indexes = [models.Index(fields=["host", "state", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.visitor} → {self.host} ({self.start:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:exchange-detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The title given to it, else "Job shadowing: Borås visits SOC Catalonia" in the active
        language."""
        if self.given_title:
            return self.given_title
        return str(TITLE) % {"type": self.type.label, "visitor": self.visitor.name, "host": self.host.name}

    @title.setter
    def title(self, value: str) -> None:
        self.given_title = value

    def title_param(self) -> str | dict[str, str]:
        """The title as a notification parameter: the given title, or its parts (the kind of
        exchange as its code), so that each reader gets it in their own language."""
        if self.given_title:
            return self.given_title
        return {"type": self.type.code, "visitor": self.visitor.name, "host": self.host.name}

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def answering_organisation_id(self) -> int:
        """The side that must accept or decline a proposal: the one that did not propose."""
        return self.host_id if self.proposed_by_id == self.visitor_id else self.visitor_id


class Message(models.Model):
    """One message in the contact thread between the two organisations."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Visitor(models.Model):
    """A person travelling in an exchange: their job-shadowing profile and their mobility record."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        VET_LEARNER = "vet-learner", _("VET learner")
        APPRENTICE = "apprentice", _("Apprentice")
        ADULT_LEARNER = "adult-learner", _("Adult learner")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="visitors")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role or job title"), max_length=200, blank=True)
    learning_goals = models.TextField(_("learning goals"), blank=True)
    kind = models.CharField(_("staff or learner"), max_length=20, choices=Kind.choices, default=Kind.STAFF)
    accompanying = models.BooleanField(_("accompanying person"), default=False)
    fewer_opportunities = models.BooleanField(_("participant with fewer opportunities"), default=False)
    start = models.DateField(_("start date"), null=True, blank=True)
    end = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("visitor (mobility record)")
        verbose_name_plural = _("visitors (mobility records)")

    def __str__(self) -> str:
        return self.name

    @property
    def first_day(self) -> date:
        return self.start or self.exchange.start

    @property
    def last_day(self) -> date:
        return self.end or self.exchange.end


class ProgrammeItem(models.Model):
    class Format(models.TextChoices):
        JOB_SHADOWING = "job-shadowing", _("Job shadowing")
        MEETING = "meeting", _("Meeting")
        SITE_VISIT = "site-visit", _("Site visit")
        OBSERVATION = "observation", _("Observation of a follow-up meeting")
        WORKSHOP = "workshop", _("Workshop")
        PRESENTATION = "presentation", _("Presentation")
        SOCIAL = "social", _("Lunch or social")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="programme")
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    activity = models.CharField(_("activity"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.MEETING)
    host_person = models.CharField(_("host person"), max_length=150, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    visitors = models.ManyToManyField(
        Visitor, blank=True, related_name="items", verbose_name=_("for these visitors only")
    )

    class Meta:
        ordering = ["day", "starts_at", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M} {self.activity}"


class Feedback(models.TextChoices):
    """How the visit went, asked right after it (after b2match's scale)."""

    NOT_HELD = "not-held", _("The visit did not take place")
    NO_INTEREST = "no-interest", _("Interesting, but no further cooperation")
    MAYBE = "maybe", _("Cooperation possible")
    PLANNED = "planned", _("Cooperation planned")


class FollowUp(models.TextChoices):
    """Did cooperation follow? Asked six months after the visit."""

    NONE = "none", _("No further contact")
    CONTACT = "contact", _("We kept in contact")
    RECIPROCAL = "reciprocal", _("A reciprocal visit is planned or done")
    AGREEMENT = "agreement", _("A cooperation agreement or joint project")


class CompletionReport(models.Model):
    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("the exchange in a few sentences"), blank=True)
    outcomes = models.TextField(_("what happens next"), blank=True)
    host_lessons = models.TextField(_("lessons learnt by the host"), blank=True, help_text=_("One per line."))
    visitor_lessons = models.TextField(
        _("lessons learnt by the participants"), blank=True, help_text=_("One per line.")
    )
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True, help_text=_("One per line."))
    host_feedback = models.CharField(
        _("host's feedback"), max_length=20, choices=Feedback.choices, blank=True
    )
    visitor_feedback = models.CharField(
        _("visitors' feedback"), max_length=20, choices=Feedback.choices, blank=True
    )
    host_follow_up = models.CharField(
        _("six months later (host)"), max_length=20, choices=FollowUp.choices, blank=True
    )
    visitor_follow_up = models.CharField(
        _("six months later (visitors)"), max_length=20, choices=FollowUp.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")

    def __str__(self) -> str:
        return f"report on {self.exchange}"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    def host_lesson_list(self) -> list[str]:
        return self.lines(self.host_lessons)

    def visitor_lesson_list(self) -> list[str]:
        return self.lines(self.visitor_lessons)

    def follow_up_list(self) -> list[str]:
        return self.lines(self.follow_up_actions)


class Testimonial(models.Model):
    """A quote from a participant or host, usable in a story only with recorded consent."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="testimonials")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author_name = models.CharField(_("name of the person quoted"), max_length=150)
    text = models.TextField(_("quote"))
    consent = models.BooleanField(_("the person agrees to publication with their name"), default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class ExchangeChange(models.Model):
    """A change of agreed dates or group size, proposed by one side and answered by the other.

    While it is pending the agreed values stay; accepted, it is applied and recorded with before and
    after; refused, nothing changes. ``values`` holds each changed field's old and new value (ISO dates).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="changes")
    proposed_by = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    values = models.JSONField(_("changes"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange"],
                condition=models.Q(state="pending"),
                name="one_pending_change_per_exchange",
            )
        ]

    def __str__(self) -> str:
        return f"change of {self.exchange_id} ({self.state})"

    def new_value(self, name: str) -> str | int | None:
        entry = self.values.get(name)
        return entry["new"] if entry else None

    def rows(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for the page."""
        labels = {"start": _("first day"), "end": _("last day"), "group_size": _("number of visitors")}
        return [(str(labels.get(k, k)), v["old"], v["new"]) for k, v in self.values.items()]


# --- Conversations between two organisations, before and without a proposal -----------------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "odt", "ods", "docx", "xlsx", "pptx")


def attachment_size_validator(file: Any) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB)."),
            params={"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )


class Conversation(models.Model):
    """Messages between two organisations. ``first`` is the organisation with the smaller id, so a
    pair is stored one way only; the exchange is set when a proposal between the two is made."""

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("about the offer or request"),
    )  # fmt: skip
    exchange = models.ForeignKey(
        Exchange, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    started_by = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["first", "second", "-updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="conversation_pair_order"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("exchanges:conversation-detail", args=[self.pk])

    def other_id(self, organisation_id: int) -> int:
        return self.second_id if organisation_id == self.first_id else self.first_id


class ConversationMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    attachment = models.FileField(
        _("attachment"), upload_to="conversations/%Y/%m/", blank=True,
        validators=[FileExtensionValidator(list(ATTACHMENT_EXTENSIONS)), attachment_size_validator],
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def attachment_name(self) -> str:
        return (self.attachment.name or "").rsplit("/", 1)[-1]

"""Participants: a pseudonymous record for the work, a separate identifying record read only when needed.

Participants do not log in; case workers act and record on their behalf. Everything the matching may
use lives on ``Participant`` (skills, languages, availability, practical support requirements,
willingness to go abroad). Identifying details live on ``ParticipantIdentity``, and every read of them
goes through ``selectors.participant_identity`` which writes the access log. Sensitive data (the
"fewer opportunities" reasons, age group) is kept for support and monitoring only and never reaches
the engine.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.organisations.models import Organisation
from matchmaking.participants.clock import add_months, clock_months
from matchmaking.taxonomies.models import Region

PSEUDONYM_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def new_pseudonym() -> str:
    """``P-`` and six characters that cannot be misread (no 0/O, 1/I, 5/S, 8/B)."""
    return "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


class SupportRequirement(models.TextChoices):
    """Practical support, stated as what is needed and never as a diagnosis."""

    STEP_FREE = "step-free-access", _("Step-free access")
    MENTOR = "mentor", _("A mentor at the workplace")
    INTERPRETER = "interpreter", _("An interpreter")
    FLEXIBLE_HOURS = "flexible-hours", _("Flexible or part-time hours")
    QUIET_SPACE = "quiet-space", _("A quiet place to work")
    ADAPTED_EQUIPMENT = "adapted-equipment", _("Adapted equipment")
    ACCOMPANIED_TRAVEL = "accompanied-travel", _("Accompanied travel")
    CHILDCARE = "childcare", _("Help with childcare")


class Gender(models.TextChoices):
    """Self-declared and optional; only for monitoring and fairness reports, never an input of matching."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    NOT_STATED = "", _("Not stated")


class AgeGroup(models.TextChoices):
    """Only for the Youth Guarantee clock and monitoring; never an input of matching."""

    YOUNG = "young", _("Young person")
    ADULT = "adult", _("Adult")
    UNKNOWN = "", _("Not known")


class ClockStart(models.TextChoices):
    REGISTERED = "registered", _("Registered with us")
    LEFT_EDUCATION = "left-education", _("Left education")
    UNEMPLOYED = "unemployed", _("Became unemployed")


def _as_date(value: date | str | None) -> date | None:
    """A date field's value, which code may have set as an ISO string before saving."""
    return models.DateField().to_python(value)


class Participant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXITED = "exited", _("Left the programme")
        ERASED = "erased", _("Erased")

    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True, default=new_pseudonym)
    reference = models.CharField(
        _("reference in your case system"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Optional; used to match rows when you import again."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participants", verbose_name=_("organisation")
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_participants",
        verbose_name=_("key worker"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_on = models.DateField(_("registered on"))
    clock_start = models.CharField(
        _("Youth Guarantee clock starts when the person"),
        max_length=20,
        choices=ClockStart.choices,
        default=ClockStart.REGISTERED,
    )
    clock_start_on = models.DateField(_("date the clock starts"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)
    gender = models.CharField(
        _("gender (self-declared)"), max_length=12, choices=Gender.choices, blank=True, default=""
    )
    home_country = models.CharField(_("country of residence"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("region")
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    willing_to_go_abroad = models.BooleanField(_("willing to go abroad"), default=False)
    support_requirements = models.JSONField(_("practical support requirements"), default=list, blank=True)
    occupation_interests = models.JSONField(_("occupations of interest (ESCO)"), default=list, blank=True)
    fewer_opportunities = models.BooleanField(_("fewer opportunities"), default=False)
    barriers = models.JSONField(_("reasons for fewer opportunities"), default=list, blank=True)
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The Youth Guarantee clock's two dates, kept by ``save``, by ``Offer.save`` and, for bulk writes and
    # a change of the month limits, by ``clock_dates.clock_dates_refresh``: the caseload sorts and
    # filters every row by them without working out the clock of each person (``clock_sql``).
    clock_due_on = models.DateField(_("offer due by"), null=True, editable=False)
    clock_stopped_on = models.DateField(_("first offer on"), null=True, editable=False)

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(
                fields=["organisation", "status", "clock_stopped_on", "clock_due_on"],
                name="participant_clock_idx",
            ),
            models.Index(
                fields=["status", "clock_stopped_on", "clock_due_on"], name="participant_clock_all_idx"
            ),
            # The running clocks in the list's order, so the overdue people are read in the clock order
            # (``selectors.caseload_by_clock``) and a page stops after its rows. Partial, because
            # PostgreSQL orders by an index only past columns compared with "=", not "IS NULL".
            models.Index(
                fields=["status", "clock_due_on", "registered_on", "pseudonym"],
                condition=Q(clock_stopped_on__isnull=True),
                name="participant_overdue_idx",
            ),
            # The lists in their order (``selectors.caseload``: oldest registration first), so a page of
            # 50 is read in order and the database stops there instead of sorting 100,000 people.
            models.Index(fields=["status", "registered_on", "pseudonym"], name="participant_list_idx"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    CLOCK_FIELDS = frozenset({"registered_on", "clock_start_on", "age_group"})

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Keep the clock's stored dates in step with the start and the age group: the due date always,
        the first offer when an existing person's start may have moved past or before an offer."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self.CLOCK_FIELDS & set(update_fields):
            super().save(*args, **kwargs)
            return
        started = _as_date(self.clock_start_on) or _as_date(self.registered_on)
        if started is not None:
            self.clock_due_on = add_months(started, clock_months(self.age_group))
            if self.pk is not None:
                first = self.offers.filter(offered_on__gte=started).order_by("offered_on")
                self.clock_stopped_on = first.values_list("offered_on", flat=True).first()
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "clock_due_on", "clock_stopped_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("participants:participant-detail", args=[self.pseudonym])

    def support_labels(self) -> list[str]:
        labels = dict(SupportRequirement.choices)
        return [str(labels.get(code, code)) for code in self.support_requirements]


class ParticipantIdentity(models.Model):
    """Who the person is. Read only through the selector, which writes the access log."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="identity")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("identifying details")
        verbose_name_plural = _("identifying details")

    def __str__(self) -> str:
        return f"{self.participant.pseudonym} (identity)"

    PERSONAL_FIELDS = ("given_name", "family_name", "date_of_birth", "email", "phone", "address")


class ParticipantLanguage(models.Model):
    class Level(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", _("C2 or mother tongue")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3)
    level = models.CharField(_("level (CEFR)"), max_length=2, choices=Level.choices)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["participant", "code"], name="one_level_per_language")]

    def __str__(self) -> str:
        return f"{self.code} {self.level}"


class SkillSource(models.TextChoices):
    """The sections of the guided skills interview."""

    QUALIFICATION = "qualification", _("Formal qualification")
    WORK = "work", _("Work history")
    VOLUNTEERING = "volunteering", _("Volunteering")
    CARE = "care", _("Care at home")
    HOBBY = "hobby", _("Hobbies and interests")
    OTHER = "other", _("Other")


class ParticipantSkill(models.Model):
    class How(models.TextChoices):
        FORMAL = "formal", _("Formal")
        INFORMAL = "informal", _("Informal")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="skills")
    uri = models.CharField(_("ESCO skill"), max_length=200)
    label = models.CharField(_("skill"), max_length=300)
    how = models.CharField(_("learnt"), max_length=10, choices=How.choices, default=How.INFORMAL)
    source = models.CharField(
        _("where"), max_length=20, choices=SkillSource.choices, default=SkillSource.OTHER
    )
    validated = models.BooleanField(_("validated"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    esco_version = models.CharField(_("ESCO version"), max_length=20)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["participant", "uri"], name="one_entry_per_skill")]

    def __str__(self) -> str:
        return self.label


class FollowUpMember(models.Model):
    """A professional in the person's follow-up group; personal details only with the explicit flag."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="group")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role in the group"), max_length=100, blank=True)
    can_view_personal = models.BooleanField(_("may see personal details"), default=False)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.user} in group of {self.participant}"


class Consent(models.Model):
    """Consent for one purpose, dated and revocable. Sharing names the organisation it allows."""

    class Purpose(models.TextChoices):
        SUPPORT = "support", _("Support and case work")
        SHARING = "sharing", _("Sharing with a named organisation")
        MONITORING = "monitoring", _("Anonymous monitoring and statistics")
        TESTIMONIALS = "testimonials", _("Testimonials")
        BARRIERS = "barriers", _("Recording the reasons for fewer opportunities")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation data may be shared with"),
    )
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.participant})"

    @property
    def active(self) -> bool:
        return self.revoked_on is None

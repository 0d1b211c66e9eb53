"""Offers and requests for job shadowing, study visits, teaching assignments, placements, partnerships;
saved searches; cached partner suggestions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.core.json_documents import WrittenJSONField
from matchmaking.organisations.models import Organisation, record_id_validator
from matchmaking.taxonomies.models import Term


class Direction(models.TextChoices):
    OFFER = "offer", _("Offer (we host / we provide)")
    REQUEST = "request", _("Request (we want to go / we seek)")


class Funding(models.TextChoices):
    ERASMUS_KA1 = "erasmus-ka1", _("Erasmus+ KA1 (learning mobility)")
    ERASMUS_KA2 = "erasmus-ka2", _("Erasmus+ KA2 (cooperation partnership)")
    OTHER = "other", _("Other grant")
    OWN = "own", _("Own budget")
    OPEN = "", _("Not decided yet")


class ActivityType(models.TextChoices):
    """Erasmus+ Beneficiary Module activity-type codes (VET accreditation projects)."""

    SM_JOB_SHDW = "SM-JOB-SHDW", _("SM-JOB-SHDW – job shadowing (2–60 days)")
    SM_TTA = "SM-TTA", _("SM-TTA – teaching or training assignment")
    SM_COUR_TRAIN = "SM-COUR-TRAIN", _("SM-COUR-TRAIN – courses and training")
    LM_SKILL_VET = "LM-SKILL-VET", _("LM-SKILL-VET – skills competitions")
    LM_SHORT_VET = "LM-SHORT-VET", _("LM-SHORT-VET – short-term learner mobility (10–89 days)")
    LM_LONG_VET = "LM-LONG-VET", _("LM-LONG-VET – ErasmusPro (90–365 days)")
    OA_INV_EXP = "OA-INV-EXP", _("OA-INV-EXP – invited experts")
    OA_HOS_TTT = "OA-HOS-TTT", _("OA-HOS-TTT – hosting teachers and educators in training")
    NONE = "", _("None")


class Support(models.TextChoices):
    """Accessibility and inclusion support a host can give (stated as what is offered, never as needs)."""

    STEP_FREE = "step-free-access", _("Step-free access")
    INTERPRETER = "interpreter", _("Interpreter")
    MENTOR = "mentor", _("A mentor or buddy")
    QUIET_ROOM = "quiet-room", _("A quiet room")
    EASY_READ = "easy-read", _("Easy-to-read material")
    SIGN_LANGUAGE = "sign-language", _("Sign-language interpretation")
    FLEXIBLE_HOURS = "flexible-hours", _("Flexible hours and breaks")
    HEARING_LOOP = "hearing-loop", _("Hearing loop")
    ACCOMMODATION_HELP = "accommodation-help", _("Help finding accessible accommodation")


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    key = models.CharField(_("identifier"), max_length=100, unique=True, validators=[record_id_validator])
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="opportunities")
    type = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("type"),
        limit_choices_to={"scheme": "opportunity-types", "active": True},
    )  # fmt: skip
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    topics = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("topics"),
        limit_choices_to={"scheme": "practice-topics", "active": True},
    )  # fmt: skip
    target_groups = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("target groups"),
        limit_choices_to={"scheme": "target-groups", "active": True},
    )  # fmt: skip
    languages = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("languages"),
        limit_choices_to={"scheme": "languages"},
    )
    earliest = models.DateField(_("earliest date"), null=True, blank=True)
    latest = models.DateField(_("latest date"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duration in days"), default=1)
    group_size = models.PositiveIntegerField(_("group size"), default=1)
    description = models.TextField(_("description"), blank=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, blank=True, default="")
    activity_code = models.CharField(
        _("Erasmus+ activity type"), max_length=20, choices=ActivityType.choices, blank=True, default=""
    )
    support_offered = models.JSONField(_("accessibility and inclusion support"), default=list, blank=True)
    support_notes = models.TextField(_("more about the support"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Folded words to search in (see mobility.search), kept up to date by the services.
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["earliest", "key"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        # The opportunity list: open ones by date.
        indexes = [
            models.Index(fields=["status", "earliest", "key", "organisation"], name="opportunity_list_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.type} ({self.get_direction_display()})"

    def get_absolute_url(self) -> str:
        return reverse("mobility:opportunity-detail", args=[self.key])

    def support_labels(self) -> list[str]:
        labels = dict(Support.choices)
        return [str(labels.get(code, code)) for code in self.support_offered]


class SavedSearch(models.Model):
    """A user's search of offers and requests; a new matching opportunity sends an alert."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    filters = models.JSONField(_("filters"), default=dict)
    alerts = models.BooleanField(_("send an alert for new matches"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class Suggestion(models.Model):
    """One cached partner suggestion for an opportunity, as the engine ranked it."""

    # No index of its own: ``suggestion_rank_idx`` starts with it (one index less to keep up for each of
    # the 750,000 rows a full refresh writes at network size).
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="suggestions", db_index=False
    )
    rank = models.PositiveIntegerField()
    # What a row suggests is not checked by the database (``db_constraint=False``): a full refresh
    # writes 750,000 rows, and checking these two references was about a quarter of PostgreSQL's work
    # for each, the suggested records share-locked by both refresh processes at once. Deleting a record
    # still deletes the rows naming it (Django's cascade); a chunk's write leaves out rows naming a
    # record deleted while the chunk was scored (``suggestion_rows.Present``), and the nightly full
    # refresh removes any row left by a deletion outside the app. The listing a row belongs to stays
    # checked.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    their_opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    score = models.FloatField()
    # Written by the hundred thousand and read back whole: PostgreSQL keeps them as ``json`` rather
    # than building ``jsonb`` (``WrittenJSONField``).
    parts = WrittenJSONField(default=list)
    reasons = WrittenJSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["opportunity", "rank"]
        verbose_name = _("partner suggestion")
        verbose_name_plural = _("partner suggestions")
        # The suggestions page and API: one opportunity's suggestions by rank.
        indexes = [models.Index(fields=["opportunity", "rank"], name="suggestion_rank_idx")]

    def __str__(self) -> str:
        return f"{self.opportunity.key} → {self.organisation.key} ({self.score})"


class SuggestionRun(models.Model):
    """When an opportunity's suggestions were last computed (absent: never)."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="suggestion_run")
    computed_at = models.DateTimeField()
    candidates = models.PositiveIntegerField(default=0)
    # When the stored suggestions were last written, and a digest of what they rank (suggested listings
    # and organisations, scores, the country spread): a refresh that ranks the same, with none of the
    # records they concern saved since, confirms the list (``computed_at``) without writing it again.
    written_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.opportunity.key} at {self.computed_at}"


class DescriptionVector(models.Model):
    """A description's vector from the text model, kept so that unchanged texts are never embedded twice.

    Keyed by a hash of the exact text and the model's name: an edited description gets a new row, a
    new model new rows; rows nobody uses any more are harmless (a few hundred bytes each).
    """

    text_hash = models.CharField(max_length=64)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    """float16, unit length, as raw bytes."""
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["text_hash", "model"], name="description_vector_text_model")
        ]
        verbose_name = _("description vector")
        verbose_name_plural = _("description vectors")

    def __str__(self) -> str:
        return f"{self.model}:{self.text_hash[:12]}"

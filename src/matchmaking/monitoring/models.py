"""The monitoring data the coordinator enters: targets per indicator and year, and the learner counts
(denominators) per NUTS-2 region or organisation and year. Everything else the cockpit shows is
computed from the other apps' tables."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Region


class Target(models.Model):
    """A target value of an indicator for one year, set by the partnership or by the Council."""

    class Source(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership")
        COUNCIL = "council", _("Council of the EU")

    indicator = models.CharField(_("indicator"), max_length=60)
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("set by"), max_length=20, choices=Source.choices)
    value = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    reference = models.CharField(
        _("reference"), max_length=300, blank=True,
        help_text=_("The text that sets the target (title, date, official reference)."),
    )  # fmt: skip
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "source"], name="one_target_per_year_source")
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.source}: {self.value} %"


class LearnerCount(models.Model):
    """The learners of one year in one NUTS-2 region or one organisation: the denominator of the
    learners-on-mobility indicator (initial VET graduates, as the official indicator counts them)."""

    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    learners = models.PositiveIntegerField(_("learners"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "region__code", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, organisation__isnull=True)
                | models.Q(region__isnull=True, organisation__isnull=False),
                name="learner_count_region_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["year", "region"], condition=models.Q(organisation__isnull=True),
                name="one_learner_count_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["year", "organisation"], condition=models.Q(region__isnull=True),
                name="one_learner_count_per_organisation_year",
            ),
        ]  # fmt: skip
        verbose_name = _("learner count")
        verbose_name_plural = _("learner counts")

    def __str__(self) -> str:
        return f"{self.year} {self.region or self.organisation}: {self.learners}"


class MobilityFact(models.Model):
    """Pre-aggregated exchanges and people travelling, for the cockpit (``facts.py`` refreshes them).

    Two kinds of rows, both grouped by every dimension the cockpit filters on (no joins at read time):
    exchange rows count exchanges in every state (``exchanges``, people zero); people rows count the
    people travelling (accompanying persons left out) in exchanges holding places, by the day their own
    mobility starts (``start``; ``exchange_start`` is the exchange's first day). Organisation ids are
    plain integers, not keys: the table is rebuilt whole, never edited.
    """

    state = models.CharField(max_length=12)
    exchange_start = models.DateField()
    start = models.DateField()
    year = models.PositiveIntegerField()
    type_code = models.CharField(max_length=60)
    activity_code = models.CharField(max_length=20, blank=True)
    sending_id = models.IntegerField()
    receiving_id = models.IntegerField()
    sending_country = models.CharField(max_length=2, blank=True)
    receiving_country = models.CharField(max_length=2, blank=True)
    sending_region = models.CharField(max_length=10, blank=True)
    receiving_region = models.CharField(max_length=10, blank=True)
    sending_kind = models.CharField(max_length=60, blank=True)
    receiving_kind = models.CharField(max_length=60, blank=True)
    green_travel = models.BooleanField(default=False)
    blended = models.BooleanField(default=False)
    force_majeure = models.BooleanField(default=False)
    exchanges = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    fewer_opportunities = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    learners_long = models.PositiveIntegerField(default=0)  # VET learners and apprentices, 10 days or more

    class Meta:
        indexes = [
            models.Index(fields=["start"], name="mobility_fact_start"),
            models.Index(fields=["sending_id"], name="mobility_fact_sending"),
            models.Index(fields=["receiving_id"], name="mobility_fact_receiving"),
        ]

    def __str__(self) -> str:
        return f"{self.start} {self.sending_id}→{self.receiving_id}: {self.exchanges}, {self.people} people"


class FactRefresh(models.Model):
    """When the pre-aggregated tables were last rebuilt (one row), and how long it took."""

    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}: {self.rows} rows in {self.seconds} s"

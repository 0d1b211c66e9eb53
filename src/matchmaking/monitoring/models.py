"""The monitoring data the coordinator enters: targets per indicator and year, and the learner counts
(denominators) per NUTS-2 region or organisation and year. Everything else the cockpit shows is
computed from the other apps' tables."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import Exchange
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


class FactColumns(models.Model):
    """The columns of a pre-aggregated table: every dimension the cockpit filters or groups on, and the
    counts (``facts.py`` refreshes the tables).

    Two kinds of rows, both grouped by every dimension (no joins at read time): exchange rows count
    exchanges in every state (``exchanges``, people zero); people rows count the people travelling
    (accompanying persons left out) in exchanges holding places, by the day their own mobility starts
    (``start``; ``exchange_start`` is the exchange's first day). The exchange rows also carry what the
    other exchange indicators need: the last day, whether the pair is reciprocal, the follow-up answers
    and the days from proposal to acceptance (empty on people rows). Organisation ids are plain
    integers, not keys: the tables are rebuilt whole, never edited.
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
    # Exchange rows only.
    exchange_end = models.DateField(null=True)
    reciprocal = models.BooleanField(default=False)  # the host has also visited the sender (holding)
    pair_low = models.IntegerField(default=0)  # the pair of organisations, whichever way: the lower id
    pair_high = models.IntegerField(default=0)  # and the higher
    host_follow_up = models.CharField(max_length=20, blank=True)
    visitor_follow_up = models.CharField(max_length=20, blank=True)
    accepted_on = models.DateField(null=True)  # the day of the first "exchange.accept"
    agreement_days = models.FloatField(null=True)  # from the proposal (creation) to that acceptance
    exchanges = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    fewer_opportunities = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    learners_long = models.PositiveIntegerField(default=0)  # VET learners and apprentices, 10 days or more

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.start} {self.sending_id}→{self.receiving_id}: {self.exchanges}, {self.people} people"


# Covering indexes in the order of each grouped query of ``fact_reader.py``: SQLite then reads the
# index in order and sums as it goes, instead of sorting every row (most of a query's time otherwise).
COUNTS = ["type_code", "state", "host_follow_up", "visitor_follow_up", "start", "exchanges"]
PEOPLE = ["year", "activity_code", "green_travel", "blended", "force_majeure", "start", "type_code", "people",
          "fewer_opportunities", "learners_long"]  # fmt: skip
FLOWS = ["sending_region", "receiving_region", "type_code", "state", "exchange_start", "exchanges", "staff"]
PAIRS = ["pair_low", "pair_high", "reciprocal", "state", "start", "type_code", "exchanges"]
ENDS = ["exchange_end", "state", "type_code", "exchanges"]  # no index leads with the state: SQLite
# would take it for ``state IN (…)`` and sort, instead of reading FLOWS or PAIRS in order
AGREEMENT = ["agreement_days", "accepted_on", "type_code", "exchanges"]


class MobilityFact(FactColumns):
    """Exchanges and people travelling, pre-aggregated for the cockpit."""

    class Meta:
        indexes = [
            models.Index(fields=["start"], name="mobility_fact_start"),
            models.Index(fields=["sending_id"], name="mobility_fact_sending"),
            models.Index(fields=["receiving_id"], name="mobility_fact_receiving"),
            models.Index(fields=["sending_region"], name="mobility_fact_s_region"),
            models.Index(fields=["receiving_region"], name="mobility_fact_r_region"),
            models.Index(fields=["sending_country"], name="mobility_fact_s_country"),
            models.Index(fields=["receiving_country"], name="mobility_fact_r_country"),
            models.Index(fields=COUNTS, name="mobility_fact_counts"),
            models.Index(fields=PEOPLE, name="mobility_fact_people"),
            models.Index(fields=FLOWS, name="mobility_fact_flows"),
            models.Index(fields=PAIRS, name="mobility_fact_pairs"),
            models.Index(fields=ENDS, name="mobility_fact_ends"),
            models.Index(fields=AGREEMENT, name="mobility_fact_agreement"),
        ]


class TargetGroupFact(FactColumns):
    """The same rows once per target group of their exchanges (the groups its offer, its request and
    its sending organisation name, each once): the cockpit's target-group filter reads these."""

    target_group = models.CharField(max_length=60)

    class Meta:
        indexes = [
            models.Index(fields=["target_group", "start"], name="group_fact_group_start"),
            models.Index(fields=["target_group", "sending_id"], name="group_fact_group_sending"),
            models.Index(fields=["target_group", "receiving_id"], name="group_fact_group_receiving"),
            models.Index(fields=["target_group", *COUNTS], name="group_fact_counts"),
            models.Index(fields=["target_group", *PEOPLE], name="group_fact_people"),
            models.Index(fields=["target_group", *FLOWS], name="group_fact_flows"),
            models.Index(fields=["target_group", *PAIRS], name="group_fact_pairs"),
            models.Index(fields=["target_group", *ENDS], name="group_fact_ends"),
            models.Index(fields=["target_group", *AGREEMENT], name="group_fact_agreement"),
        ]


class ExchangeTargetGroup(models.Model):
    """Bridge of the refresh: each exchange with each target group its offer, its request or its sending
    organisation names, once. Rebuilt with the fact tables."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.DO_NOTHING, db_constraint=False, related_name="monitoring_target_groups"
    )
    target_group = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["exchange", "target_group"], name="exchange_group_bridge")]

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.target_group}"


class FactRefresh(models.Model):
    """When the pre-aggregated tables were last rebuilt (one row), and how long it took."""

    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}: {self.rows} rows in {self.seconds} s"

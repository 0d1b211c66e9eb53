"""Offers and requests for job shadowing, study visits, teaching assignments, placements, partnerships."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaking.organisations.models import Organisation, record_id_validator
from matchmaking.taxonomies.models import Term


class Direction(models.TextChoices):
    OFFER = "offer", _("Offer (we host / we provide)")
    REQUEST = "request", _("Request (we want to go / we seek)")


class Opportunity(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

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
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["earliest", "key"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.type} ({self.get_direction_display()})"

"""Member organisations of the network, their people and roles, applications to join, invitations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.permissions.roles import Role
from matchmaking.taxonomies.models import Region, Term

erasmus_id_validator = RegexValidator(
    r"^E\d{8}$", _("An Erasmus+ organisation ID is 'E' followed by 8 digits.")
)
record_id_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", _("Use letters, digits, '.', '_', ':' or '-' only.")
)


class Organisation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active member")
        SUSPENDED = "suspended", _("Suspended")

    key = models.CharField(
        _("identifier"), max_length=100, unique=True, validators=[record_id_validator],
        help_text=_("A short stable identifier used in data exchange, e.g. boras-working-life."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of organisation"),
        limit_choices_to={"scheme": "organisation-kinds", "active": True},
    )  # fmt: skip
    country = models.CharField(_("country"), max_length=2, db_index=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    languages = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("working languages"),
        limit_choices_to={"scheme": "languages"},
    )  # fmt: skip
    target_groups = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("target groups"),
        limit_choices_to={"scheme": "target-groups", "active": True},
    )  # fmt: skip
    expertise = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("what we can show (expertise)"),
        limit_choices_to={"scheme": "practice-topics", "active": True},
    )  # fmt: skip
    interests = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("what we want to learn (interests)"),
        limit_choices_to={"scheme": "practice-topics", "active": True},
    )  # fmt: skip
    hosting_capacity = models.PositiveIntegerField(
        _("hosting capacity"), default=0,
        help_text=_("The most visitors you can host on any one day."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    erasmus_id = models.CharField(
        _("Erasmus+ organisation ID"), max_length=9, blank=True, validators=[erasmus_id_validator]
    )
    erasmus_accreditation = models.CharField(_("Erasmus+ accreditation"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Folded words to search in (see organisations.search), kept up to date by the services.
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # The organisation list: active ones by name.
        indexes = [
            models.Index(fields=["status", "name"], name="organisation_list_idx"),
            # The few organisations not active, which every listing query of a member leaves out
            # (``mobility.selectors.visible_opportunities``): PostgreSQL read all 10,000 rows for them.
            models.Index(fields=["id"], condition=~Q(status="active"), name="organisation_not_active_idx"),
            # The countries of the active organisations (the filters' choices) and the country filter.
            models.Index(fields=["status", "country"], name="organisation_country_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", args=[self.key])


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class JoinApplication(models.Model):
    """An organisation's application to join the network, reviewed by a coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    profile = models.JSONField(_("proposed profile"))
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    message = models.TextField(_("why do you want to join?"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")

    def __str__(self) -> str:
        return str(self.profile.get("name", "?"))


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

"""Code-list terms, languages and NUTS regions in the database, so forms and filters can use them.

The files in ``data/`` are the source of truth; ``services.taxonomy_sync`` copies them in (from a
migration, and again after every ``migrate`` so an edited file takes effect).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES_SCHEME = "languages"


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, scheme: str) -> TermQuerySet:
        return self.filter(scheme=scheme, active=True)


class Term(models.Model):
    """One entry of a code list (organisation kind, target group, practice topic, language ...)."""

    scheme = models.CharField(_("code list"), max_length=40, db_index=True)
    code = models.CharField(_("code"), max_length=60)
    labels = models.JSONField(_("labels"), default=dict)
    definitions = models.JSONField(_("definitions"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="unique_term_code")]
        verbose_name = _("code-list term")
        verbose_name_plural = _("code-list terms")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English, then to the code."""
        language = (get_language() or "en").split("-")[0]
        return self.labels.get(language) or self.labels.get("en") or self.code

    @property
    def definition(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return self.definitions.get(language) or self.definitions.get("en") or ""


class Region(models.Model):
    """A NUTS 2024 level-2 region."""

    code = models.CharField(_("NUTS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, db_index=True)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

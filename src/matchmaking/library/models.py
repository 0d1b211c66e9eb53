"""Good-practice stories written from reported exchanges, published when both organisations approve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import Exchange
from matchmaking.taxonomies.models import Term


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, waiting for approval")
        PUBLISHED = "published", _("Published")

    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="story")
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("the exchange"))
    outcomes = models.TextField(_("what happened next"), blank=True)
    host_lessons = models.TextField(_("lessons learnt by the host"), blank=True)
    visitor_lessons = models.TextField(_("lessons learnt by the participants"), blank=True)
    topics = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("topics"),
        limit_choices_to={"scheme": "practice-topics"},
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    host_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_approved_at = models.DateTimeField(null=True, blank=True)
    visitor_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitor_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("good-practice story")
        verbose_name_plural = _("good-practice stories")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:story-detail", args=[self.slug])

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    def host_lesson_list(self) -> list[str]:
        return self.lines(self.host_lessons)

    def visitor_lesson_list(self) -> list[str]:
        return self.lines(self.visitor_lessons)

"""Reads for accounts: a person's own API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from matchmaking.accounts.models import ApiToken, User


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's tokens that are not revoked, newest first (expired ones too, marked on the page)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")

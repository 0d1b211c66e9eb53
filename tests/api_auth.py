"""Authorising test requests to the API as a user, the way a program does: a personal access token."""

from __future__ import annotations

from matchmaking.accounts.models import ApiToken
from matchmaking.accounts.services import api_token_create


def bearer(user, scope: str = ApiToken.Scope.WRITE) -> dict[str, str]:
    """Headers for the test client carrying a new token of ``user`` with ``scope``."""
    _, token = api_token_create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

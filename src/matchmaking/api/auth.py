"""API authentication: a personal bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from matchmaking.accounts.models import User
from matchmaking.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class MemberSessionAuth(SessionAuth):
    """Session login, for the web app's own htmx calls and the interactive docs."""


AUTH = [TokenAuth(), MemberSessionAuth()]

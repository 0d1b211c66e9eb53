"""API authentication: a personal bearer token, or the browser session (with CSRF).

A token answers only while it is valid (not revoked, not expired) and only as far as its scope goes: a
read token may only read. A role that must use a second factor on the web must have set it up to use
the API as well; the session is already held to that by the web's middleware."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from matchmaking.accounts.models import ApiToken, User
from matchmaking.accounts.services import api_token_use
from matchmaking.permissions.roles import has_two_factor, requires_two_factor

# The methods a read token may call.
READ_METHODS = frozenset({"GET", "HEAD"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_use(token)
        if api_token is None:
            return None
        user = api_token.user
        if settings.MFA_REQUIRED and requires_two_factor(user) and not has_two_factor(user):
            raise HttpError(
                401,
                _(
                    "Your role gives access to personal data: set up two-factor authentication "
                    "before using the API."
                ),
            )
        if api_token.scope != ApiToken.Scope.WRITE and request.method not in READ_METHODS:
            raise HttpError(403, _("This token may only read: make a token with write access."))
        request.user = user
        return user


class MemberSessionAuth(SessionAuth):
    """Session login, for the web app's own htmx calls and the interactive docs."""


AUTH = [TokenAuth(), MemberSessionAuth()]

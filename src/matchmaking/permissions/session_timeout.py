"""End a session that has been idle too long, sooner for people whose role shows personal data.

The time of the last request is kept in the session (rewritten at most once a minute, so a busy page
does not write the session on every request). When the gap since then is longer than the person's
limit, the session ends and the person is sent to the login page with a message, and back to the page
they asked for once logged in again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from matchmaking.permissions.roles import requires_two_factor

LAST_ACTIVITY_KEY = "_matchmaking_last_activity"
# Seconds between two rewrites of the last-activity time.
_RESOLUTION = 60


def _now() -> float:
    return time.time()


def idle_limit_seconds(request: HttpRequest) -> int:
    """How long the signed-in person of ``request`` may stay idle."""
    if requires_two_factor(request.user):
        return settings.SESSION_IDLE_MINUTES_PERSONAL_DATA * 60
    return settings.SESSION_IDLE_MINUTES * 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        now = _now()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int | float) and now - last > idle_limit_seconds(request):
            return self._expire(request)
        if not isinstance(last, int | float) or now - last >= _RESOLUTION:
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            # The API answers for itself: a session-only caller is now anonymous and gets its 401.
            return self.get_response(request)
        messages.info(request, _("You were logged out because you were inactive for too long."))
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}"
            return response
        return redirect_to_login(request.get_full_path())

"""Throttling of public forms and expensive pages.

It uses allauth's rate limiter, the one that already throttles logins: the same cache (shared by every
app server), the same client address (the one the trusted proxy reports), and one setting,
``ACCOUNT_RATE_LIMITS``, for every limit. An action with no rate configured is not limited.

allauth's public ``consume`` never limits GET requests, and downloads and PDFs are GETs, so this calls
the function behind it with ``limit_get`` (the version is pinned; the tests of this module would see a
change).
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.http import HttpRequest, HttpResponse


def over_limit(request: HttpRequest, action: str) -> HttpResponse | None:
    """None when the request may go on; else the "too many requests" page (429) to send instead."""
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    usage = ratelimit.consume(request, app="allauth.account", action=action, user=user, limit_get=True)
    if usage is not None:
        return None
    return ratelimit.respond_429(request)

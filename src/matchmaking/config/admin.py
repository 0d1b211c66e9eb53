"""The Django admin site, for network coordinators only; it never shows participants' personal details.

Loaded by ``config.admin_app.CoordinatorAdminConfig`` once the app registry is ready.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from matchmaking.core.throttle import over_limit
from matchmaking.organisations.access import can_use_admin
from matchmaking.permissions.roles import has_two_factor


class CoordinatorAdminSite(admin.AdminSite):
    site_header = _("Mobility Matchmaking – coordinators' administration")
    site_title = _("Mobility Matchmaking administration")

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The admin's own login form is throttled like the site's."""
        if request.method == "POST" and (refused := over_limit(request, "admin_login")):
            return refused
        return super().login(request, extra_context)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return can_use_admin(user) and (not settings.MFA_REQUIRED or has_two_factor(user))

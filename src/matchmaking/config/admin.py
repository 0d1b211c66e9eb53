"""The Django admin site, for network coordinators only; it never shows participants' personal details.

Loaded by ``config.admin_app.CoordinatorAdminConfig`` once the app registry is ready.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchmaking.organisations.access import can_use_admin
from matchmaking.permissions.roles import has_two_factor


class CoordinatorAdminSite(admin.AdminSite):
    site_header = _("Mobility Matchmaking – coordinators' administration")
    site_title = _("Mobility Matchmaking administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return can_use_admin(user) and (not settings.MFA_REQUIRED or has_two_factor(user))

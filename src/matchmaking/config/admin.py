"""The Django admin, for network coordinators only; it never shows participants' personal details."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _can_use_admin(request: HttpRequest) -> bool:
    # Imported here: this module is loaded while the app registry is still being populated.
    from matchmaking import permissions

    return permissions.can_use_admin(request.user)


class CoordinatorAdminSite(admin.AdminSite):
    site_header = _("Mobility Matchmaking – coordinators' administration")
    site_title = _("Mobility Matchmaking administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from django.conf import settings

        from matchmaking import permissions

        user = request.user
        return permissions.can_use_admin(user) and (
            not settings.MFA_REQUIRED or permissions.has_two_factor(user)
        )


class CoordinatorAdminConfig(AdminConfig):
    default_site = "matchmaking.config.admin.CoordinatorAdminSite"


class CoordinatorModelAdmin(admin.ModelAdmin):
    """Coordinators may view and change; deletions go through services, so the admin never deletes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _can_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _can_use_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _can_use_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(CoordinatorModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

"""Base classes for every app's admin pages.

Who may use the admin at all is decided by the admin site (coordinators with their second factor,
``config.admin.CoordinatorAdminSite``); these classes defer to it, so they need no permission rules of
their own and every app can use them from below the permissions layer.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class CoordinatorModelAdmin(admin.ModelAdmin):
    """Coordinators may view and change; deletions go through services, so the admin never deletes."""

    def _site_allows(self, request: HttpRequest) -> bool:
        return bool(self.admin_site.has_permission(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._site_allows(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._site_allows(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._site_allows(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(CoordinatorModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

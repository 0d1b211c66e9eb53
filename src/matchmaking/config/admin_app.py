"""The admin app, configured to use the coordinators' admin site.

Kept apart from ``config.admin`` because Django imports this module while it populates the app
registry, before any model may be imported.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class CoordinatorAdminConfig(AdminConfig):
    default_site = "matchmaking.config.admin.CoordinatorAdminSite"

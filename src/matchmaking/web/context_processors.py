"""What every page of the shell needs: the network's name, the user's roles, unread notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from matchmaking.core.notifications import notification_unread_count
from matchmaking.permissions.roles import is_coordinator, requires_two_factor


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "network_name": settings.NETWORK_NAME,
        "demo_mode": getattr(settings, "DEMO_MODE", False),
        "unread_notifications": notification_unread_count(user=user) if signed_in else 0,
        "nav_is_coordinator": signed_in and is_coordinator(user),
        "nav_sees_participants": signed_in and requires_two_factor(user),
    }

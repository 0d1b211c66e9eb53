"""Send people whose role needs a second factor to set one up before they can do anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from matchmaking.permissions.roles import has_two_factor, requires_two_factor

# Pages a person must still reach while setting up the second factor.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_two_factor(request.user)
            and not has_two_factor(request.user)
        ):
            messages.info(
                request,
                _("Your role gives access to personal data, so set up two-factor authentication first."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

"""The notification settings page: how a person wants each group of notifications delivered. Thin:
form, service, template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from matchmaking.accounts.forms import NotificationPreferencesForm
from matchmaking.core.notification_kinds import DELIVERY_CHOICES
from matchmaking.core.notifications import notification_preferences, notification_preferences_update


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = notification_preferences(user=request.user)
    form = NotificationPreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        notification_preferences_update(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("account-notifications:preferences")
    return render(
        request,
        "accounts/notification_preferences.html",
        {"form": form, "deliveries": DELIVERY_CHOICES},
    )

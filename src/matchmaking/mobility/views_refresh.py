"""The coordinator's page on the network-wide refresh of partner suggestions: its progress while it
runs (the page reloads itself), the figures of the last one when it is over."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchmaking.mobility.access import access_refresh_status
from matchmaking.mobility.suggestion_refresh import refresh_status


@login_required
@require_GET
def refresh_progress(request: HttpRequest) -> HttpResponse:
    access_refresh_status(request.user)
    return render(request, "mobility/suggestions_refresh.html", {"status": refresh_status()})

"""Views of the web interface: thin. They check access through each app's ``access`` module, read
through selectors, write through services, and render templates (or htmx fragments)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from matchmaking.core import notifications
from matchmaking.core.heartbeat import health
from matchmaking.permissions.roles import AuthenticatedHttpRequest, is_coordinator
from matchmaking.web.dashboard import dashboard_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    return render(request, "web/home.html")


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and monitoring: 200 when the database answers and the background worker's
    heartbeat is recent, 503 otherwise; the body says which part failed."""
    found = health()
    return JsonResponse(found.as_json(), status=200 if found.ok else 503)


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    board = dashboard_for(user=request.user)
    return render(
        request,
        "web/dashboard.html",
        {"board": board, "is_coordinator": is_coordinator(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notification_id = request.POST.get("notification")
        notifications.notification_mark_read(
            user=request.user,
            notification_id=int(notification_id) if notification_id and notification_id.isdigit() else None,
        )
        return redirect("web:notifications")
    page = Paginator(notifications.notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "web/notification_list.html", {"page": page})

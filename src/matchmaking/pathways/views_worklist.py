"""The case worker's worklist: what is due, section by section, each paginated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from matchmaking.participants.access import can_use_caseload
from matchmaking.pathways import worklist
from matchmaking.permissions.roles import AuthenticatedHttpRequest

PAGE_SIZE = 25


@login_required
@require_GET
def worklist_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Youth Guarantee deadlines, retention checks, unanswered referrals and overdue steps of the people
    the user may see; a coordinator without a caseload sees the counts only."""
    if not can_use_caseload(request.user):
        raise Http404("No such page.")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "counts_only": worklist.counts_only(request.user),
        "referral_days": worklist.referral_days(),
        "warning_days": worklist.EARLY_WARNING_DAYS,
    }
    if context["counts_only"]:
        context["counts"] = worklist.worklist_counts(user=request.user, today=today)
        return render(request, "pathways/worklist.html", context)
    for section in worklist.SECTIONS:
        found = worklist.worklist_section(user=request.user, section=section, today=today)
        context[section] = Paginator(found, PAGE_SIZE).get_page(request.GET.get(f"{section}_page"))
    return render(request, "pathways/worklist.html", context)

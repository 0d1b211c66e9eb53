"""The support service's side of referrals: what was sent to it, and its answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchmaking.forms import show_service_errors
from matchmaking.participants.access import can_use_caseload
from matchmaking.participants.views import show_error
from matchmaking.pathways import forms, referrals
from matchmaking.pathways.access import access_referral_for_service, can_see_referral_identity
from matchmaking.permissions.roles import AuthenticatedHttpRequest


@login_required
@require_GET
def referral_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals sent to the services of the user's organisations, by pseudonym."""
    if not can_use_caseload(request.user):
        raise Http404("No such page.")
    filters = forms.ReferralInboxFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    found = referrals.referrals_received(user=request.user, status=status)
    return render(request, "pathways/referral_inbox.html", {"referrals": found[:300], "filters": filters})


@login_required
@require_http_methods(["GET", "POST"])
def referral_answer(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral_for_service(request.user, referral_id)
    form = forms.ReferralAnswerForm(request.POST or None, statuses=referrals.next_statuses(referral))
    if request.method == "POST" and form.is_valid():
        try:
            referrals.referral_answer(
                actor=request.user,
                referral=referral,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                path=request.path,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        except PermissionDenied as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Your answer has been recorded; the referring worker is told."))
            return redirect("pathways:referral-answer", referral.pk)
    referrals.referral_read(user=request.user, referral=referral, path=request.path)
    context = {
        "referral": referral,
        "form": form,
        "identity": referrals.referral_identity(user=request.user, referral=referral, path=request.path),
        "shares_identity": can_see_referral_identity(request.user, referral),
    }
    return render(request, "pathways/referral_answer.html", context)

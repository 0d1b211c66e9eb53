"""The person's rights in the browser: a JSON copy of their data, erasure, the access history."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchmaking.core.throttle import over_limit
from matchmaking.participants import forms, selectors
from matchmaking.participants.access import Surface, access_participant
from matchmaking.participants.record_purpose import record_open
from matchmaking.permissions.roles import AuthenticatedHttpRequest
from matchmaking.privacy import services as privacy
from matchmaking.privacy.forms import ExportForm


@login_required
@require_http_methods(["GET", "POST"])
def export(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    """The person's whole record as JSON, for the holding organisation, with the purpose logged."""
    participant = access_participant(request.user, pseudonym, Surface.EXPORT)
    if request.method == "POST" and (refused := over_limit(request, "export")):
        return refused
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = privacy.participant_export(
            actor=request.user,
            participant=participant,
            purpose=form.cleaned_data["purpose"],
            path=request.path,
        )
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{participant.pseudonym}.json"'
        return response
    return render(request, "privacy/export.html", {"participant": participant, "form": form})


@login_required
@require_GET
def access_history(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.ACCESS_LOG)
    if (asked := record_open(request, participant)) is not None:
        return asked
    return render(
        request,
        "privacy/access_history.html",
        {"participant": participant, "entries": selectors.access_history(participant=participant)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.ERASE)
    form = forms.EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"].strip() != participant.pseudonym:
            form.add_error("confirm", _("This is not the participant's pseudonym."))
        else:
            privacy.participant_erase(
                actor=request.user, participant=participant, reason=_("Request of the person")
            )
            messages.success(request, _("The participant's data has been erased."))
            return redirect("participants:caseload")
    return render(request, "privacy/erase.html", {"participant": participant, "form": form})

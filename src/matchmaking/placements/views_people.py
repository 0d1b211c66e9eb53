"""Pages of one person's placements: suggested placements and the single proposal (case worker), the
placement's own page through its lifecycle (case worker and host), the host's inbox, and the rounds a
case worker may read. Thin: access → form → service or selector → template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchmaking.core.access_log import access_log_record
from matchmaking.forms import Form
from matchmaking.participants.access import access_participant_for_edit, can_use_caseload
from matchmaking.permissions.roles import AuthenticatedHttpRequest, is_active_user, roles_of
from matchmaking.placements import lifecycle, selectors_people
from matchmaking.placements.access import (
    access_assignment,
    access_placement,
    access_round_for_reading,
    can_answer_as_host,
    can_follow_assignment,
    can_propose_for,
)
from matchmaking.placements.eligibility import ineligibility_text
from matchmaking.placements.forms_lifecycle import (
    AttendanceForm,
    DecideForm,
    EndForm,
    HoldForm,
    ProposeForm,
    StartForm,
    SuggestionFilterForm,
)
from matchmaking.placements.history import history_lines
from matchmaking.placements.suggestions import suggestions_for

PER_PAGE = 30


def _show_errors(
    request: AuthenticatedHttpRequest, form: Form, exc: ValidationError | PermissionDenied
) -> None:
    """Each refusal as a message naming the field it is about."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, _("You may not do this."))
        return
    if not hasattr(exc, "error_dict"):
        messages.error(request, "; ".join(exc.messages))
        return
    for name, errors in exc.error_dict.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            text = "; ".join(error.messages)
            messages.error(request, f"{label}: {text}" if label else text)


def _form_errors(request: AuthenticatedHttpRequest, form: Form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


# --- Suggested placements (case worker) -----------------------------------------------------------------


@login_required
@require_GET
def suggestions(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    form = SuggestionFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    found = suggestions_for(
        participant=participant,
        labour_market=d.get("labour_market") or "",
        country=d.get("country") or "",
        min_fit=d.get("min_fit") or 0,
        today=timezone.localdate(),
    )
    page = Paginator(found.items, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "participant": participant,
        "form": form,
        "page": page,
        "found": found,
        "blocked_text": ineligibility_text(found.blocked) if found.blocked else "",
        "assignments": selectors_people.person_assignments(participant=participant)[:20],
        "can_edit": True,
        "tab": "suggestions",
    }
    return render(request, "placements/suggestions.html", context)


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("placements:suggestions", pseudonym)
    placement = access_placement(request.user, form.cleaned_data["placement"])
    try:
        assignment = lifecycle.assignment_propose(
            actor=request.user,
            participant=participant,
            placement=placement,
            message=form.cleaned_data["message"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _show_errors(request, form, exc)
        return redirect("placements:suggestions", pseudonym)
    messages.success(
        request,
        _("%(participant)s is proposed to %(host)s.") % {"participant": pseudonym, "host": placement.host},
    )
    return redirect(assignment)


# --- One placement of one person: both sides ----------------------------------------------------------


@login_required
@require_GET
def assignment_detail(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = access_assignment(request.user, assignment_id)
    participant = assignment.participant
    as_worker = can_propose_for(request.user, participant)
    as_host = can_answer_as_host(request.user, assignment)
    if as_host and not as_worker:
        # What the host reads to decide: the pseudonymous profile a host needs, logged as a read.
        access_log_record(
            user=request.user,
            subject=participant,
            fields=["languages", "availability", "support_requirements"],
            purpose="host decision",
            path=request.path,
        )
    worker = participant.key_worker or assignment.proposed_by
    today = timezone.localdate()
    end_form = EndForm(initial={"ended_on": today})
    if not as_worker:  # the programme exit is the case worker's to record
        del end_form.fields["leaves_programme"]
    context = {
        "assignment": assignment,
        "placement": assignment.placement,
        "participant": participant,
        "spoken": list(participant.languages.all()),
        "support": participant.support_labels(),
        "worker": worker,
        "as_worker": as_worker,
        "as_host": as_host,
        "history": history_lines(assignment),
        "attendance": list(assignment.attendance.all()[:50]),
        "hold_form": HoldForm(initial={"interview_on": today}),
        "decide_form": DecideForm(),
        "start_form": StartForm(initial={"started_on": assignment.placement.start or today}),
        "attendance_form": AttendanceForm(initial={"noted_on": today}),
        "end_form": end_form,
    }
    return render(request, "placements/assignment_detail.html", context)


ACTIONS: dict[str, type[Form]] = {
    "hold": HoldForm,
    "decide": DecideForm,
    "withdraw": Form,
    "start": StartForm,
    "attendance": AttendanceForm,
    "end": EndForm,
}


@login_required
@require_POST
def assignment_action(request: AuthenticatedHttpRequest, assignment_id: int, action: str) -> HttpResponse:
    assignment = access_assignment(request.user, assignment_id)
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404("No such action.")
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(assignment)
    d, actor = form.cleaned_data, request.user
    try:
        if action == "hold":
            lifecycle.assignment_hold(actor=actor, assignment=assignment, interview_on=d["interview_on"])
        elif action == "decide":
            lifecycle.assignment_decide(
                actor=actor,
                assignment=assignment,
                accept=d["decision"] == "accept",
                reason=d.get("reason") or "",
                note=d.get("note") or "",
            )
        elif action == "withdraw":
            lifecycle.assignment_withdraw(actor=actor, assignment=assignment)
        elif action == "start":
            lifecycle.assignment_start(actor=actor, assignment=assignment, started_on=d["started_on"])
        elif action == "attendance":
            lifecycle.attendance_note(
                actor=actor,
                assignment=assignment,
                noted_on=d["noted_on"],
                present=bool(d.get("present")),
                note=d.get("note") or "",
            )
        elif isinstance(form, EndForm):
            lifecycle.assignment_end(actor=actor, assignment=assignment, **form.service_args())
    except (ValidationError, PermissionDenied) as exc:
        _show_errors(request, form, exc)
        return redirect(assignment)
    messages.success(request, _("Saved."))
    if not can_follow_assignment(request.user, assignment):
        return redirect("placements:inbox")
    return redirect(assignment)


# --- The host's inbox -----------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (is_active_user(request.user) and roles_of(request.user)):
        raise Http404("No such page.")
    waiting = Paginator(selectors_people.host_inbox(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "waiting": waiting,
        "page": waiting,
        "round_proposals": selectors_people.host_round_proposals(user=request.user)[:PER_PAGE],
        "running": selectors_people.host_running(user=request.user)[:PER_PAGE],
    }
    return render(request, "placements/inbox.html", context)


# --- Rounds, read-only, for case workers -----------------------------------------------------------------


@login_required
@require_GET
def my_rounds(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_caseload(request.user):
        raise Http404("No such page.")
    page = Paginator(selectors_people.caseworker_rounds(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "placements/my_rounds.html", {"rounds": page, "page": page})


@login_required
@require_GET
def my_round(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    if not can_use_caseload(request.user):
        raise Http404("No such page.")
    found = access_round_for_reading(request.user, round_id)
    proposals = selectors_people.caseworker_round_proposals(user=request.user, allocation_round=found)
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "placements/my_round.html", {"round": found, "proposals": page, "page": page})

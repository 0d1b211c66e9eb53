"""Pathway pages: action plan, follow-up and progress, referrals, offers and outcome, summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchmaking.accounts.models import User
from matchmaking.forms import show_service_errors
from matchmaking.organisations.models import Organisation
from matchmaking.participants import selectors as participant_selectors
from matchmaking.participants.access import (
    Surface,
    access_participant,
    can_edit_participant,
    can_record_pathway,
    effective_membership,
)
from matchmaking.participants.models import Participant
from matchmaking.participants.record_purpose import record_open
from matchmaking.participants.views import show_error
from matchmaking.pathways import forms, selectors, services
from matchmaking.pathways.access import can_manage_directory
from matchmaking.pathways.chart import progress_chart
from matchmaking.pathways.models import Referral, SelfAssessment, Step, SupportService
from matchmaking.permissions.roles import AuthenticatedHttpRequest


def _actor_org(user: User, participant: Participant) -> Organisation:
    """The organisation the worker acts for: their group membership's, else the case's."""
    membership = effective_membership(user, participant)
    return membership.organisation if membership else participant.organisation


def _base(request: AuthenticatedHttpRequest, participant: Participant, tab: str) -> dict[str, Any]:
    return {
        "participant": participant,
        "tab": tab,
        "can_edit": can_edit_participant(request.user, participant),
        "can_record": can_record_pathway(request.user, participant),
    }


def _done(request: HttpRequest, text: str, name: str, participant: Participant) -> HttpResponse:
    messages.success(request, text)
    return redirect(name, participant.pseudonym)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.PATHWAY)
    if (asked := record_open(request, participant)) is not None:
        return asked
    goals = selectors.participant_goals(participant=participant)
    # Both forms have a "title": distinct ids keep each label tied to its own field.
    goal_form = forms.GoalForm(request.POST if "new_goal" in request.POST else None, auto_id="goal_%s")
    step_form = forms.StepForm(
        request.POST if "new_step" in request.POST else None,
        auto_id="step_%s",
        goals=[(str(g.pk), g.title) for g in goals],
        organisations=selectors.active_organisation_choices(),
        initial={"owner": str(_actor_org(request.user, participant).pk)},
    )
    if request.method == "POST":
        if not can_record_pathway(request.user, participant):
            raise Http404("No such page.")
        try:
            if "new_goal" in request.POST and goal_form.is_valid():
                services.goal_create(
                    actor=request.user, participant=participant, title=goal_form.cleaned_data["title"]
                )
                return _done(request, _("The goal has been added."), "pathways:plan", participant)
            if "new_step" in request.POST and step_form.is_valid():
                d = step_form.cleaned_data
                services.step_create(
                    actor=request.user,
                    goal=selectors.participant_goal(participant=participant, goal_id=d["goal"]),
                    title=d["title"],
                    step_type=d["type"],
                    owner=selectors.organisation(pk=d["owner"]),
                    due_on=d["due_on"],
                    agreed_with_participant=d["agreed_with_participant"],
                )
                return _done(request, _("The step has been added."), "pathways:plan", participant)
            if "step" in request.POST:
                step = selectors.participant_step(
                    participant=participant, step_id=int(request.POST["step"] or 0)
                )
                if step is None:
                    raise ValidationError(_("No such step."))
                agreed = {"yes": True, "no": False}.get(request.POST.get("agreed", ""))
                services.step_update(
                    actor=request.user, step=step, status=request.POST.get("status") or None, agreed=agreed
                )
                return _done(request, _("The step has been updated."), "pathways:plan", participant)
            if "gap_uri" in request.POST:
                services.step_from_gap(
                    actor=request.user,
                    participant=participant,
                    uri=request.POST["gap_uri"][:200],
                    label=request.POST.get("gap_label", "")[:250],
                )
                return _done(
                    request, _("A training step has been added to the plan."), "pathways:plan", participant
                )
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        except ValueError:
            messages.error(request, _("No such step."))
    labels = dict(Step.Status.choices)
    for goal in goals:
        for step in goal.steps.all():
            step.next_options = [(t, labels[t]) for t in sorted(Step.TRANSITIONS.get(step.status, ()))]
    context = {
        **_base(request, participant, "plan"),
        "goals": goals,
        "goal_form": goal_form,
        "step_form": step_form,
        "gaps": selectors.skill_gaps_to_plan(participant=participant),
    }
    return render(request, "pathways/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.PATHWAY)
    if (asked := record_open(request, participant)) is not None:
        return asked
    today = timezone.localdate()
    meeting_form = forms.MeetingForm(
        request.POST if "meeting" in request.POST else None, initial={"held_on": today}
    )
    assessment_form = forms.AssessmentForm(
        request.POST if "assessment" in request.POST else None, initial={"recorded_on": today}
    )
    if request.method == "POST":
        if not can_record_pathway(request.user, participant):
            raise Http404("No such page.")
        try:
            if "meeting" in request.POST and meeting_form.is_valid():
                services.meeting_record(
                    actor=request.user,
                    participant=participant,
                    organisation=_actor_org(request.user, participant),
                    **meeting_form.cleaned_data,
                )
                return _done(request, _("The meeting has been recorded."), "pathways:progress", participant)
            if "assessment" in request.POST and assessment_form.is_valid():
                d = assessment_form.cleaned_data
                services.assessment_record(
                    actor=request.user, participant=participant, recorded_on=d.pop("recorded_on"), scores=d
                )
                return _done(
                    request, _("The self-assessment has been recorded."), "pathways:progress", participant
                )
        except ValidationError as exc:
            show_service_errors(meeting_form if "meeting" in request.POST else assessment_form, exc)
    assessments = selectors.participant_assessments(participant=participant)
    context = {
        **_base(request, participant, "progress"),
        "meetings": participant.meetings.select_related("organisation", "recorded_by"),
        "meeting_form": meeting_form,
        "assessment_form": assessment_form,
        "assessments": assessments,
        "chart": progress_chart(assessments, SelfAssessment.SCALES),
    }
    return render(request, "pathways/progress.html", context)


def _services_for(filters: forms.ServiceFilterForm) -> QuerySet[SupportService]:
    d = filters.cleaned_data if filters.is_valid() else {}
    return selectors.support_services(
        category=d.get("category", ""), country=d.get("country", ""), language=d.get("language", "")
    )


@login_required
@require_http_methods(["GET", "POST"])
def referrals(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.PATHWAY)
    if (asked := record_open(request, participant)) is not None:
        return asked
    filters = forms.ServiceFilterForm(request.GET or None, initial={"country": participant.home_country})
    directory = list(_services_for(filters)[:200])
    form = forms.ReferralForm(
        request.POST if "service" in request.POST else None,
        services=[
            (str(s.pk), f"{s.name} ({s.get_category_display()}, {s.country})")
            for s in (directory if request.method == "GET" else selectors.active_support_services())
        ],
    )
    if request.method == "POST":
        if not can_record_pathway(request.user, participant):
            raise Http404("No such page.")
        try:
            if "service" in request.POST and form.is_valid():
                d = form.cleaned_data
                services.referral_send(
                    actor=request.user,
                    participant=participant,
                    service=selectors.support_service(pk=d["service"]),
                    reason=d["reason"],
                    remind_on=d["remind_on"],
                )
                return _done(request, _("The referral has been sent."), "pathways:referrals", participant)
            if "referral" in request.POST:
                referral = participant.referrals.filter(pk=int(request.POST["referral"] or 0)).first()
                if referral is None:
                    raise ValidationError(_("No such referral."))
                services.referral_update(
                    actor=request.user,
                    referral=referral,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
                return _done(request, _("The referral has been updated."), "pathways:referrals", participant)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        except ValueError:
            messages.error(request, _("No such referral."))
    context = {
        **_base(request, participant, "referrals"),
        "form": form,
        "filters": filters,
        "directory": directory,
        "referrals": participant.referrals.select_related("service", "consent__organisation"),
        "transitions": {s: sorted(t) for s, t in Referral.TRANSITIONS.items()},
        "status_labels": dict(Referral.Status.choices),
    }
    return render(request, "pathways/referrals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.PATHWAY)
    if (asked := record_open(request, participant)) is not None:
        return asked
    today = timezone.localdate()
    offer_form = forms.OfferForm(
        request.POST if "offer" in request.POST else None, initial={"offered_on": today}
    )
    outcome_form = forms.OutcomeForm(
        request.POST if "outcome" in request.POST else None, initial={"exit_on": today}
    )
    if request.method == "POST":
        try:
            if "check" in request.POST:
                check = selectors.participant_retention_check(
                    participant=participant, check_id=int(request.POST["check"] or 0)
                )
                if check is None or not can_edit_participant(request.user, participant):
                    raise Http404("No such check.")
                services.retention_check_record(
                    actor=request.user,
                    check=check,
                    still_there=request.POST.get("still_there") == "yes",
                    note=request.POST.get("note", ""),
                )
                return _done(
                    request, _("The follow-up check has been recorded."), "pathways:outcome", participant
                )
            if not can_record_pathway(request.user, participant):
                raise Http404("No such page.")
            if "offer" in request.POST and offer_form.is_valid():
                services.offer_record(
                    actor=request.user,
                    participant=participant,
                    organisation=_actor_org(request.user, participant),
                    offer_type=offer_form.cleaned_data["type"],
                    offered_on=offer_form.cleaned_data["offered_on"],
                    note=offer_form.cleaned_data["note"],
                )
                return _done(
                    request,
                    _("The offer has been recorded; the Youth Guarantee clock has stopped."),
                    "pathways:outcome",
                    participant,
                )
            if "outcome" in request.POST and outcome_form.is_valid():
                services.outcome_record(
                    actor=request.user, participant=participant, **outcome_form.cleaned_data
                )
                return _done(request, _("The outcome has been recorded."), "pathways:outcome", participant)
        except ValidationError as exc:
            show_service_errors(offer_form if "offer" in request.POST else outcome_form, exc)
        except ValueError:
            messages.error(request, _("No such check."))
    recorded = getattr(participant, "outcome", None)
    context = {
        **_base(request, participant, "outcome"),
        "offers": participant.offers.select_related("organisation"),
        "offer_form": offer_form,
        "outcome_form": outcome_form,
        "recorded": recorded,
        "checks": recorded.checks.all() if recorded else [],
        "today": today,
        "clock": participant_selectors.participant_clock(participant, today),
    }
    return render(request, "pathways/outcome.html", context)


@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    """A printable plain-language summary for the participant: the plan, and why a placement was proposed."""
    participant = access_participant(request.user, pseudonym, Surface.PATHWAY)
    if (asked := record_open(request, participant)) is not None:
        return asked
    context = {
        **_base(request, participant, "summary"),
        "goals": selectors.participant_goals(participant=participant),
        "proposals": participant.proposals.select_related("placement__host", "round").exclude(
            placement__isnull=True
        ),
        "skills": participant.skills.all(),
        "referrals": participant.referrals.select_related("service").filter(status__in=["sent", "accepted"]),
        "today": timezone.localdate(),
    }
    return render(request, "pathways/summary.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_directory(request.user):
        raise Http404("No such page.")
    filters = forms.ServiceFilterForm(request.GET or None)
    form = forms.ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["languages"] = [c.strip().lower() for c in d["languages"].split(",") if c.strip()]
        try:
            services.service_create(actor=request.user, data=d)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The service has been added to the directory."))
            return redirect("pathways:directory")
    return render(
        request,
        "pathways/directory.html",
        {"filters": filters, "form": form, "services": _services_for(filters)[:300]},
    )

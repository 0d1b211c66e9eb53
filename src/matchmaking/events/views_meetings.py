"""Pages of meetings: suggestions and requests, the schedule, agendas and their exports, the day
(check-in, no-shows) and after (feedback, a proposal, the six-month question)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.core.throttle import over_limit
from matchmaking.events import (
    exports,
    forms,
    selectors,
    services_after,
    services_registration,
    services_schedule,
)
from matchmaking.events.access import (
    access_event,
    access_event_for_management,
    access_meeting,
    access_registration,
    access_registration_for_action,
    can_act_for_registration,
    can_manage_event,
    own_registrations,
)
from matchmaking.events.models import Delegate, EventState, MeetingRequest, Registration, ScheduleStatus
from matchmaking.events.scheduling import conflict_text
from matchmaking.events.services import event_today, event_zone
from matchmaking.events.views import pk_of, show_error
from matchmaking.forms import HtmxHttpRequest, show_service_errors
from matchmaking.mobility.models import Opportunity


@login_required
@require_GET
def requests_page(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    event = access_event(request.user, pk)
    registration = access_registration(request.user, event, rid)
    sent, received = selectors.requests_of(registration=registration)
    context = {
        "event": event,
        "registration": registration,
        "actor": can_act_for_registration(request.user, registration),
        "suggestions": selectors.suggested_meetings(registration=registration),
        "sent": sent,
        "received": received,
        "open": event.state == EventState.REQUESTS_OPEN,
        "answer_form": forms.AnswerForm(),
        "pending": sum(1 for r in sent if r.status == MeetingRequest.Status.PENDING),
    }
    return render(request, "events/requests.html", context)


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    event = access_event(request.user, pk)
    registration = access_registration_for_action(request.user, event, rid)
    form = forms.RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how much you want the meeting."))
        return redirect("events:requests", pk=event.pk, rid=registration.pk)
    recipient = Registration.objects.filter(pk=form.cleaned_data["recipient"], event=event).first()
    if recipient is None:
        raise Http404
    fit = selectors.fit_between(registration=registration, other=recipient)
    try:
        services_registration.request_create(
            actor=request.user,
            requester=registration,
            recipient=recipient,
            priority=form.cleaned_data["priority"],
            message=form.cleaned_data["message"],
            reasons=fit.reasons if fit else [],
            score=fit.score if fit else None,
        )
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Saved: %(org)s.") % {"org": recipient.organisation})
    return redirect("events:requests", pk=event.pk, rid=registration.pk)


def _request(request: HttpRequest, pk: int, qid: int) -> MeetingRequest:
    event = access_event(request.user, pk)
    found = get_object_or_404(
        MeetingRequest.objects.select_related("requester__organisation", "recipient__organisation", "event"),
        pk=qid,
        event=event,
    )
    if not (
        can_act_for_registration(request.user, found.requester)
        or can_act_for_registration(request.user, found.recipient)
    ):
        raise Http404
    return found


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    found = _request(request, pk, qid)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
    else:
        answer = form.cleaned_data["answer"]
        try:
            services_registration.request_answer(
                actor=request.user,
                request=found,
                accept=answer != "decline",
                priority="" if answer == "decline" else answer,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Your answer has been sent."))
    return redirect("events:requests", pk=pk, rid=found.recipient_id)


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    found = _request(request, pk, qid)
    try:
        services_registration.request_cancel(actor=request.user, request=found)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("events:requests", pk=pk, rid=found.requester_id)


# --- The schedule ----------------------------------------------------------------------------------


@login_required
@require_GET
def schedule_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    names = selectors.registration_names(event=event)
    meetings = selectors.meeting_names(event=event)
    context = {
        "event": event,
        "grid": selectors.schedule_grid(event=event),
        "conflicts": [conflict_text(c, names, meetings) for c in event.schedule_conflicts],
        "summary": event.schedule_summary,
        "zone": event_zone(event).key,
        "can_compute": event.state in (EventState.REQUESTS_OPEN, EventState.SCHEDULED),
        "can_publish": event.state == EventState.REQUESTS_OPEN
        and event.schedule_status == ScheduleStatus.DONE,
    }
    return render(request, "events/schedule.html", context)


@login_required
@require_GET
def schedule_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The status fragment the schedule page polls (htmx) while the schedule is computed."""
    event = access_event_for_management(request.user, pk)
    response = render(request, "events/partials/schedule_status.html", {"event": event})
    if event.schedule_status not in (ScheduleStatus.QUEUED, ScheduleStatus.RUNNING) and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def schedule_compute(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    try:
        services_schedule.schedule_request(actor=request.user, event=event)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The schedule is being computed; this page shows when it is ready."))
    return redirect("events:schedule", pk=event.pk)


@login_required
@require_POST
def send_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    counts = services_registration.event_send_reminders(actor=request.user, event=event)
    messages.success(
        request,
        _(
            "Reminders sent: %(requests)s unanswered requests, "
            "%(availability)s delegations without availability, "
            "%(agenda)s delegates who have not opened their agenda."
        )
        % counts,
    )
    return redirect(event)


# --- Agendas -----------------------------------------------------------------------------------


def _agenda(request: HttpRequest, pk: int, rid: int) -> tuple[Registration, list]:
    event = access_event(request.user, pk)
    registration = access_registration(request.user, event, rid)
    manager = can_manage_event(request.user, event)
    if not event.is_published and not manager:
        return registration, []
    for delegate in registration.delegates.all():
        if delegate.user_id == request.user.pk:
            services_after.agenda_opened(delegate=delegate)
    return registration, selectors.agenda(registration=registration)


@login_required
@require_GET
def agenda_page(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration, meetings = _agenda(request, pk, rid)
    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "meetings": [(m, m.other(registration.pk)) for m in meetings],
        "delegates": list(registration.delegates.all()),
        "zone": event_zone(event).key,
        "provisional": not event.is_published,
        "after": event.state in services_after.AFTER_STATES,
    }
    return render(request, "events/agenda.html", context)


@login_required
@require_GET
def agenda_ics(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration, meetings = _agenda(request, pk, rid)
    response = HttpResponse(
        exports.agenda_ics(registration, meetings), content_type="text/calendar; charset=utf-8"
    )
    name = slugify(f"agenda-{registration.event_id}-{registration.organisation.name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
@require_GET
def agenda_pdf(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    registration, meetings = _agenda(request, pk, rid)
    if refused := over_limit(request, "pdf"):
        return refused
    response = HttpResponse(
        exports.agenda_pdf(registration, meetings, language=get_language() or "en"),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="agenda-{registration.event_id}-{registration.pk}.pdf"'
    )
    return response


@login_required
@require_GET
def table_cards(request: HttpRequest, pk: int) -> HttpResponse:
    """One card per table with its meetings, for printing (PDF)."""
    event = access_event_for_management(request.user, pk)
    if refused := over_limit(request, "pdf"):
        return refused
    grid = selectors.schedule_grid(event=event)
    rows = [
        (t, [grid.cells[(s.pk, t.pk)] for s in grid.slots if (s.pk, t.pk) in grid.cells]) for t in grid.tables
    ]
    response = HttpResponse(
        exports.table_cards_pdf(event, rows, language=get_language() or "en"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="tables-{event.pk}.pdf"'
    return response


# --- The day -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("delegate"):
                delegate = get_object_or_404(
                    Delegate, pk=pk_of(request.POST["delegate"]), registration__event=event
                )
                services_after.delegate_check_in(
                    actor=request.user, delegate=delegate, present=request.POST.get("present") == "1"
                )
            elif request.POST.get("meeting"):
                meeting = access_meeting(request.user, event, request.POST["meeting"])
                missing = request.POST.get("no_show", "")
                no_show = next((r for r in (meeting.first, meeting.second) if str(r.pk) == missing), None)
                services_after.meeting_mark(
                    actor=request.user, meeting=meeting, held=request.POST.get("held") == "1", no_show=no_show
                )
        except ValidationError as exc:
            show_error(request, exc)
        return redirect("events:check-in", pk=event.pk)
    registrations = list(selectors.participant_list(event=event))
    context = {
        "event": event,
        "registrations": registrations,
        "grid": selectors.schedule_grid(event=event),
        "zone": event_zone(event).key,
        "on_the_day": event_today(event) >= event.start,
    }
    return render(request, "events/check_in.html", context)


# --- After the event -----------------------------------------------------------------------------


def _meeting_side(request: HttpRequest, pk: int, mid: int, rid: int | str | None = None) -> tuple:
    event = access_event(request.user, pk)
    meeting = access_meeting(request.user, event, mid)
    sides = [r for r in (meeting.first, meeting.second) if can_act_for_registration(request.user, r)]
    if rid is not None:
        sides = [r for r in sides if str(r.pk) == str(rid)]
    return event, meeting, sides[0] if sides else None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    event, meeting, side = _meeting_side(request, pk, mid, request.GET.get("as") or request.POST.get("as"))
    found = selectors.feedback_of(meeting=meeting, registration=side) if side else None
    feedback_form = forms.FeedbackForm(
        request.POST if request.POST.get("form") == "feedback" else None,
        initial={
            "took_place": "1" if not found or found.took_place else "0",
            "useful": found.useful if found else None,
            "next_step": found.next_step if found else "",
            "comment": found.comment if found else "",
        },
    )
    follow_form = forms.FollowUpForm(
        request.POST if request.POST.get("form") == "follow-up" else None,
        initial={"follow_up": found.follow_up if found else ""},
    )
    if request.method == "POST":
        if side is None:
            raise Http404
        try:
            if request.POST.get("form") == "feedback" and feedback_form.is_valid():
                services_after.feedback_save(
                    actor=request.user, meeting=meeting, registration=side, **feedback_form.cleaned_data
                )
                messages.success(request, _("Thank you for your feedback."))
                return redirect("events:meeting", pk=event.pk, mid=meeting.pk)
            if request.POST.get("form") == "follow-up" and follow_form.is_valid():
                services_after.follow_up_save(
                    actor=request.user,
                    meeting=meeting,
                    registration=side,
                    answer=follow_form.cleaned_data["follow_up"],
                )
                messages.success(request, _("Thank you."))
                return redirect("events:meeting", pk=event.pk, mid=meeting.pk)
        except ValidationError as exc:
            show_service_errors(feedback_form if request.POST.get("form") == "feedback" else follow_form, exc)
    context = {
        "event": event,
        "meeting": meeting,
        "side": side,
        "other": meeting.other(side.pk) if side else None,
        "feedback_form": feedback_form,
        "follow_form": follow_form,
        "after": event.state in services_after.AFTER_STATES,
        "follow_up_open": event_today(event) >= event.follow_up_opens,
        "zone": event_zone(event).key,
    }
    return render(request, "events/meeting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_propose(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    """Turn a meeting into an exchange proposal, pre-filled with both organisations, topics and dates."""
    event, meeting, side = _meeting_side(request, pk, mid, request.GET.get("as") or request.POST.get("as"))
    if side is None:
        raise Http404
    role = request.POST.get("role") or request.GET.get("role", "")
    draft = services_after.proposal_draft(meeting=meeting, registration=side, role=role)
    listings = list(
        Opportunity.objects.filter(
            organisation_id=side.organisation_id, status=Opportunity.Status.OPEN
        ).select_related("type")
    )
    initial = {
        "role": draft.role,
        "ours": str(draft.ours.pk) if draft.ours else "",
        "start": draft.start,
        "end": draft.end,
        "group_size": draft.group_size,
        "message": draft.message,
    }
    form = forms.ProposalForm(request.POST or None, listings=listings, initial=initial)
    if request.method == "POST" and form.is_valid():
        ours = next((o for o in listings if str(o.pk) == form.cleaned_data["ours"]), None)
        try:
            exchange = services_after.meeting_to_exchange(
                actor=request.user,
                meeting=meeting,
                registration=side,
                role=form.cleaned_data["role"],
                ours=ours,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                group_size=form.cleaned_data["group_size"],
                message=form.cleaned_data["message"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your exchange proposal has been sent to %(org)s.")
                % {"org": meeting.other(side.pk).organisation},
            )
            return redirect(exchange)
    context = {
        "event": event,
        "meeting": meeting,
        "side": side,
        "other": meeting.other(side.pk),
        "form": form,
        "draft": draft,
    }
    return render(request, "events/propose.html", context)


@login_required
@require_GET
def my_event(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own delegation's agenda (the first of their organisations at the event)."""
    event = access_event(request.user, pk)
    mine = own_registrations(request.user, event)
    if not mine:
        raise Http404
    return redirect("events:agenda", pk=event.pk, rid=mine[0].pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_place(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    """The organiser places a meeting by hand; the scheduler keeps it there."""
    event = access_event_for_management(request.user, pk)
    meeting = access_meeting(request.user, event, mid)
    slots = list(event.slots.all())
    tables = list(event.tables.all())
    form = forms.PlaceForm(
        request.POST or None,
        slots=slots,
        tables=tables,
        zone=event_zone(event),
        initial={"slot": str(meeting.slot_id or ""), "table": str(meeting.table_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        slot = next((s for s in slots if str(s.pk) == form.cleaned_data["slot"]), None)
        table = next((t for t in tables if str(t.pk) == form.cleaned_data["table"]), None)
        try:
            services_schedule.meeting_place(actor=request.user, meeting=meeting, slot=slot, table=table)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been placed."))
            return redirect("events:schedule", pk=event.pk)
    return render(request, "events/place.html", {"event": event, "meeting": meeting, "form": form})

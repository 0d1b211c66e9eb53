"""Pages of events: the list, creating and setting up an event, its states, the participant list and
registration. Requests, the schedule, agendas and what follows are in ``views_meetings``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.events import forms, selectors, services, services_delegates, services_registration
from matchmaking.events.access import (
    access_delegate_for_action,
    access_event,
    access_event_for_management,
    access_registration,
    access_registration_for_action,
    can_manage_event,
    event_organisations,
    own_registrations,
)
from matchmaking.events.models import Delegate, EventSession, EventState, Registration, Slot, Table
from matchmaking.events.scheduling import tables_needed
from matchmaking.forms import show_service_errors
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import is_coordinator, is_member


def pk_of(value: str) -> int:
    """A row id from a form: a number, or the page's 404 (never a server error)."""
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def show_error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    if not is_member(request.user):
        raise Http404
    state = request.GET.get("state", "")
    context = {
        "events": selectors.event_list(user=request.user, state=state)[:200],
        "state": state if state in EventState.values else "",
        "states": EventState.choices,
        "can_create": is_coordinator(request.user) or bool(event_organisations(request.user)),
    }
    return render(request, "events/event_list.html", context)


def _organisers(request: HttpRequest) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=event_organisations(request.user)).order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    organisers = _organisers(request)
    if not organisers:
        raise Http404
    form = forms.EventForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        organiser = next(o for o in organisers if str(o.pk) == form.cleaned_data["organiser"])
        try:
            event = services.event_create(
                actor=request.user, organiser=organiser, data=form.data_for_service()
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, _("The event has been created as a draft. Add its sessions and tables.")
            )
            return redirect("events:event-setup", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    initial = {f: getattr(event, f) for f in forms.EventForm.base_fields}
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.data_for_service())
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    manager = can_manage_event(request.user, event)
    mine = own_registrations(request.user, event)
    registered = {r.organisation_id for r in mine}
    context = {
        "event": event,
        "manager": manager,
        "mine": mine,
        "can_register_more": [o for o in event_organisations(request.user) if o not in registered]
        and event.state in services_registration.REGISTRATION_STATES,
        "next_states": [EventState(s) for s in services.TRANSITIONS[event.state]] if manager else [],
        "sessions": list(event.sessions.all()),
        "slot_count": event.slots.count(),
        "table_count": event.tables.count(),
        "registered": Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count(),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_transition(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event_for_management(request.user, pk)
    try:
        event = services.event_transition(
            actor=request.user, event=event, target=request.POST.get("state", "")
        )
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The event is now “%(state)s”.") % {"state": event.get_state_display()})
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Sessions (and so slots) and tables."""
    event = access_event_for_management(request.user, pk)
    session_form = forms.SessionForm(
        request.POST if request.POST.get("form") == "session" else None, initial={"day": event.start}
    )
    table_form = forms.TableForm(
        request.POST if request.POST.get("form") == "table" else None,
        initial={"name": _("Table %(n)s") % {"n": event.tables.count() + 1}},
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "session" and session_form.is_valid():
                services.session_add(actor=request.user, event=event, **session_form.cleaned_data)
                messages.success(request, _("The session has been added."))
                return redirect("events:event-setup", pk=event.pk)
            if request.POST.get("form") == "table" and table_form.is_valid():
                services.table_add(actor=request.user, event=event, **table_form.cleaned_data)
                messages.success(request, _("The table has been added."))
                return redirect("events:event-setup", pk=event.pk)
            if request.POST.get("remove-session"):
                found = get_object_or_404(EventSession, pk=pk_of(request.POST["remove-session"]), event=event)
                services.session_remove(actor=request.user, session=found)
                return redirect("events:event-setup", pk=event.pk)
            if request.POST.get("remove-table"):
                table = get_object_or_404(Table, pk=pk_of(request.POST["remove-table"]), event=event)
                services.table_remove(actor=request.user, table=table)
                return redirect("events:event-setup", pk=event.pk)
        except ValidationError as exc:
            show_service_errors(session_form if request.POST.get("form") == "session" else table_form, exc)
    slots = list(Slot.objects.filter(event=event).select_related("session"))
    accepted = event.requests.filter(status="accepted").count()
    context = {
        "event": event,
        "session_form": session_form,
        "table_form": table_form,
        "sessions": list(event.sessions.all()),
        "slots": slots,
        "tables": list(event.tables.all()),
        "accepted": accepted,
        "tables_needed": tables_needed(accepted, len(slots)),
        "zone": services.event_zone(event).key,
    }
    return render(request, "events/event_setup.html", context)


@login_required
@require_GET
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    form = forms.ParticipantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    registrations = selectors.participant_list(
        event=event,
        country=filters.get("country", ""),
        kind=filters.get("kind", ""),
        language=filters.get("language", ""),
        q=filters.get("q", ""),
    )
    context = {
        "event": event,
        "form": form,
        "registrations": registrations[:500],
        "manager": can_manage_event(request.user, event),
        "mine": {r.pk for r in own_registrations(request.user, event)},
    }
    return render(request, "events/participant_list.html", context)


def _listings(organisation_ids: list[int]) -> list[Opportunity]:
    return list(
        Opportunity.objects.filter(organisation_id__in=organisation_ids, status=Opportunity.Status.OPEN)
        .select_related("type", "organisation")
        .order_by("organisation__name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    taken = {r.organisation_id for r in own_registrations(request.user, event)}
    organisations = [o for o in _organisers(request) if o.pk not in taken]
    if not organisations:
        raise Http404
    listings = _listings([o.pk for o in organisations])
    form = forms.RegistrationForm(request.POST or None, organisations=organisations, listings=listings)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        chosen = [o for o in listings if str(o.pk) in form.cleaned_data["listings"]]
        try:
            registration = services_registration.registration_create(
                actor=request.user,
                event=event,
                organisation=organisation,
                delegates=forms.parse_delegates(form.cleaned_data["delegates"]),
                offer_text=form.cleaned_data["offer_text"],
                seek_text=form.cleaned_data["seek_text"],
                languages=form.cleaned_data["languages"],
                listings=chosen,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(org)s is registered. Now tell us when you are free.") % {"org": organisation}
            )
            return redirect("events:availability", pk=event.pk, rid=registration.pk)
    return render(request, "events/register.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def registration_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """A delegation: its profile for the event and its delegates (editable by the organisation)."""
    event = access_event(request.user, pk)
    registration = access_registration(request.user, event, rid)
    editable = registration.organisation_id in event_organisations(request.user)
    listings = _listings([registration.organisation_id])
    form = forms.RegistrationForm(
        request.POST if request.POST.get("form") == "profile" else None,
        listings=listings,
        initial={
            "offer_text": registration.offer_text,
            "seek_text": registration.seek_text,
            "languages": [t.code for t in registration.languages.all()],
            "listings": [str(o.pk) for o in registration.listings.all()],
        },
    )
    delegate_form = forms.DelegateForm(request.POST if request.POST.get("form") == "delegate" else None)
    if request.method == "POST":
        if not editable:
            raise Http404
        registration = access_registration_for_action(request.user, event, rid)
        try:
            if request.POST.get("form") == "profile" and form.is_valid():
                services_registration.registration_update(
                    actor=request.user,
                    registration=registration,
                    offer_text=form.cleaned_data["offer_text"],
                    seek_text=form.cleaned_data["seek_text"],
                    languages=form.cleaned_data["languages"],
                    listings=[o for o in listings if str(o.pk) in form.cleaned_data["listings"]],
                )
                messages.success(request, _("Saved."))
                return redirect("events:registration", pk=event.pk, rid=registration.pk)
            if request.POST.get("form") == "delegate" and delegate_form.is_valid():
                services_registration.delegate_add(
                    actor=request.user, registration=registration, data=delegate_form.data()
                )
                messages.success(request, _("The delegate has been added."))
                return redirect("events:registration", pk=event.pk, rid=registration.pk)
            if request.POST.get("remove-delegate"):
                delegate = get_object_or_404(
                    Delegate, pk=pk_of(request.POST["remove-delegate"]), registration=registration
                )
                services_registration.delegate_remove(actor=request.user, delegate=delegate)
                return redirect("events:registration", pk=event.pk, rid=registration.pk)
            if request.POST.get("withdraw"):
                services_registration.registration_withdraw(actor=request.user, registration=registration)
                messages.success(request, _("The registration has been withdrawn."))
                return redirect(event)
        except ValidationError as exc:
            show_service_errors(delegate_form if request.POST.get("form") == "delegate" else form, exc)
    context = {
        "event": event,
        "registration": registration,
        "delegates": list(registration.delegates.all()),
        "form": form,
        "delegate_form": delegate_form,
        "editable": editable,
    }
    return render(request, "events/registration.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    event = access_event(request.user, pk)
    registration = access_registration_for_action(request.user, event, rid)
    slots = list(Slot.objects.filter(event=event).select_related("session"))
    chosen = (
        [str(s.pk) for s in registration.available_slots.all()]
        if registration.availability_set_at
        else [str(s.pk) for s in slots]
    )
    form = forms.AvailabilityForm(
        request.POST or None, slots=slots, zone=services.event_zone(event), initial={"slots": chosen}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_registration.availability_set(
                actor=request.user,
                registration=registration,
                slots=[s for s in slots if str(s.pk) in form.cleaned_data["slots"]],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your availability has been saved."))
            return redirect("events:requests", pk=event.pk, rid=registration.pk)
    return render(
        request, "events/availability.html", {"event": event, "registration": registration, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegate_blocked(request: HttpRequest, pk: int, rid: int, did: int) -> HttpResponse:
    """The slots one delegate blocks: the whole delegation is then not scheduled in them."""
    event = access_event(request.user, pk)
    delegate = access_delegate_for_action(request.user, event, rid, did)
    slots = list(Slot.objects.filter(event=event).select_related("session"))
    form = forms.BlockedSlotsForm(
        request.POST or None,
        slots=slots,
        zone=services.event_zone(event),
        initial={"slots": [str(s.pk) for s in delegate.blocked_slots.all()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_delegates.delegate_blocked_slots_set(
                actor=request.user,
                delegate=delegate,
                slots=[s for s in slots if str(s.pk) in form.cleaned_data["slots"]],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The blocked slots have been saved."))
            return redirect("events:registration", pk=event.pk, rid=delegate.registration_id)
    context = {"event": event, "registration": delegate.registration, "delegate": delegate, "form": form}
    return render(request, "events/delegate_blocked.html", context)

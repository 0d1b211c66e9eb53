"""Pages of exchanges: the list, proposing, one exchange with its thread and its next steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.exchanges import (
    changes,
    counterparts,
    flags,
    forms,
    proposing,
    reciprocity,
    selectors,
    services,
)
from matchmaking.exchanges.access import (
    access_change_for_answer,
    access_exchange,
    access_exchange_for_action,
    can_act_on_exchange,
    can_answer_change,
    exchange_sides,
)
from matchmaking.exchanges.models import ExchangeChange, State
from matchmaking.exchanges.programme import log_visitor_reads
from matchmaking.forms import query_without_page, show_service_errors
from matchmaking.mobility.access import access_opportunity, access_opportunity_for_edit
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.access import access_organisation
from matchmaking.permissions.roles import is_member

STEPS = [
    State.PROPOSED,
    State.AGREED,
    State.PLANNING,
    State.CONFIRMED,
    State.UNDER_WAY,
    State.COMPLETED,
    State.REPORTED,
]


def _messages_from(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_GET
def exchange_list(request: HttpRequest) -> HttpResponse:
    if not is_member(request.user):
        raise Http404
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    page = Paginator(selectors.exchange_list(user=request.user, state=state), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "exchanges": page,
        "page": page,
        "query_string": query_without_page(request),
        "state": state,
        "states": State.choices,
    }
    return render(request, "exchanges/exchange_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_propose(request: HttpRequest) -> HttpResponse:
    """Propose an exchange. From their listing alone (``theirs``), the proposer says "we want to visit"
    (their offer) or "we want to host" (their request) and answers with one of their own listings of
    the right direction and a compatible kind, or with a new one created in the same step. With
    ``ours`` given (a suggestion), the role follows from it."""
    params = request.POST if request.method == "POST" else request.GET
    if params.get("theirs") and (params.get("role") or not params.get("ours")):
        return _propose_answering(request, access_opportunity(request.user, params["theirs"]))
    ours = access_opportunity_for_edit(request.user, params.get("ours", ""))
    theirs: Opportunity | None = None
    if params.get("theirs"):
        theirs = access_opportunity(request.user, params["theirs"])
        other = theirs.organisation
    else:
        other = access_organisation(request.user, params.get("organisation", ""))
    initial = services.proposal_defaults(ours, theirs)
    form = forms.ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.exchange_propose(
                actor=request.user, ours=ours, other=other, theirs=theirs, **form.cleaned_data
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your proposal has been sent to %(org)s.") % {"org": other})
            return redirect(exchange.get_absolute_url())
    role = counterparts.VISIT if ours.direction == Direction.REQUEST else counterparts.HOST
    context = {"form": form, "ours": ours, "theirs": theirs, "other": other, "role": role}
    return render(request, "exchanges/propose.html", context)


def _propose_answering(request: HttpRequest, theirs: Opportunity) -> HttpResponse:
    role = counterparts.role_answering(theirs)
    if request.GET.get("role", role) != role and request.method == "GET":
        messages.error(request, _("An offer is answered by a visit, and a request by hosting."))
    organisations = counterparts.proposing_organisations(request.user, exclude=theirs.organisation)
    if not organisations:
        raise Http404("No organisation to propose for.")
    listings = counterparts.counterpart_listings(user=request.user, theirs=theirs, role=role)
    chosen = forms.CounterpartForm(
        request.POST or None,
        role=role,
        listings=listings,
        organisations=organisations,
        types=counterparts.compatible_types(theirs),
    )
    form = forms.ProposalForm(request.POST or None, initial=services.proposal_defaults(theirs, None))
    if request.method == "POST" and chosen.is_valid() and form.is_valid():
        pick = chosen.cleaned_data
        try:
            if pick["ours"] == chosen.NEW:
                organisation = next(o for o in organisations if o.key == pick["organisation"])
                exchange = proposing.exchange_propose_with_new_listing(
                    actor=request.user, organisation=organisation, theirs=theirs, role=pick["role"],
                    type_code=pick["type"], description=pick["description"], **form.cleaned_data,
                )  # fmt: skip
            else:
                ours = next(o for o in listings if o.key == pick["ours"])
                exchange = services.exchange_propose(
                    actor=request.user, ours=ours, other=theirs.organisation, theirs=theirs,
                    role=pick["role"], **form.cleaned_data,
                )  # fmt: skip
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) & {"role", "ours", "type", "organisation"}:
                show_service_errors(chosen, exc)
            else:
                show_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your proposal has been sent to %(org)s.") % {"org": theirs.organisation}
            )
            return redirect(exchange.get_absolute_url())
    context = {
        "form": form,
        "chosen": chosen,
        "theirs": theirs,
        "other": theirs.organisation,
        "role": role,
        "ours": None,
        "listings": listings,
    }
    return render(request, "exchanges/propose.html", context)


@login_required
@require_GET
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange(request.user, pk)
    can_act = can_act_on_exchange(request.user, exchange)
    visitors = list(exchange.visitors.all()) if can_act else []
    if visitors:
        log_visitor_reads(user=request.user, exchange=exchange, purpose="exchange page", path=request.path)
    sides = exchange_sides(request.user, exchange)
    changeable = exchange.state in (State.AGREED, State.PLANNING)
    pending = selectors.pending_change(exchange=exchange) if can_act and changeable else None
    if pending is not None:
        pending.exchange = exchange
    context = {
        "pending_change": pending,
        "can_answer_change": pending is not None and can_answer_change(request.user, pending),
        "exchange": exchange,
        "can_act": can_act,
        "actions": services.allowed_actions(request.user, exchange),
        "steps": [(s, State(s).label) for s in STEPS],
        "step_index": STEPS.index(State(exchange.state)) if exchange.state in STEPS else -1,
        "thread": selectors.exchange_messages(exchange=exchange),
        "history": selectors.exchange_history(exchange=exchange),
        "visitors": visitors,
        "programme_count": exchange.programme.count(),
        "report": getattr(exchange, "report", None),
        "story": getattr(exchange, "story", None),
        "message_form": forms.MessageForm(),
        "reason_form": forms.ReasonForm(),
        "dates_form": forms.DatesForm(
            initial={"start": exchange.start, "end": exchange.end, "group_size": exchange.group_size}
        ),
        "flags_form": forms.FlagsForm(initial={name: getattr(exchange, name) for name in flags.FLAGS}),
        "my_side_ids": sides,
        "is_host": exchange.host_id in sides,
        "is_proposer": exchange.proposed_by_id in sides,
        "return_visit": reciprocity.live_return_visit(exchange),
        "is_drafter": exchange.state == State.DRAFT and exchange.proposed_by_id in sides,
        "send_form": forms.SendDraftForm(),
        "draft_partner": exchange.visitor if exchange.proposed_by_id == exchange.host_id else exchange.host,
    }
    return render(request, "exchanges/exchange_detail.html", context)


@login_required
@require_POST
def exchange_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.exchange_transition(actor=request.user, exchange=exchange, action=action, reason=reason)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(
            request, _("The exchange is now %(state)s.") % {"state": exchange.get_state_display().lower()}
        )
    return redirect(exchange.get_absolute_url())


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(actor=request.user, exchange=exchange, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Your message has been sent."))
    else:
        messages.error(request, _("The message is empty."))
    return redirect(exchange.get_absolute_url() + "#thread")


@login_required
@require_POST
def exchange_dates(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.DatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a first day, a last day and the number of visitors."))
        return redirect(exchange.get_absolute_url())
    proposer = exchange.proposed_by_id
    try:
        result = changes.exchange_update(actor=request.user, exchange=exchange, **form.cleaned_data)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        if isinstance(result, ExchangeChange) or result.proposed_by_id != proposer:
            messages.success(
                request, _("Your change has been proposed; the other organisation accepts or refuses it.")
            )
        else:
            messages.success(request, _("The dates and group size have been saved."))
    return redirect(exchange.get_absolute_url())


@login_required
@require_POST
def exchange_flags(request: HttpRequest, pk: int) -> HttpResponse:
    """Either organisation sets the reporting flags (anyone else: 404)."""
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.FlagsForm(request.POST)
    form.is_valid()  # three optional check boxes: always valid
    try:
        flags.exchange_flags_set(actor=request.user, exchange=exchange, **form.cleaned_data)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("The reporting flags have been saved."))
    return redirect(exchange.get_absolute_url() + "#flags")


@login_required
@require_POST
def change_answer(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    """The other organisation accepts or refuses a proposed change (anyone else: 404)."""
    exchange = access_exchange_for_action(request.user, pk)
    change = access_change_for_answer(request.user, exchange, change_id)
    answer = request.POST.get("answer", "")
    if answer not in ("accept", "refuse"):
        messages.error(request, _("Answer: accept or refuse the change."))
        return redirect(exchange.get_absolute_url() + "#change")
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        changes.exchange_change_answer(
            actor=request.user, change=change, accept=answer == "accept", reason=reason
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        if answer == "accept":
            messages.success(request, _("The change has been accepted and applied."))
        else:
            messages.success(request, _("The change has been refused; the agreed values stay."))
    return redirect(exchange.get_absolute_url())

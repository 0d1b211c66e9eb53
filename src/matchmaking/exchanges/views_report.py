"""Pages after the visit: the completion report, feedback, quotes with consent, a reciprocal visit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from matchmaking.exchanges import forms, reciprocity, reports, selectors, services
from matchmaking.exchanges.access import (
    access_exchange,
    access_exchange_for_action,
    can_act_on_exchange,
    exchange_sides,
)
from matchmaking.exchanges.models import Exchange, Testimonial
from matchmaking.forms import show_service_errors
from matchmaking.organisations.models import Organisation


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange(request.user, pk)
    report = selectors.exchange_report(exchange=exchange)
    if not can_act_on_exchange(request.user, exchange):
        # Coordinators read the report as the API shows it to them: no forms, consented quotes only.
        if request.method != "GET":
            raise Http404("No such exchange.")
        context: dict[str, Any] = {
            "exchange": exchange,
            "report": report,
            "quotes": selectors.consented_quotes(exchange=exchange),
            "reader_only": True,
        }
        return render(request, "exchanges/report.html", context)
    form = forms.ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_save(actor=request.user, exchange=exchange, data=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The report has been saved."))
            return redirect("exchanges:report", pk=exchange.pk)
    sides = exchange_sides(request.user, exchange)
    prefix = "host" if exchange.host_id in sides else "visitor"
    feedback_form = forms.FeedbackForm(
        initial={
            "feedback": getattr(report, f"{prefix}_feedback", ""),
            "follow_up": getattr(report, f"{prefix}_follow_up", ""),
        }
    )
    opens = services.follow_up_opens(exchange)
    if services.exchange_today(exchange) < opens:
        follow_up = feedback_form.fields["follow_up"]
        follow_up.disabled = True
        follow_up.help_text = _("This question opens on %(date)s, six months after the last day.") % {
            "date": opens
        }
    context = {
        "exchange": exchange,
        "form": form,
        "report": report,
        "editable": exchange.state in reports.REPORT_STATES,
        "feedback_form": feedback_form,
        "feedback_open": exchange.state in reports.FEEDBACK_STATES,
        "quote_form": forms.TestimonialForm(exchange=exchange),
        "quotes": exchange.testimonials.select_related("organisation"),
    }
    return render(request, "exchanges/report.html", context)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        try:
            reports.feedback_save(actor=request.user, exchange=exchange, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect("exchanges:report", pk=exchange.pk)


@login_required
@require_POST
def quote_add(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.TestimonialForm(request.POST, exchange=exchange)
    if form.is_valid():
        d = form.cleaned_data
        try:
            reports.quote_add(
                actor=request.user, exchange=exchange, author_name=d["author_name"], text=d["text"],
                consent=d["consent"], organisation_id=int(d["side"]),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The quote has been added."))
    else:
        messages.error(request, _("Give the quote and the name of the person quoted."))
    return redirect("exchanges:report", pk=exchange.pk)


@login_required
@require_POST
def quote_consent(request: HttpRequest, pk: int, quote_id: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    quote = get_object_or_404(Testimonial, pk=quote_id, exchange=exchange)
    reports.quote_set_consent(
        actor=request.user, testimonial=quote, consent=request.POST.get("consent") == "yes"
    )
    messages.success(request, _("Consent has been recorded."))
    return redirect("exchanges:report", pk=exchange.pk)


@login_required
@require_POST
def reciprocal(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the return visit, or open the one already drafted (a second click creates nothing)."""
    exchange = access_exchange_for_action(request.user, pk)
    try:
        draft, created = reciprocity.reciprocal_exchange_draft(actor=request.user, exchange=exchange)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(exchange.get_absolute_url())
    if created:
        messages.success(
            request,
            _("The return visit is drafted: %(visitor)s visits %(host)s. Check the dates, then send it.")
            % {"visitor": draft.visitor, "host": draft.host},
        )
    else:
        messages.info(request, _("The return visit was already drafted; here it is."))
    return redirect(draft.get_absolute_url())


@login_required
@require_POST
def draft_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The side that drafted a return visit sends it to the partner, with a message."""
    exchange = access_exchange_for_action(request.user, pk)
    form = forms.SendDraftForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        reciprocity.exchange_send_draft(actor=request.user, exchange=exchange, message=message)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your proposal has been sent to %(org)s.") % {"org": _partner(exchange)})
    return redirect(exchange.get_absolute_url())


@login_required
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    try:
        reciprocity.exchange_discard_draft(actor=request.user, exchange=exchange)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(exchange.get_absolute_url())
    messages.success(request, _("The draft has been discarded."))
    return redirect(
        exchange.reciprocal_of.get_absolute_url() if exchange.reciprocal_of else exchange.get_absolute_url()
    )


def _partner(exchange: Exchange) -> Organisation:
    return exchange.visitor if exchange.proposed_by_id == exchange.host_id else exchange.host

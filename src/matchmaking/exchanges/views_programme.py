"""Pages of the programme: visitors and their profiles, the agenda, calendar and PDF exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.core.access_log import access_log_record
from matchmaking.core.throttle import over_limit
from matchmaking.exchanges import exports, forms, programme
from matchmaking.exchanges.access import access_exchange_for_action
from matchmaking.exchanges.models import Exchange, ProgrammeItem, Visitor
from matchmaking.forms import show_service_errors


def _visitor(exchange: Exchange, visitor_id: int | str) -> Visitor:
    return get_object_or_404(Visitor, pk=visitor_id, exchange=exchange)


@login_required
@require_GET
def programme_page(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    visitors = list(exchange.visitors.all())
    chosen = None
    if request.GET.get("visitor"):
        try:
            chosen = next(v for v in visitors if str(v.pk) == request.GET["visitor"])
        except StopIteration as exc:
            raise Http404 from exc
    programme.log_visitor_reads(user=request.user, exchange=exchange, purpose="programme", path=request.path)
    items = programme.programme_for(exchange, chosen)
    days: dict = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    context = {
        "exchange": exchange,
        "visitors": visitors,
        "chosen": chosen,
        "days": sorted(days.items()),
        "zone": exports.host_zone(exchange).key,
        "editable": exchange.state in programme.PLANNING_STATES,
        "visitors_editable": exchange.state in ("proposed", *programme.PLANNING_STATES, "completed"),
    }
    return render(request, "exchanges/programme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visitor_edit(request: HttpRequest, pk: int, visitor_id: int | None = None) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    visitor = _visitor(exchange, visitor_id) if visitor_id else None
    if visitor is not None:
        access_log_record(
            user=request.user, subject=visitor, fields=["all"], purpose="edit visitor", path=request.path
        )
    form = forms.VisitorForm(request.POST or None, instance=visitor)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in programme.VISITOR_FIELDS}
        try:
            programme.visitor_save(actor=request.user, exchange=exchange, data=data, visitor=visitor)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The visitor has been saved."))
            return redirect("exchanges:programme", pk=exchange.pk)
    return render(
        request, "exchanges/visitor_form.html", {"exchange": exchange, "form": form, "visitor": visitor}
    )


@login_required
@require_POST
def visitor_remove(request: HttpRequest, pk: int, visitor_id: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    try:
        programme.visitor_remove(actor=request.user, visitor=_visitor(exchange, visitor_id))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The visitor has been removed."))
    return redirect("exchanges:programme", pk=exchange.pk)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_id: int | None = None) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    item = get_object_or_404(ProgrammeItem, pk=item_id, exchange=exchange) if item_id else None
    initial = {"day": request.GET.get("day") or exchange.start} if item is None else None
    form = forms.ProgrammeItemForm(request.POST or None, instance=item, exchange=exchange, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme.programme_item_save(
                actor=request.user, exchange=exchange, data=form.data_for_service(), item=item
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The programme item has been saved."))
            return redirect("exchanges:programme", pk=exchange.pk)
    context = {"exchange": exchange, "form": form, "item": item, "zone": exports.host_zone(exchange).key}
    return render(request, "exchanges/item_form.html", context)


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    item = get_object_or_404(ProgrammeItem, pk=item_id, exchange=exchange)
    try:
        programme.programme_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The programme item has been removed."))
    return redirect("exchanges:programme", pk=exchange.pk)


@login_required
@require_GET
def programme_ics(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    visitor = _visitor(exchange, request.GET["visitor"]) if request.GET.get("visitor", "").isdigit() else None
    if request.GET.get("visitor") and visitor is None:
        raise Http404
    name = slugify(f"programme-{exchange.pk}-{visitor.name if visitor else 'group'}") + ".ics"
    response = HttpResponse(
        exports.programme_ics(exchange, visitor), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def programme_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    if refused := over_limit(request, "pdf"):
        return refused
    programme.log_visitor_reads(
        user=request.user, exchange=exchange, purpose="programme PDF", path=request.path
    )
    response = HttpResponse(
        exports.programme_pdf(exchange, language=get_language() or "en"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="programme-{exchange.pk}.pdf"'
    return response

"""The Erasmus+-style per-mobility export page: filters, a summary, and CSV/XLSX downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from matchmaking.core.audit import audit_record
from matchmaking.monitoring import mobilities
from matchmaking.monitoring.access import can_export_mobilities, mobility_export_organisations
from matchmaking.monitoring.forms import MobilityExportForm
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import is_coordinator

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "summary": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _organisations(user) -> list[Organisation]:
    scope = mobility_export_organisations(user)
    qs = Organisation.objects.order_by("name")
    return list(qs if scope is None else qs.filter(pk__in=scope))


@login_required
@require_GET
def mobility_export_page(request: HttpRequest) -> HttpResponse:
    if not can_export_mobilities(request.user):
        raise Http404
    organisations = _organisations(request.user)
    form = MobilityExportForm(request.GET or None, organisations=[(o.key, o.name) for o in organisations])
    filters = mobilities.MobilityFilters()
    if form.is_bound and form.is_valid():
        chosen = next((o for o in organisations if o.key == form.cleaned_data["organisation"]), None)
        filters = mobilities.MobilityFilters(
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            organisation_id=chosen.pk if chosen else None,
        )
    export = mobilities.mobility_export(user=request.user, filters=filters)
    download = request.GET.get("download", "")
    if download in DOWNLOADS and not form.errors:
        return _download(request, export, download, filters)
    query = request.GET.copy()
    query.pop("download", None)
    context = {
        "form": form,
        "export": export,
        "summary": export.summary(),
        "query": query.urlencode(),
        "coordinator": is_coordinator(request.user),
    }
    return render(request, "monitoring/mobility_export.html", context)


def _download(
    request: HttpRequest, export: mobilities.MobilityExport, kind: str, filters: mobilities.MobilityFilters
) -> HttpResponse:
    content_type, extension = DOWNLOADS[kind]
    if kind == "xlsx":
        body = mobilities.to_xlsx(export)
    elif kind == "summary":
        body = mobilities.summary_csv(export)
    else:
        body = mobilities.to_csv(export)
    audit_record(
        actor=request.user,
        action="mobilities.exported",
        obj=request.user,
        after={
            "format": kind,
            "rows": len(export.rows),
            "from": filters.date_from,
            "to": filters.date_to,
            "organisation": filters.organisation_id,
        },
    )
    stem = "mobilities-summary" if kind == "summary" else "mobilities"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{extension}"'
    )
    return response

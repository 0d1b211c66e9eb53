"""The Erasmus+-style per-mobility export page: filters, a summary, and CSV/XLSX downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from matchmaking.core.throttle import over_limit
from matchmaking.monitoring import labels, mobilities, selectors, services
from matchmaking.monitoring.access import can_export_mobilities
from matchmaking.monitoring.forms import MobilityExportForm
from matchmaking.permissions.roles import AuthenticatedHttpRequest, is_coordinator

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "summary": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@login_required
@require_GET
def mobility_export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_export_mobilities(request.user):
        raise Http404
    organisations = selectors.export_organisations(user=request.user)
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
        return over_limit(request, "export") or _download(request, export, download, filters)
    query = request.GET.copy()
    query.pop("download", None)
    context = {
        "form": form,
        "export": export,
        # The activity types named in the reader's language; the downloads keep the codes.
        "summary": [(labels.ACTIVITY_TYPES(code), *counts) for code, *counts in export.summary()],
        "query": query.urlencode(),
        "coordinator": is_coordinator(request.user),
    }
    return render(request, "monitoring/mobility_export.html", context)


def _download(
    request: AuthenticatedHttpRequest,
    export: mobilities.MobilityExport,
    kind: str,
    filters: mobilities.MobilityFilters,
) -> HttpResponse:
    content_type, extension = DOWNLOADS[kind]
    if kind == "xlsx":
        body = mobilities.to_xlsx(export)
    elif kind == "summary":
        body = mobilities.summary_csv(export)
    else:
        body = mobilities.to_csv(export)
    services.mobility_export_record(actor=request.user, kind=kind, export=export, filters=filters)
    stem = "mobilities-summary" if kind == "summary" else "mobilities"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{extension}"'
    )
    return response

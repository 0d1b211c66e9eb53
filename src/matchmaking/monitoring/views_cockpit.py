"""The monitoring cockpit (the coordinator: the whole network; a member: its own organisations), its
downloads, and the coordinator's pages for targets and learner counts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchmaking.core.throttle import over_limit
from matchmaking.forms import show_service_errors
from matchmaking.monitoring import charts, exports, maps, network, selectors, services
from matchmaking.monitoring import page as cut
from matchmaking.monitoring.access import can_manage_monitoring, can_view_cockpit, cockpit_scope
from matchmaking.monitoring.cockpit import Cockpit, CockpitFilters, Table
from matchmaking.monitoring.forms import CockpitForm, LearnerCountForm, LearnerImportForm, TargetForm
from matchmaking.monitoring.indicators import definitions
from matchmaking.permissions.roles import AuthenticatedHttpRequest, is_coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: AuthenticatedHttpRequest) -> tuple[CockpitForm, CockpitFilters]:
    organisations = selectors.cockpit_organisations(user=request.user)
    regions = list(selectors.regions())
    countries = sorted({(r.country, r.country) for r in regions})
    form = CockpitForm(
        request.GET or None,
        organisations=[(o.key, o.name) for o in organisations],
        regions=[(r.code, f"{r.name} ({r.code})") for r in regions],
        countries=countries,
    )
    filters = CockpitFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = next((o for o in organisations if o.key == data["organisation"]), None)
        filters = CockpitFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            country=data["country"],
            region=data["region"],
            organisation_id=chosen.pk if chosen else None,
            kind=data["kind"],
            activity_type=data["activity_type"],
            target_group=data["target_group"],
        )
    return form, filters


@login_required
@require_GET
def cockpit_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_cockpit(request.user):
        raise Http404
    form, filters = _filters(request)
    cockpit = selectors.cockpit(user=request.user, filters=filters)
    download = request.GET.get("download", "")
    if download and not form.errors:
        return over_limit(request, "export") or _download(
            request, cockpit, download, request.GET.get("table", "")
        )
    query = request.GET.copy()
    query.pop("download", None)
    query.pop("table", None)
    context = {
        "form": form,
        "cockpit": cockpit,
        "sections": _sections(cockpit),
        "flow_map": maps.flow_map(
            cockpit.flows,
            static(maps.BASE_STATIC),
            _("Exchanges between regions"),
            cockpit.context_flows,
            limit=cut.MAP_FLOWS,
        ),
        # Long tables are shown as their largest rows; every row is in the downloads.
        "flows": cut.flow_table(cockpit.flows, maps.region_name),
        "context_flows": cut.flow_table(cockpit.context_flows, maps.region_name),
        "attribution": maps.attribution(),
        "definitions": definitions(),
        "suppression_note": exports.suppression_note(cockpit.k),
        "query": query.urlencode(),
        "coordinator": is_coordinator(request.user),
        "manager": can_manage_monitoring(request.user),
        "scoped": cockpit_scope(request.user) is not None,
    }
    return render(request, "monitoring/cockpit.html", context)


def _sections(cockpit: Cockpit) -> list[dict[str, Any]]:
    """Each table with its chart (None where a chart would add nothing to the table)."""
    out = []
    for table in cockpit.tables.values():
        chart = None
        if table.code in ("exchanges-by-type", "exchanges-by-status", "participants-by-activity"):
            column = _largest_column(table)
            chart = charts.bars(str(table.title), [(str(table.label(r[0])), r[column]) for r in table.rows])
        elif table.code == "vet-learners-on-mobility":
            chart = charts.trend(
                str(table.title),
                [
                    (_("Share (%)"), [(r[0], r[3]) for r in table.rows]),
                    (_("Partnership target (%)"), [(r[0], r[4]) for r in table.rows]),
                    (_("Council target (%)"), [(r[0], r[5]) for r in table.rows]),
                ],
            )
        elif table.code == "fewer-opportunities-share":
            chart = charts.trend(
                str(table.title),
                [
                    (_("Share (%)"), [(r[0], r[4]) for r in table.rows]),
                    (_("Partnership target (%)"), [(r[0], r[5]) for r in table.rows]),
                ],
            )
        out.append(
            {"table": table, "page": cut.page_table(table), "chart": chart, "definition": table.definition}
        )
    return out


def _largest_column(table: Table) -> int:
    """The figure column with the largest shown total (sent or received), else the first."""
    totals = [(v, i) for i, v in enumerate(table.total or [], start=0) if i and isinstance(v, int)]
    return max(totals)[1] if totals else 1


def _download(request: AuthenticatedHttpRequest, cockpit: Cockpit, kind: str, code: str) -> HttpResponse:
    stamp = f"{timezone.localdate():%Y%m%d}"
    if kind == "xlsx":
        body, content_type, name = exports.cockpit_xlsx(cockpit), XLSX, f"indicators-{stamp}.xlsx"
    elif kind == "csv" and code in cockpit.tables:
        body = exports.table_csv(cockpit.tables[code], cockpit)
        content_type, name = "text/csv; charset=utf-8", f"{code}-{stamp}.csv"
    elif kind == "csv" and code in exports.FLOW_TABLES:
        body = exports.flows_csv(code, cockpit)
        content_type, name = "text/csv; charset=utf-8", f"{code}-{stamp}.csv"
    else:
        raise Http404
    services.indicators_export_record(
        actor=request.user, kind=kind, filters={"table": code, **cockpit.filters.as_dict()}
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def targets_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_monitoring(request.user):
        raise Http404
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_set(
                actor=request.user, indicator=data["indicator"], year=data["year"], source=data["source"],
                value=data["value"], reference=data["reference"],
            )  # fmt: skip
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The target has been saved."))
            return redirect("monitoring:targets")
    titles = {d.code: d.title for d in definitions().with_targets()}
    context = {"form": form, "targets": selectors.targets(), "titles": titles}
    return render(request, "monitoring/targets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def learners_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_monitoring(request.user):
        raise Http404
    regions = list(selectors.regions())
    organisations = selectors.cockpit_organisations(user=request.user)
    choices = {
        "regions": [(r.code, f"{r.name} ({r.code})") for r in regions],
        "organisations": [(o.key, o.name) for o in organisations],
    }
    action = request.POST.get("action", "")
    form = LearnerCountForm(request.POST if action == "enter" else None, **choices)
    upload = LearnerImportForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    if action == "enter" and form.is_valid():
        data = form.cleaned_data
        try:
            services.learner_count_set(
                actor=request.user,
                year=data["year"],
                learners=data["learners"],
                region=next((r for r in regions if r.code == data["region"]), None),
                organisation=next((o for o in organisations if o.key == data["organisation"]), None),
                source=data["source"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The learner count has been saved."))
            return redirect("monitoring:learners")
    if action == "import" and upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            count = services.learner_counts_import(
                actor=request.user, filename=file.name, content=file.read()
            )
        except ValidationError as exc:
            show_service_errors(upload, exc)
        else:
            messages.success(request, _("%(n)s learner counts imported.") % {"n": count})
            return redirect("monitoring:learners")
    context = {"form": form, "upload": upload, "counts": selectors.learner_counts()}
    return render(request, "monitoring/learners.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def network_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who should meet whom, and the coordinator's "introduce them"."""
    if not can_manage_monitoring(request.user):
        raise Http404
    pairs = network.who_should_meet()
    if request.method == "POST":
        keys = (request.POST.get("first", ""), request.POST.get("second", ""))
        pair = next((p for p in pairs if (p.first.key, p.second.key) == keys), None)
        if pair is None:
            raise Http404
        notified = services.introduction_send(
            actor=request.user, first=pair.first, second=pair.second, message=request.POST.get("message", "")
        )
        messages.success(
            request,
            _("%(first)s and %(second)s have been introduced (%(n)s people told).")
            % {"first": pair.first.name, "second": pair.second.name, "n": notified},
        )
        return redirect("monitoring:network")
    return render(request, "monitoring/network.html", {"pairs": pairs})

"""Placement pages: list, detail, publish and edit, waiting list, host decisions, bulk import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import show_service_errors
from matchmaking.participants import esco_lookup
from matchmaking.participants.access import (
    access_participant_for_edit,
    can_edit_participant,
    can_use_caseload,
    visible_participants,
)
from matchmaking.participants.views import show_error
from matchmaking.permissions.roles import AnyUser, AuthenticatedHttpRequest, is_active_user, roles_of
from matchmaking.placements import decisions, forms, importing, selectors, services
from matchmaking.placements.access import (
    access_placement,
    access_placement_for_edit,
    access_proposal_for_host,
    can_edit_placement,
    can_manage_rounds,
)
from matchmaking.placements.models import Proposal, WaitingListEntry


def _member(user: AnyUser) -> None:
    if not (is_active_user(user) and roles_of(user)):
        raise Http404("No such page.")


@login_required
@require_GET
def placement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _member(request.user)
    form = forms.PlacementFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    found = selectors.placement_page(
        query=d.get("q", ""), labour_market=d.get("labour_market", ""), country=d.get("country", "")
    )
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    hosts = selectors.placement_hosts(user=request.user)
    context = {
        "form": form,
        "page": page,
        "can_publish": hosts.exists(),
        "can_manage_rounds": can_manage_rounds(request.user),
    }
    return render(request, "placements/placement_list.html", context)


@login_required
@require_GET
def placement_detail(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    placement = access_placement(request.user, key)
    is_host = can_edit_placement(request.user, placement)
    proposals = placement.proposals.select_related("participant", "round").exclude(
        status=Proposal.Status.PROPOSED
    )
    waiting = placement.waiting_list.filter(status=WaitingListEntry.Status.WAITING).select_related(
        "participant"
    )
    visible = set(visible_participants(request.user).values_list("pk", flat=True))
    context = {
        "placement": placement,
        "is_host": is_host,
        "taken": services.seats_taken(placement),
        "required": [s for s in placement.skills.all() if s.required],
        "desired": [s for s in placement.skills.all() if not s.required],
        "proposals": proposals if is_host else [p for p in proposals if p.participant_id in visible],
        "decide_form": forms.DecideForm(),
        "waiting": [w for w in waiting if is_host or w.participant_id in visible],
        "can_use_caseload": can_use_caseload(request.user),
        # Single proposals and placements under way: the host's all, others only their own people's.
        "assignments": [
            a
            for a in placement.assignments.select_related("participant").exclude(participant__status="erased")
            if is_host or a.participant_id in visible
        ][:100],
    }
    return render(request, "placements/placement_detail.html", context)


def _resolve_skills(text: str) -> list[dict[str, str]]:
    skills = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        if line.startswith("http://data.europa.eu/esco/skill/"):
            skills.append({"uri": line, "label": esco_lookup.skill_label(line)})
            continue
        found = esco_lookup.search_skills(line, limit=1)
        if not found:
            raise ValidationError({"required_skills": _("No ESCO skill found for: %s") % line})
        skills.append({"uri": found[0].uri, "label": found[0].label})
    return skills


def _placement_data(form: forms.PlacementForm) -> dict[str, Any]:
    d = form.cleaned_data
    data = {
        k: d[k]
        for k in (
            "title",
            "description",
            "seats",
            "start",
            "end",
            "country",
            "city",
            "labour_market",
            "kind",
            "scheme",
            "support_offered",
        )
    }
    occupation = d["occupation"].strip()
    data["occupation_uri"], data["occupation_label"] = "", ""
    if occupation:
        found = esco_lookup.search_occupations(occupation, limit=1)
        if not found:
            raise ValidationError({"occupation": _("No ESCO occupation found for these words.")})
        data["occupation_uri"], data["occupation_label"] = found[0].uri, found[0].label
    data["required_skills"] = _resolve_skills(d["required_skills"])
    data["desired_skills"] = _resolve_skills(d["desired_skills"])
    data["languages"] = (
        [{"code": d["language"].lower(), "level": d["language_level"]}] if d["language"] else []
    )
    return data


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: AuthenticatedHttpRequest, key: str | None = None) -> HttpResponse:
    placement = access_placement_for_edit(request.user, key) if key else None
    hosts = list(selectors.placement_hosts(user=request.user))
    if not hosts and placement is None:
        raise Http404("No such page.")
    initial: dict[str, Any] = {
        "country": hosts[0].country if hosts else "",
        "city": hosts[0].city if hosts else "",
    }
    if placement:
        language = placement.languages.first()
        initial = {
            **{
                f: getattr(placement, f)
                for f in (
                    "title",
                    "description",
                    "seats",
                    "start",
                    "end",
                    "country",
                    "city",
                    "labour_market",
                    "kind",
                    "scheme",
                    "support_offered",
                )
            },
            "occupation": placement.occupation_label,
            "required_skills": "\n".join(s.label for s in placement.skills.all() if s.required),
            "desired_skills": "\n".join(s.label for s in placement.skills.all() if not s.required),
            "language": language.code if language else "",
            "language_level": language.level if language else "",
        }
    form = forms.PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.placement_save(
                actor=request.user,
                host=placement.host if placement else hosts[0],
                data=_placement_data(form),
                placement=placement,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The placement has been saved."))
            return redirect(saved.get_absolute_url())
    heading = _("Edit placement") if placement else _("Publish a placement")
    return render(
        request,
        "placements/placement_form.html",
        {
            "form": form,
            "placement": placement,
            "heading": heading,
            "host": placement.host if placement else hosts[0],
        },
    )


@login_required
@require_POST
def waiting_list(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    placement = access_placement(request.user, key)
    try:
        if request.POST.get("remove"):
            entry = (
                placement.waiting_list.filter(pk=int(request.POST["remove"]))
                .select_related("participant")
                .first()
            )
            if entry is None or not can_edit_participant(request.user, entry.participant):
                raise Http404("No such entry.")
            services.waiting_list_remove(actor=request.user, entry=entry)
            messages.success(request, _("Removed from the waiting list."))
        else:
            participant = access_participant_for_edit(request.user, request.POST.get("pseudonym", "").strip())
            services.waiting_list_add(actor=request.user, placement=placement, participant=participant)
            messages.success(request, _("%s is on the waiting list.") % participant.pseudonym)
            if request.POST.get("back") == "participant":
                return redirect(participant.get_absolute_url())
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    except ValueError:
        messages.error(request, _("No such entry."))
    return redirect(placement.get_absolute_url())


@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_for_host(request.user, proposal_id)
    placement = proposal.placement
    assert placement is not None  # a host decides only on proposals of its placements
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect(placement.get_absolute_url())
    d = form.cleaned_data
    try:
        decisions.proposal_decide(
            actor=request.user,
            proposal=proposal,
            accept=d["decision"] == "accept",
            reason=d["reason"],
            note=d["note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Your decision has been recorded."))
    return redirect(placement.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _member(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            errors = [_("The file is larger than 10 MB.")]
        else:
            try:
                report = importing.import_file(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    filename=upload.name,
                    content=upload.read(),
                )
            except importing.ImportFailedError as exc:
                errors = exc.errors
            except ValidationError as exc:
                errors = exc.messages
    return render(
        request,
        "placements/import.html",
        {
            "form": form,
            "report": report,
            "errors": errors,
            "participant_columns": importing.PARTICIPANT_COLUMNS,
            "placement_columns": importing.PLACEMENT_COLUMNS,
        },
    )

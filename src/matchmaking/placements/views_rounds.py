"""Allocation round pages: create, compute with progress, review and override, confirm, contests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import HtmxHttpRequest, show_service_errors
from matchmaking.participants.models import Participant
from matchmaking.participants.views import show_error
from matchmaking.permissions.roles import AnyUser, AuthenticatedHttpRequest
from matchmaking.placements import decisions, forms, forms_rounds, matching, round_recovery, rounds, selectors
from matchmaking.placements.access import (
    access_contest_for_answer,
    access_proposal_for_contest,
    access_round,
    can_manage_rounds,
)
from matchmaking.placements.models import DEFAULT_MIN_FIT, Round
from matchmaking.placements.selectors import PlacementWithSeats

SHOWN = forms_rounds.SHOWN

ROUNDS_PER_PAGE = 50
PROPOSALS_PER_PAGE = 50


def _require_rounds(user: AnyUser) -> None:
    if not can_manage_rounds(user):
        raise Http404("No such page.")


@login_required
@require_GET
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_rounds(request.user):
        # Case workers read the rounds of their own people (404 there for anyone else).
        return redirect("placements:my-rounds")
    page = Paginator(selectors.round_list(), ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "placements/round_list.html", {"rounds": page, "page": page})


def _people(user: AnyUser, query: str) -> QuerySet[Participant]:
    found = selectors.round_participants(user=user)
    if query:
        found = found.filter(Q(pseudonym__icontains=query) | Q(organisation__name__icontains=query))
    return found


def _places(query: str) -> QuerySet[PlacementWithSeats]:
    found = selectors.open_placements().filter(taken__lt=F("seats"))
    if query:
        found = found.filter(
            Q(title__icontains=query) | Q(key__icontains=query) | Q(host__name__icontains=query)
        )
    return found.order_by("title", "pk")


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:100_000]


def _choices(
    user: AnyUser, data: QueryDict, people_query: str, places_query: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The first matches of each search to tick, plus whatever was ticked (if still allowed)."""
    posted_people = _ids(data.getlist("participants"))
    posted_places = _ids(data.getlist("placements"))
    people = list(_people(user, people_query)[:SHOWN])
    if posted_people:
        people += list(selectors.round_participants(user=user, participant_ids=posted_people))
    places = list(_places(places_query)[:SHOWN])
    if posted_places:
        places += list(_places("").filter(pk__in=posted_places))
    return (
        list(dict.fromkeys((str(p.pk), f"{p.pseudonym} · {p.organisation.name}") for p in people)),
        list(
            dict.fromkeys(
                (str(p.pk), f"{p.title} · {p.host.name} · {p.seats - p.taken}/{p.seats}") for p in places
            )
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a round: participants and placements found by a search, ticked from the first matches
    or taken all ("everyone matching"); the "Find" button applies the searches (GET)."""
    _require_rounds(request.user)
    data = request.POST if request.method == "POST" else request.GET
    people_query = data.get("people_query", "").strip()[:100]
    places_query = data.get("places_query", "").strip()[:100]
    people, places = _choices(request.user, data, people_query, places_query)
    form = forms_rounds.RoundScopeForm(
        request.POST or None,
        participants=people,
        placements=places,
        initial={
            "method": Round.Method.STABLE,
            "min_fit": DEFAULT_MIN_FIT,
            "people_query": people_query,
            "places_query": places_query,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen_people = (
            _people(request.user, people_query)
            if d["all_participants"]
            else selectors.round_participants(user=request.user, participant_ids=d["participants"])
        )
        chosen_places = (
            _places(places_query)
            if d["all_placements"]
            else selectors.open_placements(placement_ids=d["placements"])
        )
        try:
            found = rounds.round_create(
                actor=request.user,
                name=d["name"],
                method=d["method"],
                floor=d["floor"] or 0,
                min_fit=d["min_fit"] if d["min_fit"] is not None else DEFAULT_MIN_FIT,
                participants=chosen_people,
                placements=chosen_places,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The round has been created. Compute a proposal when you are ready."))
            return redirect(found.get_absolute_url())
    context = {
        "form": form,
        "people_query": people_query,
        "places_query": places_query,
        "people_matching": _people(request.user, people_query).count(),
        "places_matching": _places(places_query).count(),
        "shown": SHOWN,
    }
    return render(request, "placements/round_form.html", context)


@login_required
@require_GET
def round_detail(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    found = access_round(request.user, round_id)
    page = Paginator(selectors.round_proposals(allocation_round=found), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    proposals = selectors.annotate_waiting_list_offers(page.object_list)
    wanted = {a.get("placement") for p in proposals for a in p.alternatives}
    places = {p.pk: p for p in found.placements.filter(pk__in=wanted).select_related("host")}
    for p in proposals:
        # The reviewer's choice: the person's best placements, each with the person's fit there.
        p.alternative_options = [
            (str(a["placement"]), places[a["placement"]], a["score"])
            for a in p.alternatives
            if a.get("placement") in places
        ]
    no_suitable = Paginator(selectors.round_no_suitable(allocation_round=found), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("fit_page")
    )
    context = {
        "round": found,
        "proposals": proposals,
        "page": page,
        "no_suitable": no_suitable,
        "answer_form": forms.AnswerForm(),
        "open_contests": selectors.open_contest_count(allocation_round=found),
    }
    return render(request, "placements/round_detail.html", context)


@login_required
@require_GET
def round_placement_options(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """The round's placements matching what the reviewer types, as the options of the identifier
    field's list (filled by ``placements/round_search.js``)."""
    found = access_round(request.user, round_id)
    _require_rounds(request.user)
    places = selectors.round_placement_search(allocation_round=found, query=request.GET.get("q", ""))
    return render(request, "placements/partials/round_placement_options.html", {"places": places})


@login_required
@require_GET
def round_progress(request: HtmxHttpRequest, round_id: int) -> HttpResponse:
    """The progress fragment the round page polls (htmx) while the round is computed."""
    found = access_round(request.user, round_id)
    response = render(request, "placements/partials/round_progress.html", {"round": found})
    if found.status != Round.Status.RUNNING and request.htmx:
        response["HX-Refresh"] = "true"  # reload the whole page to show the result
    return response


@login_required
@require_POST
def round_propose(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    found = access_round(request.user, round_id)
    try:
        found = rounds.round_propose(actor=request.user, allocation_round=found)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        if found.status == Round.Status.PROPOSED:
            messages.success(request, _("The engine has proposed an allocation. Review it, then confirm."))
        elif found.status == Round.Status.FAILED:
            messages.error(request, _("The round could not be computed: %s") % found.error)
        else:
            messages.info(request, _("The round is being computed in the background."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def round_cancel(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Stop a round's background computation, or dismiss its failure, to edit and compute it later."""
    found = access_round(request.user, round_id)
    try:
        found = round_recovery.round_cancel(actor=request.user, allocation_round=found)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The computation has been cancelled; nothing it computed is kept."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def round_confirm(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    found = access_round(request.user, round_id)
    try:
        rounds.round_confirm(actor=request.user, allocation_round=found)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The round is confirmed; the hosts have been asked to accept."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def proposal_override(request: AuthenticatedHttpRequest, round_id: int, proposal_id: int) -> HttpResponse:
    found = access_round(request.user, round_id)
    proposal = found.proposals.filter(pk=proposal_id).select_related("participant", "round").first()
    if proposal is None:
        raise Http404("No such proposal.")
    form = forms.OverrideForm(request.POST, placements=[(str(p.pk), p.title) for p in found.placements.all()])
    if not form.is_valid():
        for field, errors in form.errors.items():
            text = " ".join(str(e) for e in errors)
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect(found.get_absolute_url())
    key = form.cleaned_data["placement_key"].strip()
    if key:
        placement = found.placements.filter(key=key).first()
        if placement is None:
            messages.error(
                request,
                _("%(field)s: no placement of this round has the identifier %(key)s.")
                % {"field": form.fields["placement_key"].label, "key": key},
            )
            return redirect(found.get_absolute_url())
    else:
        placement = (
            found.placements.filter(pk=form.cleaned_data["placement"]).first()
            if form.cleaned_data["placement"]
            else None
        )
    try:
        rounds.proposal_override(
            actor=request.user, proposal=proposal, placement=placement, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _show_field_errors(request, exc, form)
    except PermissionDenied as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The proposal for %s has been changed.") % proposal.participant.pseudonym)
    return redirect(found.get_absolute_url())


@login_required
@require_GET
def proposal_fit(request: AuthenticatedHttpRequest, round_id: int, proposal_id: int) -> HttpResponse:
    """The person's fit at a placement of the round chosen by its identifier, before the reviewer
    changes the proposal to it (the fragment under the identifier field)."""
    found = access_round(request.user, round_id)
    _require_rounds(request.user)
    proposal = found.proposals.filter(pk=proposal_id).select_related("participant").first()
    if proposal is None:
        raise Http404("No such proposal.")
    key = request.GET.get("placement_key", "").strip()[:100]
    placement = found.placements.filter(key=key).first() if key else None
    pair = matching.score_one(proposal.participant, placement) if placement is not None else None
    context = {"key": key, "placement": placement, "pair": pair, "round": found}
    return render(request, "placements/partials/proposal_fit.html", context)


def _show_field_errors(request: AuthenticatedHttpRequest, exc: ValidationError, form: BaseForm) -> None:
    """A service's refusal as messages, each naming the field it is about."""
    if not hasattr(exc, "error_dict"):
        show_error(request, exc)
        return
    for field, errors in exc.message_dict.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_contest(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_for_contest(request.user, proposal_id)
    form = forms.ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.contest_raise(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            show_service_errors(form, exc) if isinstance(exc, ValidationError) else show_error(request, exc)
        else:
            messages.success(request, _("The contest has been sent to the coordinator."))
            return redirect(proposal.participant.get_absolute_url())
    return render(
        request,
        "placements/contest_form.html",
        {"form": form, "proposal": proposal, "contests": proposal.contests.all()},
    )


@login_required
@require_POST
def contest_answer(request: AuthenticatedHttpRequest, contest_id: int) -> HttpResponse:
    contest = access_contest_for_answer(request.user, contest_id)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            decisions.contest_answer(
                actor=request.user,
                contest=contest,
                upheld=form.cleaned_data["upheld"] == "yes",
                answer=form.cleaned_data["answer"],
            )
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The answer has been sent."))
    else:
        messages.error(request, _("Write an answer."))
    return redirect(contest.proposal.round.get_absolute_url())

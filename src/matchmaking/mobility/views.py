"""Pages for offers and requests, their search, suggestions and "why not?". Thin: permissions, selectors,
services, templates (htmx fragments for filters)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import HtmxHttpRequest, query_without_page, show_service_errors
from matchmaking.mobility import forms, matching, selectors, services
from matchmaking.mobility.access import (
    access_opportunity,
    access_opportunity_for_edit,
    can_edit_opportunity,
    can_post_opportunities,
)
from matchmaking.mobility.models import Opportunity, SavedSearch
from matchmaking.organisations import selectors as organisation_selectors
from matchmaking.organisations.access import access_organisation
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, is_member, roles_of


def _my_organisations(user: AnyUser) -> list[tuple[str, str]]:
    return [(o.key, o.name) for o in organisation_selectors.user_organisations(user=user)]


def _member_required(user: AnyUser) -> None:
    if not is_member(user):
        raise Http404


@login_required
@require_GET
def opportunity_list(request: HtmxHttpRequest) -> HttpResponse:
    _member_required(request.user)
    form = forms.OpportunitySearchForm(request.GET or None, countries=selectors.suggestion_countries())
    filters = selectors.OpportunityFilters()
    if form.is_valid():
        filters = selectors.OpportunityFilters.from_dict(form.cleaned_data)
    found = selectors.opportunity_list(user=request.user, filters=filters)
    page = Paginator(selectors.opportunity_pages(found), 20).get_page(request.GET.get("page"))
    organisations = organisation_selectors.organisation_list(
        user=request.user, filters=organisation_selectors.OrganisationFilters(query=filters.query)
    )
    context = {
        "form": form,
        "page": page,
        "query_string": query_without_page(request),
        "organisation_count": organisations.count() if filters.query else None,
        "saved_form": forms.SavedSearchForm(),
        "saved_searches": selectors.saved_searches(user=request.user),
        "can_post": bool(_my_organisations(request.user)),
    }
    template = (
        "mobility/partials/opportunity_results.html" if request.htmx else "mobility/opportunity_list.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    choices = _my_organisations(request.user)
    if not choices:
        raise Http404
    initial = {"direction": request.GET.get("direction", "offer"), "funding": "", "languages": ["en"]}
    form = forms.OpportunityForm(request.POST or None, organisations=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = get_object_or_404(Organisation, key=form.cleaned_data["organisation"])
        data = form.data_for_service()
        data["status"] = Opportunity.Status.DRAFT if "save_draft" in request.POST else Opportunity.Status.OPEN
        try:
            opportunity = services.opportunity_create(
                actor=request.user, organisation=organisation, data=data
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. Partner suggestions are being prepared."))
            return redirect(opportunity.get_absolute_url())
    return render(request, "mobility/opportunity_form.html", {"form": form, "opportunity": None})


@login_required
@require_GET
def opportunity_detail(request: HttpRequest, key: str) -> HttpResponse:
    opportunity = selectors.opportunity_detail(opportunity=access_opportunity(request.user, key))
    can_edit = can_edit_opportunity(request.user, opportunity)
    context = {
        "opportunity": opportunity,
        "can_edit": can_edit,
        "status_changes": [
            (s, Opportunity.Status(s).label) for s in services.STATUS_CHANGES.get(opportunity.status, ())
        ]
        if can_edit
        else [],
        "my_opportunities": list(
            selectors.visible_opportunities(user=request.user)
            .filter(organisation_id__in=list(roles_of(request.user)), status="open")
            .exclude(organisation=opportunity.organisation)
            .select_related("type")
        )
        if not can_edit
        else [],
    }
    return render(request, "mobility/opportunity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, key: str) -> HttpResponse:
    opportunity = access_opportunity_for_edit(request.user, key)
    initial = {**services.opportunity_full_data(opportunity), "organisation": opportunity.organisation.key}
    form = forms.OpportunityForm(
        request.POST or None,
        initial=initial,
        organisations=[(opportunity.organisation.key, opportunity.organisation.name)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                actor=request.user, opportunity=opportunity, data=form.data_for_service()
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(opportunity.get_absolute_url())
    return render(request, "mobility/opportunity_form.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def opportunity_status(request: HttpRequest, key: str) -> HttpResponse:
    opportunity = access_opportunity_for_edit(request.user, key)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return redirect(opportunity.get_absolute_url())
    try:
        services.opportunity_set_status(
            actor=request.user,
            opportunity=opportunity,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The status has been changed."))
    return redirect(opportunity.get_absolute_url())


# --- Suggestions -----------------------------------------------------------------------------------


def _suggestion_filters(form: forms.SuggestionFilterForm) -> selectors.SuggestionFilters:
    if not form.is_valid():
        return selectors.SuggestionFilters()
    return selectors.SuggestionFilters(**{k: v for k, v in form.cleaned_data.items() if v})


def _filtered(form: forms.SuggestionFilterForm) -> bool:
    """Has the reader set any filter (so an empty list may be the filters' doing)?"""
    return form.is_bound and form.is_valid() and any(form.cleaned_data.values())


@login_required
@require_GET
def suggestions(request: HtmxHttpRequest, key: str) -> HttpResponse:
    opportunity = access_opportunity_for_edit(request.user, key)
    form = forms.SuggestionFilterForm(request.GET or None, countries=selectors.suggestion_countries())
    run = selectors.suggestion_run(opportunity=opportunity)
    shown = request.GET.get("shown", "")
    found = selectors.suggestions_shown(
        opportunity=opportunity,
        filters=_suggestion_filters(form),
        shown=min(max(int(shown), selectors.SUGGESTIONS_SHOWN), 1000)
        if shown.isdigit()
        else selectors.SUGGESTIONS_SHOWN,
    )
    query = request.GET.copy()
    query.pop("shown", None)
    filtered = _filtered(form)
    context = {
        "opportunity": opportunity,
        "form": form,
        "run": run,
        "found": found,
        "partners": found.partners,
        "invites": found.invites,
        "query_string": query.urlencode(),
        "why_form": forms.WhyNotForm(),
        "filtered": filtered,
        # Only when (almost) nothing passes the rules: computed on the page, from cached vectors.
        "near_misses": matching.near_misses_for(opportunity)
        if run and not filtered and found.partner_count < matching.NEAR_MISS_WHEN_FEWER
        else [],
    }
    template = "mobility/partials/suggestion_results.html" if request.htmx else "mobility/suggestions.html"
    return render(request, template, context)


@login_required
@require_GET
def why_not_organisations(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """The organisations matching what was typed in the "why not?" box, as options of its list."""
    opportunity = access_opportunity_for_edit(request.user, key)
    found = selectors.why_not_candidates(
        opportunity=opportunity, query=request.GET.get("organisation", "")[:100]
    )
    return render(request, "mobility/partials/why_not_options.html", {"organisations": found})


@login_required
@require_GET
def organisation_suggestions(request: HtmxHttpRequest, org_key: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_key)
    if not can_post_opportunities(request.user, organisation):
        raise Http404
    form = forms.SuggestionFilterForm(request.GET or None, countries=selectors.suggestion_countries())
    rows = selectors.organisation_suggestions(
        user=request.user, organisation=organisation, filters=_suggestion_filters(form)
    )
    context = {
        "organisation": organisation,
        "form": form,
        "partners": rows,
        "organisation_wide": True,
        "filtered": _filtered(form),
    }
    template = (
        "mobility/partials/suggestion_results.html"
        if request.htmx
        else "mobility/organisation_suggestions.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def why_not(request: HtmxHttpRequest, key: str) -> HttpResponse:
    opportunity = access_opportunity_for_edit(request.user, key)
    other = selectors.why_not_organisation(
        user=request.user, opportunity=opportunity, text=request.GET.get("organisation", "")[:200]
    )
    answer = None if other is None else matching.why_not(opportunity, other)
    template = "mobility/partials/why_not.html" if request.htmx else "mobility/why_not.html"
    return render(request, template, {"opportunity": opportunity, "answer": answer, "htmx": request.htmx})


# --- Saved searches --------------------------------------------------------------------------------


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    _member_required(request.user)
    form = forms.SavedSearchForm(request.POST)
    search_form = forms.OpportunitySearchForm(request.POST, countries=selectors.suggestion_countries())
    if form.is_valid() and search_form.is_valid():
        filters = selectors.OpportunityFilters.from_dict(search_form.cleaned_data).as_dict()
        services.saved_search_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            filters=filters,
            alerts=form.cleaned_data["alerts"],
        )
        messages.success(request, _("Your search has been saved."))
    else:
        messages.error(request, _("Give the search a name to save it."))
    return redirect("mobility:opportunity-list")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("The saved search has been deleted."))
    return redirect("mobility:opportunity-list")

"""Views of organisations, members, applications to join, invitations and the audit trail: thin.
They check access through ``organisations.access``, read through selectors, write through services,
and render templates (or htmx fragments)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from matchmaking.core.access_log import access_log_record
from matchmaking.core.throttle import over_limit
from matchmaking.forms import HtmxHttpRequest, query_without_page, region_choices, show_service_errors
from matchmaking.organisations import forms, selectors, services
from matchmaking.organisations.access import (
    access_application,
    access_organisation,
    access_organisation_for_edit,
    access_organisation_for_members,
    can_edit_organisation,
    can_manage_members,
    can_review_applications,
    can_view_audit,
    grantable_roles,
)
from matchmaking.organisations.models import JoinApplication, Membership
from matchmaking.permissions.roles import is_coordinator


@login_required
@require_safe
def organisation_list(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.OrganisationSearchForm(
        request.GET or None, countries=selectors.organisation_countries(user=request.user)
    )
    filters = selectors.OrganisationFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.OrganisationFilters(
            query=d["q"].strip(),
            country=d["country"],
            region=d["region"],
            kind=d["kind"],
            topic=d["topic"],
            target_group=d["target_group"],
            language=d["language"],
        )
    found = selectors.organisation_list(user=request.user, filters=filters)
    page = Paginator(selectors.organisation_pages(found), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_without_page(request)}
    template = (
        "organisations/partials/organisation_results.html"
        if request.htmx
        else "organisations/organisation_list.html"
    )
    return render(request, template, context)


@login_required
@require_safe
def organisation_detail(request: HttpRequest, key: str) -> HttpResponse:
    organisation = access_organisation(request.user, key)
    context = {
        "organisation": organisation,
        "can_edit": can_edit_organisation(request.user, organisation),
        "can_manage_members": can_manage_members(request.user, organisation),
        "can_change_status": is_coordinator(request.user),
        "status_form": forms.StatusForm(),
        "lists": selectors.profile_lists(user=request.user, organisation=organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, key: str) -> HttpResponse:
    organisation = access_organisation_for_edit(request.user, key)
    initial = services.organisation_profile(organisation)
    form = forms.OrganisationProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, profile=form.profile()
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organisation.get_absolute_url())
    return render(
        request, "organisations/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_POST
def organisation_status(request: HttpRequest, key: str) -> HttpResponse:
    organisation = access_organisation(request.user, key)
    if not is_coordinator(request.user):
        raise Http404
    form = forms.StatusForm(request.POST)
    status = request.POST.get("status", "")
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason: it is kept in the change history."))
        services.organisation_set_status(
            actor=request.user, organisation=organisation, status=status, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The membership status has been changed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(organisation.get_absolute_url())


@require_safe
def region_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the region list for one country (htmx)."""
    country = request.GET.get("country", "")[:2].upper()
    return render(request, "organisations/partials/region_options.html", {"choices": region_choices(country)})


# --- Members and invitations -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, key: str) -> HttpResponse:
    organisation = access_organisation_for_members(request.user, key)
    roles = grantable_roles(request.user, organisation)
    form = forms.InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organisations:organisation-members", key=organisation.key)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation),
        "invitations": selectors.organisation_open_invitations(organisation=organisation),
        "form": form,
        "role_form": forms.RoleForm(roles=roles),
    }
    return render(request, "organisations/organisation_members.html", context)


@login_required
@require_POST
def membership_update(request: HttpRequest, key: str, membership_id: int) -> HttpResponse:
    organisation = access_organisation_for_members(request.user, key)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    roles = grantable_roles(request.user, organisation)
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(actor=request.user, membership=membership)
            messages.success(request, _("%(user)s has been removed.") % {"user": membership.user})
        else:
            form = forms.RoleForm(request.POST, roles=roles)
            if not form.is_valid():
                raise ValidationError(_("Choose one of the roles offered."))
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, _("The role of %(user)s has been changed.") % {"user": membership.user})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("organisations:organisation-members", key=organisation.key)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None or not services.invitation_is_usable(invitation):
        return render(request, "organisations/invitation_invalid.html", status=404)
    existing = selectors.account_exists(email=invitation.email)
    form = None if existing else forms.AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        if existing and (not request.user.is_authenticated or request.user.email != invitation.email):
            messages.info(
                request, _("Log in as %(email)s to accept the invitation.") % {"email": invitation.email}
            )
            return redirect(f"/accounts/login/?next={request.path}")
        data = form.cleaned_data if form else {}
        try:
            services.invitation_accept(
                invitation=invitation, name=data.get("name", ""), password=data.get("password1")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        messages.success(
            request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation}
        )
        return redirect("web:dashboard" if existing else "account_login")
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )


# --- Applications to join --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (refused := over_limit(request, "join")):
        return refused
    form = forms.JoinApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.application_submit(
            profile=form.profile(),
            contact_name=d["contact_name"],
            contact_email=d["contact_email"],
            message=d["message"],
        )
        return render(request, "organisations/apply_done.html", {"email": d["contact_email"]})
    return render(request, "organisations/apply.html", {"form": form})


@login_required
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    if not can_review_applications(request.user):
        raise Http404
    status = request.GET.get("status", JoinApplication.Status.PENDING)
    if status not in JoinApplication.Status.values:
        status = JoinApplication.Status.PENDING
    context = {
        "applications": selectors.application_list(user=request.user, status=status),
        "status": status,
        "statuses": JoinApplication.Status.choices,
    }
    return render(request, "organisations/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    refuse_form = forms.RefuseForm(request.POST if request.POST.get("action") == "refuse" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                organisation = services.application_approve(actor=request.user, application=application)
                messages.success(request, _("%(name)s is now a member.") % {"name": organisation.name})
                return redirect(organisation.get_absolute_url())
            if refuse_form.is_valid():
                services.application_refuse(
                    actor=request.user, application=application, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(request, _("The application has been refused and the applicant told why."))
                return redirect("organisations:application-list")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    # The contact person's name and email are personal data: the read is logged.
    access_log_record(
        user=request.user,
        subject=application,
        fields=["contact_name", "contact_email"],
        purpose="review of an application to join",
        path=request.path,
    )
    return render(
        request,
        "organisations/application_detail.html",
        {
            "application": application,
            "profile_rows": forms.profile_rows(application.profile),
            "refuse_form": refuse_form,
        },
    )


# --- Notifications and audit ----------------------------------------------------------------------


@login_required
@require_safe
def audit_trail(request: HttpRequest, key: str) -> HttpResponse:
    organisation = access_organisation(request.user, key)
    if not can_view_audit(request.user, organisation):
        raise Http404
    page = Paginator(selectors.audit_events(user=request.user, organisation=organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "organisations/audit_trail.html", {"organisation": organisation, "page": page})

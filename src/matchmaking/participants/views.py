"""Participant pages: caseload, record, identifying details, languages, consent, follow-up group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import query_without_page, show_service_errors
from matchmaking.participants import forms, intake, selectors, services
from matchmaking.participants.access import (
    Surface,
    access_participant,
    access_participant_for_edit,
    allowed,
    can_record_pathway,
    can_use_caseload,
)
from matchmaking.participants.models import Consent, Participant, ParticipantIdentity
from matchmaking.participants.record_purpose import purpose_choose, record_open, safe_next
from matchmaking.permissions.roles import AnyUser, AuthenticatedHttpRequest


def show_error(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else _("You may not do this.")
    messages.error(request, text)


def _require_caseload(user: AnyUser) -> None:
    if not can_use_caseload(user):
        raise Http404("No such page.")


@login_required
@require_GET
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_caseload(request.user)
    form = forms.CaseloadFilterForm(request.GET or None)
    filters = selectors.CaseloadFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.CaseloadFilters(query=d["q"].strip(), mine=d["mine"], clock=d["clock"])
    total, overdue = selectors.caseload_counts(user=request.user, filters=filters)
    ids = selectors.caseload_ids_in_pages(user=request.user, filters=filters, total=total, overdue=overdue)
    paginator = Paginator(ids, 50)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": selectors.caseload_rows_of(selectors.caseload_people(ids=list(page.object_list))),
        "overdue": overdue,
        "query_string": query_without_page(request),
        "can_create": bool(selectors.caseload_organisations_of(user=request.user)),
    }
    return render(request, "participants/caseload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_caseload(request.user)
    orgs = selectors.caseload_organisations_of(user=request.user)
    if not orgs:
        raise Http404("No caseload.")
    receiving = [(key, name) for key, name in selectors.organisation_choices() if key != orgs[0].key]
    form = forms.NewParticipantForm(
        request.POST or None,
        initial={"registered_on": timezone.localdate(), "home_country": orgs[0].country},
        organisations=receiving,
    )
    if request.method == "POST" and form.is_valid():
        identity = {k: form.cleaned_data[k] for k in forms.IdentityForm.base_fields}
        try:
            participant = intake.participant_intake(
                actor=request.user,
                organisation=orgs[0],
                profile=form.profile(),
                identity=identity,
                region=form.cleaned_data.get("region") or None,
                consents=form.consents(),
                sharing_with=selectors.organisations_by_key(keys=form.cleaned_data["consent_sharing"]),
                path=request.path,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The participant has been registered as %s.") % participant.pseudonym)
            return redirect(participant.get_absolute_url())
    return render(
        request,
        "participants/form_page.html",
        {
            "form": form,
            "heading": _("Register a participant"),
            "submit": _("Register"),
            "intro": _(
                "The person gets a pseudonym; their name and contact details are kept apart and every look "
                "at them is logged. Organisation: %s"
            )
            % orgs[0].name,
            "cancel_url": reverse("participants:caseload"),
        },
    )


@login_required
@require_GET
def participant_detail(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.PROFILE)
    if (asked := record_open(request, participant)) is not None:
        return asked
    user = request.user
    context = {
        "participant": participant,
        # The coordinator sees the pseudonymous matching profile only.
        "matching_only": not allowed(user, participant, Surface.PATHWAY),
        "can_edit": allowed(user, participant, Surface.EDIT),
        "can_see_personal": allowed(user, participant, Surface.IDENTITY),
        "can_export": allowed(user, participant, Surface.EXPORT),
        "can_see_access_log": allowed(user, participant, Surface.ACCESS_LOG),
        "can_record": can_record_pathway(user, participant),
        "can_erase": allowed(user, participant, Surface.ERASE),
        "skills": participant.skills.all(),
        "spoken_languages": selectors.participant_languages(participant=participant),
        "consents": participant.consents.select_related("organisation"),
        "group": participant.group.select_related("user", "organisation").filter(ended_on__isnull=True),
        "clock": selectors.participant_clock(participant, timezone.localdate()),
        "mobilities": participant.mobilities.select_related("receiving"),
    }
    return render(request, "participants/participant_detail.html", context)


@login_required
@require_GET
def participant_identity(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant(request.user, pseudonym, Surface.IDENTITY)
    if (asked := _open_identity(request, participant)) is not None:
        return asked
    identity = selectors.participant_identity(user=request.user, participant=participant, logged=True)
    return render(
        request,
        "participants/identity.html",
        {
            "participant": participant,
            "identity": identity,
            "can_edit": allowed(request.user, participant, Surface.EDIT),
        },
    )


def _open_identity(request: AuthenticatedHttpRequest, participant: Participant) -> HttpResponse | None:
    """The purpose form on the first open of the record; the identity read logged once a session."""
    return record_open(request, participant, part="identity", fields=ParticipantIdentity.PERSONAL_FIELDS)


@login_required
@require_http_methods(["GET", "POST"])
def purpose(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    """Why the record is opened: asked once a session per record, written to the access log."""
    participant = access_participant(request.user, pseudonym, Surface.PROFILE)
    form = forms.PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose_choose(request, participant, form.cleaned_data["purpose"])
        return redirect(safe_next(request, participant))
    return render(
        request,
        "participants/purpose.html",
        {"participant": participant, "form": form, "next": safe_next(request, participant)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := record_open(request, participant)) is not None:
        return asked
    initial = {name: getattr(participant, name) for name in services.PROFILE_FIELDS}
    initial["region"] = participant.region.code if participant.region else ""
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                actor=request.user,
                participant=participant,
                profile=form.profile(),
                region=form.cleaned_data.get("region") or None,
                path=request.path,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(participant.get_absolute_url())
    return render(
        request,
        "participants/form_page.html",
        {
            "form": form,
            "participant": participant,
            "heading": _("Edit the profile of %s") % participant.pseudonym,
            "submit": _("Save profile"),
            "cancel_url": participant.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := _open_identity(request, participant)) is not None:
        return asked
    identity = selectors.participant_identity(user=request.user, participant=participant, logged=True)
    initial = {name: getattr(identity, name) for name in forms.IdentityForm.base_fields} if identity else {}
    form = forms.IdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_update(
                actor=request.user, participant=participant, identity=form.cleaned_data, path=request.path
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The personal details have been saved."))
            return redirect("participants:participant-identity", participant.pseudonym)
    return render(
        request,
        "participants/form_page.html",
        {
            "form": form,
            "participant": participant,
            "submit": _("Save personal details"),
            "heading": _("Personal details of %s") % participant.pseudonym,
            "cancel_url": reverse("participants:participant-identity", args=[participant.pseudonym]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def languages(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := record_open(request, participant)) is not None:
        return asked
    form = forms.LanguageForm(request.POST or None)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.language_remove(
                    actor=request.user, participant=participant, code=request.POST["remove"]
                )
                messages.success(request, _("The language has been removed."))
                return redirect("participants:languages", participant.pseudonym)
            if form.is_valid():
                services.language_set(actor=request.user, participant=participant, **form.cleaned_data)
                messages.success(request, _("The language has been saved."))
                return redirect("participants:languages", participant.pseudonym)
        except ValidationError as exc:
            show_service_errors(form, exc)
    return render(
        request,
        "participants/languages.html",
        {
            "form": form,
            "participant": participant,
            "spoken_languages": selectors.participant_languages(participant=participant),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consents(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := record_open(request, participant)) is not None:
        return asked
    form = forms.ConsentForm(
        request.POST if "purpose" in request.POST else None,
        organisations=selectors.organisation_choices(),
        initial={"given_on": timezone.localdate()},
    )
    barriers = forms.BarriersForm(
        request.POST if "barriers_form" in request.POST else None, initial={"barriers": participant.barriers}
    )
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                revoked = services.consent_revoke(
                    actor=request.user, participant=participant, consent_id=int(request.POST["revoke"] or 0)
                )
                messages.success(request, _("The consent has been revoked."))
                if revoked.organisation is not None:
                    messages.info(
                        request,
                        _(
                            "%(org)s no longer sees the record; its open referrals have been withdrawn "
                            "and the service told."
                        )
                        % {"org": revoked.organisation.name},
                    )
                return redirect("participants:consents", participant.pseudonym)
            if "barriers_form" in request.POST and barriers.is_valid():
                services.barriers_set(
                    actor=request.user,
                    participant=participant,
                    barriers=barriers.cleaned_data["barriers"],
                    path=request.path,
                )
                messages.success(request, _("The reasons have been saved."))
                return redirect("participants:consents", participant.pseudonym)
            if "purpose" in request.POST and form.is_valid():
                d = form.cleaned_data
                organisation = (
                    selectors.organisation_by_key(key=d["organisation"]) if d["organisation"] else None
                )
                services.consent_give(
                    actor=request.user,
                    participant=participant,
                    purpose=d["purpose"],
                    given_on=d["given_on"],
                    organisation=organisation,
                    note=d["note"],
                )
                messages.success(request, _("The consent has been recorded."))
                return redirect("participants:consents", participant.pseudonym)
        except (ValidationError, ValueError) as exc:
            if isinstance(exc, ValueError):
                exc = ValidationError(_("No such consent."))
            show_service_errors(barriers if "barriers_form" in request.POST else form, exc)
    context = {
        "participant": participant,
        "form": form,
        "barriers_form": barriers,
        "consents": participant.consents.select_related("organisation", "recorded_by"),
        "barriers_allowed": services.consent_active(
            participant=participant, purpose=Consent.Purpose.BARRIERS
        ),
    }
    return render(request, "participants/consents.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := record_open(request, participant)) is not None:
        return asked
    form = forms.GroupMemberForm(
        request.POST if "email" in request.POST else None, organisations=selectors.organisation_choices()
    )
    if request.method == "POST":
        try:
            if "end" in request.POST:
                services.group_member_end(
                    actor=request.user,
                    participant=participant,
                    member_id=int(request.POST["end"] or 0),
                    reason=request.POST.get("reason", "").strip() or _("Left the group"),
                )
                messages.success(request, _("The member has left the group."))
                return redirect("participants:group", participant.pseudonym)
            if "toggle" in request.POST:
                services.group_member_update(
                    actor=request.user,
                    participant=participant,
                    member_id=int(request.POST["toggle"] or 0),
                    can_view_personal=request.POST.get("can_view_personal") == "1",
                )
                messages.success(request, _("Access to personal details has been changed."))
                return redirect("participants:group", participant.pseudonym)
            if form.is_valid():
                d = form.cleaned_data
                user = selectors.active_user_by_email(email=d["email"])
                organisation = selectors.organisation_by_key(key=d["organisation"])
                if user is None or organisation is None:
                    raise ValidationError({"email": _("Nobody with this email is a member of the network.")})
                services.group_member_add(
                    actor=request.user,
                    participant=participant,
                    user=user,
                    organisation=organisation,
                    role=d["role"],
                    can_view_personal=d["can_view_personal"],
                )
                messages.success(request, _("The professional has joined the group."))
                return redirect("participants:group", participant.pseudonym)
        except (ValidationError, ValueError) as exc:
            show_service_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(_("No such group member."))
            )
    members = participant.group.select_related("user", "organisation")
    return render(
        request, "participants/group.html", {"participant": participant, "form": form, "members": members}
    )


@login_required
@require_POST
def key_worker(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    try:
        services.key_worker_set(actor=request.user, participant=participant, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("You are now the key worker."))
    return redirect(participant.get_absolute_url())

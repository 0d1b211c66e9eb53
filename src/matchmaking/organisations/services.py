"""Write paths for organisations, memberships, applications to join and invitations.

Every function is one atomic action: it checks permission, changes the data, writes an audit event,
and notifies people after the transaction commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.accounts.services import email_mark_verified
from matchmaking.core.audit import audit_record, changed_values
from matchmaking.core.notifications import notify
from matchmaking.organisations.access import (
    can_edit_organisation,
    can_manage_members,
    can_review_applications,
    grantable_roles,
)
from matchmaking.organisations.models import Invitation, JoinApplication, Membership, Organisation, Role
from matchmaking.organisations.search import refresh_organisation_search
from matchmaking.permissions.roles import AnyUser, forget_roles, is_coordinator, signed_in
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Region
from matchmaking.taxonomies.selectors import terms_by_code

PROFILE_FIELDS = (
    "name",
    "kind",
    "country",
    "region",
    "city",
    "languages",
    "target_groups",
    "expertise",
    "interests",
    "hosting_capacity",
    "description",
    "website",
    "erasmus_id",
    "erasmus_accreditation",
)
_TERM_LISTS = {
    "languages": LANGUAGES_SCHEME,
    "target_groups": "target-groups",
    "expertise": "practice-topics",
    "interests": "practice-topics",
}


def organisation_profile(organisation: Organisation) -> dict[str, Any]:
    """The profile as plain codes, the shape used by forms, audit events and the interchange format."""
    return {
        "name": organisation.name,
        "kind": organisation.kind.code,
        "country": organisation.country,
        "region": organisation.region.code if organisation.region else None,
        "city": organisation.city,
        "languages": sorted(t.code for t in organisation.languages.all()),
        "target_groups": sorted(t.code for t in organisation.target_groups.all()),
        "expertise": sorted(t.code for t in organisation.expertise.all()),
        "interests": sorted(t.code for t in organisation.interests.all()),
        "hosting_capacity": organisation.hosting_capacity,
        "description": organisation.description,
        "website": organisation.website,
        "erasmus_id": organisation.erasmus_id or None,
        "erasmus_accreditation": organisation.erasmus_accreditation,
    }


def _apply_profile(organisation: Organisation, profile: dict[str, Any]) -> None:
    """Set scalar fields, validate, save, then set the many-to-many code lists."""
    if "kind" in profile:
        organisation.kind = terms_by_code(scheme="organisation-kinds", codes=[profile["kind"]], field="kind")[
            0
        ]
    if "region" in profile:
        code = profile["region"]
        organisation.region = Region.objects.filter(code=code).first() if code else None
        if code and organisation.region is None:
            raise ValidationError({"region": _("Unknown region %(code)s") % {"code": code}})
    for name in (
        "name",
        "country",
        "city",
        "hosting_capacity",
        "description",
        "website",
        "erasmus_accreditation",
    ):
        if name in profile:
            setattr(organisation, name, profile[name] if profile[name] is not None else "")
    if "erasmus_id" in profile:
        organisation.erasmus_id = profile["erasmus_id"] or ""
    if organisation.region and organisation.region.country != organisation.country:
        raise ValidationError({"region": _("This region is not in the organisation's country.")})
    organisation.full_clean(exclude=["languages", "target_groups", "expertise", "interests"])
    organisation.save()
    for name, scheme in _TERM_LISTS.items():
        if name in profile:
            getattr(organisation, name).set(
                terms_by_code(scheme=scheme, codes=profile[name] or [], field=name)
            )
    refresh_organisation_search([organisation.pk])


def _unique_key(name: str) -> str:
    base = slugify(name)[:80] or "organisation"
    key, n = base, 2
    while Organisation.objects.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def organisation_create(
    *, actor: AnyUser, profile: dict[str, Any], key: str | None = None, is_demo: bool = False
) -> Organisation:
    """Create a member organisation (coordinators, imports and approved applications)."""
    organisation = Organisation(key=key or _unique_key(profile["name"]), is_demo=is_demo)
    _apply_profile(organisation, profile)
    audit_record(
        actor=actor,
        action="organisation.created",
        obj=organisation,
        after=organisation_profile(organisation),
        organisation_id=organisation.pk,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: AnyUser, organisation: Organisation, profile: dict[str, Any]
) -> Organisation:
    if actor is not None and not can_edit_organisation(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation_profile(organisation)
    _apply_profile(organisation, profile)
    old, new = changed_values(before, organisation_profile(organisation))
    if new:
        audit_record(
            actor=actor,
            action="organisation.updated",
            obj=organisation,
            before=old,
            after=new,
            organisation_id=organisation.pk,
        )
    return organisation


@transaction.atomic
def organisation_set_status(
    *, actor: AnyUser, organisation: Organisation, status: str, reason: str
) -> Organisation:
    """Suspend a member organisation (its people lose access) or reinstate it; coordinators only."""
    if not is_coordinator(actor):
        raise PermissionDenied
    if status not in Organisation.Status.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: it is kept in the change history.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status == status:
        return organisation
    before = organisation.status
    organisation.status = status
    organisation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="organisation.status_changed",
        obj=organisation,
        before={"status": before},
        after={"status": status},
        reason=reason.strip(),
        organisation_id=organisation.pk,
    )
    notify(
        memberships=Membership.objects.filter(organisation=organisation).select_related("user"),
        kind="organisation.status_changed",
        params={"org": organisation.name, "status": organisation.status},
        text=reason.strip(),
    )
    return organisation


# --- Applications to join ------------------------------------------------------------------------


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(memberships__role=Role.COORDINATOR, is_active=True).distinct().order_by("pk")
    )


@transaction.atomic
def application_submit(
    *, profile: dict[str, Any], contact_name: str, contact_email: str, message: str = ""
) -> JoinApplication:
    """An organisation applies to join; coordinators are told."""
    application = JoinApplication.objects.create(
        profile=profile, contact_name=contact_name, contact_email=contact_email.lower(), message=message
    )
    audit_record(actor=None, action="application.submitted", obj=application, after={"name": profile["name"]})
    notify(
        memberships=Membership.objects.filter(role=Role.COORDINATOR, user__is_active=True).select_related(
            "user"
        ),
        kind="application.submitted",
        params={"org": profile["name"]},
        text=message,
        url=reverse("organisations:application-detail", args=[application.pk]),
    )
    return application


@transaction.atomic
def application_approve(*, actor: AnyUser, application: JoinApplication) -> Organisation:
    """Create the organisation, make the contact person its administrator and send them a login link."""
    if not can_review_applications(actor):
        raise PermissionDenied
    application = JoinApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != JoinApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    organisation = organisation_create(actor=actor, profile=application.profile)
    user, created = User.objects.get_or_create(
        email=application.contact_email, defaults={"name": application.contact_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    email_mark_verified(user=user)
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ORG_ADMIN})
    application.status = JoinApplication.Status.APPROVED
    application.decided_by, application.decided_at = signed_in(actor), timezone.now()
    application.organisation = organisation
    application.save()
    audit_record(
        actor=actor,
        action="application.approved",
        obj=application,
        after={"status": application.status, "organisation": organisation.key},
        organisation_id=organisation.pk,
    )
    transaction.on_commit(lambda: send_password_setup_email(user=user))
    return organisation


@transaction.atomic
def application_refuse(*, actor: AnyUser, application: JoinApplication, reason: str) -> JoinApplication:
    if not can_review_applications(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: the applicant will read it.")})
    application = JoinApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != JoinApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    application.status = JoinApplication.Status.REFUSED
    application.reason = reason.strip()
    application.decided_by, application.decided_at = signed_in(actor), timezone.now()
    application.save()
    audit_record(
        actor=actor,
        action="application.refused",
        obj=application,
        after={"status": application.status},
        reason=application.reason,
    )
    contact, name, why = application.contact_email, application.profile.get("name", ""), application.reason
    transaction.on_commit(lambda: _send_refusal(contact, name, why))
    return application


def _send_refusal(email: str, name: str, reason: str) -> None:
    from django.core.mail import send_mail

    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Your application to join the network"),
        message=_(
            "Thank you for the application of %(name)s. The network's coordinators could not approve it.\n\n"
            "Reason: %(reason)s"
        )
        % {"name": name, "reason": reason},
        from_email=None,
        recipient_list=[email],
    )


def password_setup_link(user: User) -> str:
    """A one-time link (allauth's password-reset key) with which a new member chooses a password."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return settings.SITE_URL.rstrip("/") + path


def send_password_setup_email(*, user: User) -> None:
    from django.core.mail import send_mail

    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Welcome to the network"),
        message=_(
            "Your organisation's application has been approved and you are its administrator.\n\n"
            "Choose your password here:\n%(link)s\n\nThen log in with %(email)s."
        )
        % {"link": password_setup_link(user), "email": user.email},
        from_email=None,
        recipient_list=[user.email],
    )


# --- Members and invitations ---------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor: AnyUser, organisation: Organisation, email: str, role: str) -> Invitation:
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    if role not in grantable_roles(actor, organisation):
        raise ValidationError({"role": _("You cannot give the role %(role)s.") % {"role": role}})
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    Invitation.objects.filter(organisation=organisation, email=email, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=signed_in(actor),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.created",
        obj=invitation,
        after={"email": email, "role": role},
        organisation_id=organisation.pk,
    )
    transaction.on_commit(lambda: _send_invitation(invitation))
    return invitation


def _send_invitation(invitation: Invitation) -> None:
    from django.core.mail import send_mail

    link = settings.SITE_URL.rstrip("/") + reverse("organisations:invitation-accept", args=[invitation.token])
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + _("Invitation to %(organisation)s") % {"organisation": invitation.organisation.name},
        message=_(
            "%(inviter)s invites you to join %(organisation)s in the Mobility Matchmaking Tool.\n\n"
            "Accept the invitation here (valid until %(expires)s):\n%(link)s"
        )
        % {
            "inviter": invitation.invited_by or _("The network"),
            "organisation": invitation.organisation.name,
            "expires": f"{invitation.expires_at:%Y-%m-%d}",
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_is_usable(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, name: str = "", password: str | None = None) -> User:
    """Accept an invitation: create the account if needed and add the membership."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_is_usable(invitation):
        raise ValidationError(_("This invitation has expired or has already been used."))
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not password:
            raise ValidationError({"password1": _("Choose a password.")})
        user = User.objects.create_user(email=invitation.email, password=password, name=name)
    email_mark_verified(user=user)
    Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        after={"email": invitation.email, "role": invitation.role},
        organisation_id=invitation.organisation_id,
    )
    notify(
        involved=[invitation.invited_by],
        kind="invitation.accepted",
        params={"email": invitation.email, "org": invitation.organisation.name},
        url=reverse("organisations:organisation-members", args=[invitation.organisation.key]),
    )
    return user


@transaction.atomic
def membership_change_role(*, actor: AnyUser, membership: Membership, role: str) -> Membership:
    organisation = membership.organisation
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    if role not in grantable_roles(actor, organisation):
        raise ValidationError({"role": _("You cannot give the role %(role)s.") % {"role": role}})
    _keep_one_admin(membership, new_role=role)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.role_changed",
        obj=membership,
        before={"role": before},
        after={"role": role},
        organisation_id=organisation.pk,
    )
    forget_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, actor: AnyUser, membership: Membership) -> None:
    organisation = membership.organisation
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    _keep_one_admin(membership, new_role=None)
    audit_record(
        actor=actor,
        action="membership.removed",
        obj=membership,
        before={"user": membership.user.email, "role": membership.role},
        organisation_id=organisation.pk,
    )
    membership.delete()


def _keep_one_admin(membership: Membership, *, new_role: str | None) -> None:
    """An organisation must keep at least one administrator, or nobody could manage it."""
    if membership.role != Role.ORG_ADMIN or new_role == Role.ORG_ADMIN:
        return
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.ORG_ADMIN).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError(_("An organisation needs at least one administrator."))


def membership_add(*, actor: AnyUser, organisation: Organisation, user: User, role: str) -> Membership:
    """Add an existing user directly (demo data, coordinators); audited like every change."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership.added",
        obj=membership,
        after={"user": user.email, "role": role},
        organisation_id=organisation.pk,
    )
    forget_roles(user)
    return membership


@transaction.atomic
def invitations_delete_stale(*, now: datetime, older_than: timedelta) -> int:
    """Delete invitations never accepted that expired more than ``older_than`` before ``now``."""
    deleted, _counts = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=now - older_than
    ).delete()
    return deleted

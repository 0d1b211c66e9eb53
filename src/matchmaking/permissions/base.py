"""Roles, organisations, applications and the admin: the rules every other area builds on."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from matchmaking.organisations.models import Membership, Organisation, Role

# Roles whose holders can see participants' personal data, and so must use a second factor.
PERSONAL_DATA_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN, Role.CASE_WORKER})
# Roles that may change their organisation's profile and members.
ORGANISATION_ADMIN_ROLES = frozenset({Role.ORG_ADMIN})


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def roles_of(user: Any) -> dict[int, str]:
    """organisation id → role, cached on the user object for the length of one request."""
    if not _active(user):
        return {}
    cached = getattr(user, "_matchmaking_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user, organisation__status=Organisation.Status.ACTIVE).values_list(
                "organisation_id", "role"
            )
        )
        user._matchmaking_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change."""
    if hasattr(user, "_matchmaking_roles"):
        del user._matchmaking_roles


def role_in(user: Any, organisation: Organisation) -> str | None:
    return roles_of(user).get(organisation.pk)


def is_coordinator(user: Any) -> bool:
    return Role.COORDINATOR in roles_of(user).values()


def is_member(user: Any) -> bool:
    return bool(roles_of(user))


def requires_two_factor(user: Any) -> bool:
    return is_coordinator(user) or any(role in PERSONAL_DATA_ROLES for role in roles_of(user).values())


def has_two_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Organisations -------------------------------------------------------------------------------


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    """Every member of the network sees every active member organisation (that is the point)."""
    if not _active(user):
        return False
    if organisation.status == Organisation.Status.ACTIVE:
        return is_member(user)
    return is_coordinator(user)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return _active(user) and (role_in(user, organisation) in ORGANISATION_ADMIN_ROLES or is_coordinator(user))


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    return _active(user) and (role_in(user, organisation) in ORGANISATION_ADMIN_ROLES or is_coordinator(user))


def can_review_applications(user: Any) -> bool:
    return _active(user) and is_coordinator(user)


def can_view_audit(user: Any, organisation: Organisation | None = None) -> bool:
    if is_coordinator(user):
        return True
    return organisation is not None and role_in(user, organisation) in ORGANISATION_ADMIN_ROLES


def can_use_admin(user: Any) -> bool:
    """The Django admin is for coordinators only (with their second factor)."""
    return _active(user) and is_coordinator(user)


def can_import_export(user: Any) -> bool:
    return _active(user) and is_coordinator(user)


def grantable_roles(user: Any, organisation: Organisation) -> list[str]:
    """Which roles ``user`` may give to people in ``organisation``; only coordinators make coordinators."""
    if is_coordinator(user):
        return [r.value for r in Role]
    if role_in(user, organisation) in ORGANISATION_ADMIN_ROLES:
        return [Role.ORG_ADMIN.value, Role.STAFF.value, Role.CASE_WORKER.value]
    return []


def access_organisation(user: Any, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).select_related("kind", "region").first()
    if organisation is None or not can_view_organisation(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_organisation_for_edit(user: Any, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).select_related("kind", "region").first()
    if organisation is None or not can_edit_organisation(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_organisation_for_members(user: Any, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None or not can_manage_members(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_application(user: Any, application_id: int) -> Any:
    from matchmaking.organisations.models import JoinApplication

    application = JoinApplication.objects.filter(pk=application_id).first()
    if application is None or not can_review_applications(user):
        raise Http404("No such application.")
    return application

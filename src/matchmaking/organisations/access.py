"""Who may see and change organisations, their members and applications to join. Default deny.

``can_*`` answer yes or no; ``access_*`` fetch an object for a user and raise ``Http404`` both when it
does not exist and when the user may not see it, so a forbidden object cannot be told apart from a
missing one.
"""

from __future__ import annotations

from django.http import Http404

from matchmaking.organisations.models import JoinApplication, Organisation
from matchmaking.permissions.roles import (
    ORGANISATION_ADMIN_ROLES,
    AnyUser,
    Role,
    is_active_user,
    is_coordinator,
    is_member,
    role_in,
)


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Every member of the network sees every active member organisation (that is the point)."""
    if not is_active_user(user):
        return False
    if organisation.status == Organisation.Status.ACTIVE:
        return is_member(user)
    return is_coordinator(user)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return is_active_user(user) and (
        role_in(user, organisation) in ORGANISATION_ADMIN_ROLES or is_coordinator(user)
    )


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    return is_active_user(user) and (
        role_in(user, organisation) in ORGANISATION_ADMIN_ROLES or is_coordinator(user)
    )


def can_review_applications(user: AnyUser) -> bool:
    return is_active_user(user) and is_coordinator(user)


def can_view_audit(user: AnyUser, organisation: Organisation | None = None) -> bool:
    if is_coordinator(user):
        return True
    return organisation is not None and role_in(user, organisation) in ORGANISATION_ADMIN_ROLES


def can_use_admin(user: AnyUser) -> bool:
    """The Django admin is for coordinators only (with their second factor)."""
    return is_active_user(user) and is_coordinator(user)


def can_import_export(user: AnyUser) -> bool:
    return is_active_user(user) and is_coordinator(user)


def grantable_roles(user: AnyUser, organisation: Organisation) -> list[str]:
    """Which roles ``user`` may give to people in ``organisation``; only coordinators make coordinators."""
    if is_coordinator(user):
        return [r.value for r in Role]
    if role_in(user, organisation) in ORGANISATION_ADMIN_ROLES:
        return [Role.ORG_ADMIN.value, Role.STAFF.value, Role.CASE_WORKER.value]
    return []


def access_organisation(user: AnyUser, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).select_related("kind", "region").first()
    if organisation is None or not can_view_organisation(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_organisation_for_edit(user: AnyUser, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).select_related("kind", "region").first()
    if organisation is None or not can_edit_organisation(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_organisation_for_members(user: AnyUser, key: str) -> Organisation:
    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None or not can_manage_members(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def access_application(user: AnyUser, application_id: int) -> JoinApplication:
    application = JoinApplication.objects.filter(pk=application_id).first()
    if application is None or not can_review_applications(user):
        raise Http404("No such application.")
    return application

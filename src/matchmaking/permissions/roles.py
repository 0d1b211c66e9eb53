"""Roles: who holds which role in which organisation. Every app's ``access.py`` builds on these.

This module sits below the organisations app, so it reads memberships through the user's
``memberships`` relation and never imports the organisations' models.
"""

from __future__ import annotations

from typing import TypeAlias

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchmaking.accounts.models import User
from matchmaking.accounts.services import second_factor_rule

# Whoever makes a request: a person signed in, an anonymous visitor, or nobody (a background job).
AnyUser: TypeAlias = User | AnonymousUser | None


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed ``login_required`` or the API's authentication: its user is a person
    signed in (inactive accounts cannot sign in). Views and endpoints annotate their request with it."""

    user: User


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Network coordinator")
    ORG_ADMIN = "org-admin", _("Organisation administrator")
    STAFF = "staff", _("Staff member")
    CASE_WORKER = "case-worker", _("Case worker")


# The value of ``Organisation.Status.ACTIVE``: only memberships of active organisations give a role.
ACTIVE_ORGANISATION = "active"

# Roles whose holders can see participants' personal data, and so must use a second factor.
PERSONAL_DATA_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN, Role.CASE_WORKER})
# Roles that may change their organisation's profile and members.
ORGANISATION_ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
# Roles that hold an organisation's caseload (participants and their personal data).
CASELOAD_ROLES = frozenset({Role.CASE_WORKER, Role.ORG_ADMIN})
# Roles that may see personal data somewhere in the network.
PERSONAL_ROLES = frozenset({Role.CASE_WORKER, Role.ORG_ADMIN, Role.COORDINATOR})


def signed_in(user: AnyUser) -> User | None:
    """The person when signed in and not suspended; None for everybody else, who is denied everything."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user


def is_active_user(user: AnyUser) -> bool:
    return signed_in(user) is not None


# Roles are read once per request and kept on the user object under this attribute.
_ROLES_CACHE = "_matchmaking_roles"


def roles_of(user: AnyUser) -> dict[int, str]:
    """organisation id → role, cached on the user object for the length of one request."""
    person = signed_in(user)
    if person is None:
        return {}
    cached: dict[int, str] | None = getattr(person, _ROLES_CACHE, None)
    if cached is None:
        cached = dict(
            person.memberships.filter(organisation__status=ACTIVE_ORGANISATION).values_list(
                "organisation_id", "role"
            )
        )
        setattr(person, _ROLES_CACHE, cached)
    return cached


def forget_roles(user: AnyUser) -> None:
    """Drop the cached roles after a membership change."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def role_in(user: AnyUser, organisation: models.Model) -> str | None:
    return roles_of(user).get(organisation.pk)


def is_coordinator(user: AnyUser) -> bool:
    return Role.COORDINATOR in roles_of(user).values()


def is_member(user: AnyUser) -> bool:
    return bool(roles_of(user))


def caseload_organisations(user: AnyUser) -> list[int]:
    """Organisations whose caseload (and support services) the user works for."""
    return [org for org, role in roles_of(user).items() if role in CASELOAD_ROLES]


@second_factor_rule  # API tokens ask the same
def requires_two_factor(user: AnyUser) -> bool:
    return is_coordinator(user) or any(role in PERSONAL_DATA_ROLES for role in roles_of(user).values())


def has_two_factor(user: AnyUser) -> bool:
    person = signed_in(user)
    return (
        person is not None
        and Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    )

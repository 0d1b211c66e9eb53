"""Write paths for accounts: API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.accounts.models import ApiToken, User
from matchmaking.core.audit import audit_record

TOKEN_PREFIX = "mmt_"  # noqa: S105 (a prefix that makes leaked tokens recognisable, not a secret)
# No token lasts longer than this, whatever the settings or its owner ask for.
MAX_TOKEN_DAYS = 365
# A token's last use is written at most this often, not on every request.
LAST_USED_EVERY = timedelta(minutes=1)

# Who must use a second factor depends on the roles, which sit above this app: ``permissions.roles``
# registers its rule here when it is imported (the organisations' models import it, so every process
# that has loaded the apps has it).
SecondFactorRule = Callable[[User], bool]
_second_factor_rules: list[SecondFactorRule] = []
RuleT = TypeVar("RuleT", bound=SecondFactorRule)


class SecondFactorRequired(PermissionDenied):
    """The person's role needs a second factor, and the account has none yet."""

    def __init__(self) -> None:
        super().__init__(
            _("Your role gives access to personal data: set up two-factor authentication first.")
        )


def second_factor_rule(rule: RuleT) -> RuleT:
    """Register a rule saying whether a person must use a second factor."""
    if rule not in _second_factor_rules:
        _second_factor_rules.append(rule)
    return rule


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_missing(user: User) -> bool:
    """True when two-factor authentication is required, the person's role needs it and they have none."""
    if not settings.MFA_REQUIRED:
        return False
    if not _second_factor_rules:
        raise ImproperlyConfigured("No rule says who must use a second factor.")
    return any(rule(user) for rule in _second_factor_rules) and not has_totp(user)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_days(days: int | None = None) -> int:
    """A token's lifetime in days: the one asked for, or the configured default; 1 to 365."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    return days


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str = ApiToken.Scope.WRITE, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token; the clear token is returned once and never stored.

    Refused (``SecondFactorRequired``) while the person's role needs a second factor they have not set up:
    a token must not be a way around it."""
    if second_factor_missing(user):
        raise SecondFactorRequired
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or read and write.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    lifetime = token_days(days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    audit_record(
        actor=user,
        action="api_token.created",
        obj=api_token,
        after={"name": name, "scope": scope, "days": lifetime},
    )
    return api_token, token


def api_token_use(token: str) -> ApiToken | None:
    """The valid token (not revoked, not expired, its owner active) with its user, or None.

    Records when it was last used, at most once a minute."""
    now = timezone.now()
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .first()
    )
    if api_token is None:
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token


@transaction.atomic
def api_token_revoke(*, user: User, api_token: ApiToken) -> None:
    if api_token.user_id != user.pk:
        raise ApiToken.DoesNotExist
    if api_token.revoked_at is not None:
        return
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="api_token.revoked", obj=api_token)


def email_mark_verified(*, user: User) -> None:
    """Record the user's address as verified (allauth asks for that before two-factor setup).

    Called when the person has shown they read that mailbox: a link we sent there was used, or the
    account was created from an invitation or an approved application addressed to it.
    """
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )

"""Write paths for accounts: API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from matchmaking.accounts.models import ApiToken, User
from matchmaking.core.audit import audit_record

TOKEN_PREFIX = "mmt_"  # noqa: S105 (a prefix that makes leaked tokens recognisable, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(user=user, name=name, token_hash=token_hash(token))
    audit_record(actor=user, action="api_token.created", obj=api_token, after={"name": name})
    return api_token, token


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None; records when it was last used."""
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token.user


@transaction.atomic
def api_token_revoke(*, user: User, api_token: ApiToken) -> None:
    if api_token.user_id != user.pk:
        raise ApiToken.DoesNotExist
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

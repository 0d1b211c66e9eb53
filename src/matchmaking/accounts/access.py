"""Who may see or change what in accounts: a person sees and revokes only their own API tokens."""

from __future__ import annotations

from django.http import Http404

from matchmaking.accounts.models import ApiToken, User


def access_api_token(user: User, pk: int) -> ApiToken:
    """The person's own token that is not revoked; 404 for another person's token and a missing one."""
    api_token = ApiToken.objects.filter(pk=pk, user=user, revoked_at__isnull=True).first()
    if api_token is None:
        raise Http404
    return api_token

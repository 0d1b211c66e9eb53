"""allauth adapters: nobody signs up freely; people join through an invitation or an approved application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from matchmaking.accounts.models import User

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on logs in existing members only: the account must already exist by email."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing:
            return

        email = (sociallogin.user.email or "").lower()
        user = User.objects.filter(email=email, is_active=True).first() if email else None
        if user is not None:
            sociallogin.connect(request, user)

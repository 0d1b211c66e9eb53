"""The API tokens page: a person's own tokens, making one and revoking one. Thin: access, form, service
or selector, template. It sits outside /accounts/, so the two-factor middleware stands before it, and the
service refuses a token to a role that has not set up its second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from matchmaking.accounts import selectors, services
from matchmaking.accounts.access import access_api_token
from matchmaking.accounts.forms import ApiTokenForm
from matchmaking.accounts.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only people signed in through
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _api_token, new_token = services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except services.SecondFactorRequired as exc:
            messages.error(request, str(exc.args[0]))
            return redirect("mfa_activate_totp")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.api_tokens_of(user=user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    api_token = access_api_token(user, pk)
    services.api_token_revoke(user=user, api_token=api_token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": api_token.name})
    return redirect("accounts:api-tokens")

"""API tokens: made only with the second factor the role needs on the web, scoped, expiring, and managed
by their owner on the API tokens page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.accounts.models import ApiToken
from matchmaking.accounts.services import SecondFactorRequired, api_token_create, api_token_use
from matchmaking.cli import main
from matchmaking.organisations.models import Role
from tests.factories import MembershipFactory, UserFactory, member
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db

PAGE = "/api-tokens/"


def without_totp(role: str = Role.CASE_WORKER):
    user = UserFactory()
    MembershipFactory(user=user, role=role)
    return user


def test_token_creation_refused_without_totp(settings):
    settings.MFA_REQUIRED = True
    user = without_totp()
    with pytest.raises(SecondFactorRequired):
        api_token_create(user=user, name="sync")
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_creation_allowed_when_mfa_is_not_required(settings):
    settings.MFA_REQUIRED = False
    api_token, _ = api_token_create(user=without_totp(), name="sync")
    assert api_token.pk


def test_staff_makes_tokens_without_totp(settings):
    settings.MFA_REQUIRED = True
    api_token, token = api_token_create(user=without_totp(Role.STAFF), name="sync")
    assert token.startswith("mmt_")
    assert api_token.token_hash != token


def test_tokens_expire_after_the_default_lifetime_at_most_a_year(settings):
    settings.API_TOKEN_DAYS = 30
    api_token, _ = api_token_create(user=member(Role.STAFF), name="sync")
    assert timedelta(days=29) < api_token.expires_at - timezone.now() <= timedelta(days=30)
    assert api_token.scope == ApiToken.Scope.WRITE
    with pytest.raises(ValidationError):
        api_token_create(user=member(Role.STAFF), name="too long", days=366)
    with pytest.raises(ValidationError):
        api_token_create(user=member(Role.STAFF), name="sync", scope="admin")


def test_expired_token_is_not_used():
    api_token, token = api_token_create(user=member(Role.STAFF), name="sync", days=1)
    assert api_token_use(token) is not None
    ApiToken.objects.filter(pk=api_token.pk).update(expires_at=timezone.now())
    assert api_token_use(token) is None


# --- The page --------------------------------------------------------------------------------------


def test_page_needs_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_page_sits_behind_the_two_factor_middleware(client, settings):
    settings.MFA_REQUIRED = True
    user = without_totp()
    client.force_login(user)
    for response in (client.get(PAGE), client.post(PAGE, {"name": "x", "scope": "read", "days": 30})):
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert not ApiToken.objects.filter(user=user).exists()


def test_make_a_token_on_the_page_and_see_it_once(client):
    user = member(Role.CASE_WORKER)
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_name">' in page
    response = client.post(PAGE, {"name": "Reporting", "scope": "read", "days": "30"})
    assert response.status_code == 200
    api_token = ApiToken.objects.get(user=user)
    assert (api_token.name, api_token.scope) == ("Reporting", ApiToken.Scope.READ)
    shown = response.context["new_token"]
    assert shown.startswith("mmt_")
    assert shown in response.content.decode()
    assert api_token_use(shown) == api_token
    assert shown not in client.get(PAGE).content.decode()


def test_the_page_refuses_a_lifetime_over_a_year(client):
    user = member(Role.STAFF)
    client.force_login(user)
    response = client.post(PAGE, {"name": "Reporting", "scope": "write", "days": "400"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_revoke_own_token(client):
    user = member(Role.STAFF)
    api_token, token = api_token_create(user=user, name="sync")
    client.force_login(user)
    response = client.post(reverse("accounts:api-token-revoke", args=[api_token.pk]))
    assert response.status_code == 302
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    assert api_token_use(token) is None
    assert "<td>sync</td>" not in client.get(PAGE).content.decode()


def test_another_persons_token_cannot_be_revoked(client):
    api_token, token = api_token_create(user=member(Role.STAFF), name="theirs")
    client.force_login(member(Role.STAFF))
    assert client.post(reverse("accounts:api-token-revoke", args=[api_token.pk])).status_code == 404
    assert client.get(reverse("accounts:api-token-revoke", args=[api_token.pk])).status_code == 405
    assert "theirs" not in client.get(PAGE).content.decode()
    api_token.refresh_from_db()
    assert api_token.revoked_at is None
    assert api_token_use(token) is not None


def test_token_list_queries(client):
    user = member(Role.STAFF)
    client.force_login(user)

    def grow(n: int) -> list[str]:
        while ApiToken.objects.filter(user=user).count() < n:
            api_token_create(user=user, name=f"Token {ApiToken.objects.filter(user=user).count():02d}")
        api_token_create(user=member(Role.STAFF), name="Someone else's")
        return [t.name for t in ApiToken.objects.filter(user=user)]

    assert_same_queries(client, PAGE, grow)


# --- The command -----------------------------------------------------------------------------------


def test_the_command_prints_a_token_that_works(capsys, client):
    user = member(Role.STAFF)
    assert main(["api-token", "create", "--user", user.email.upper(), "--scope", "read", "--days", "7"]) == 0
    token = capsys.readouterr().out.strip()
    api_token = ApiToken.objects.get(user=user)
    assert (api_token.scope, api_token.name) == (ApiToken.Scope.READ, "command line")
    assert timedelta(days=6) < api_token.expires_at - timezone.now() <= timedelta(days=7)
    assert api_token_use(token) == api_token
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["email"] == user.email


def test_the_command_makes_write_tokens_by_default(capsys):
    user = member(Role.STAFF)
    assert main(["api-token", "create", "--user", user.email]) == 0
    assert ApiToken.objects.get(user=user).scope == ApiToken.Scope.WRITE
    assert capsys.readouterr().out.startswith("mmt_")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--user", "nobody@example.org"], "--user"),
        (["--days", "400"], "--days"),
        (["--days", "0"], "--days"),
        (["--name", " "], "--name"),
    ],
)
def test_the_command_refuses_bad_input_naming_the_option(capsys, arguments, named):
    user = member(Role.STAFF)
    argv = ["api-token", "create", "--user", user.email, *arguments]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {named}:")
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_command_refuses_a_role_without_its_second_factor(capsys, settings):
    settings.MFA_REQUIRED = True
    user = without_totp()
    assert main(["api-token", "create", "--user", user.email]) == 2
    assert "two-factor" in capsys.readouterr().err
    assert not ApiToken.objects.filter(user=user).exists()

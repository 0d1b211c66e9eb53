"""Token authentication: a role that must use a second factor on the web must use it for the API too;
tokens are scoped (read tokens only read) and expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from matchmaking.accounts.models import ApiToken, User
from matchmaking.accounts.services import api_token_create
from matchmaking.organisations.models import Role
from tests.factories import MembershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def without_totp(role: str = Role.CASE_WORKER) -> User:
    user = UserFactory()
    MembershipFactory(user=user, role=role)
    return user


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_case_worker_without_totp_is_refused_on_the_api(client, settings):
    settings.MFA_REQUIRED = True
    with_totp = member(Role.CASE_WORKER)
    _, token = api_token_create(user=with_totp, name="before")
    # The token was made while the account had a second factor; then the device was removed.
    Authenticator.objects.filter(user=with_totp).delete()
    for path in ["/api/participants", "/api/organisations", "/api/me"]:
        response = client.get(path, **bearer(token))
        assert response.status_code == 401, path
        assert "two-factor" in response.json()["detail"]


def test_case_worker_with_totp_is_answered(client, settings):
    settings.MFA_REQUIRED = True
    _, token = api_token_create(user=member(Role.CASE_WORKER), name="sync")
    assert client.get("/api/participants", **bearer(token)).status_code == 200


def test_without_mfa_required_the_token_works(client, settings):
    settings.MFA_REQUIRED = True
    user = member(Role.CASE_WORKER)
    _, token = api_token_create(user=user, name="sync")
    Authenticator.objects.filter(user=user).delete()
    settings.MFA_REQUIRED = False
    assert client.get("/api/participants", **bearer(token)).status_code == 200


def test_staff_needs_no_second_factor_for_the_api(client, settings):
    settings.MFA_REQUIRED = True
    _, token = api_token_create(user=without_totp(Role.STAFF), name="sync")
    assert client.get("/api/organisations", **bearer(token)).status_code == 200


def test_a_read_token_reads_but_does_not_write(client):
    _, token = api_token_create(user=member(Role.STAFF), name="read", scope=ApiToken.Scope.READ)
    assert client.get("/api/organisations", **bearer(token)).status_code == 200
    response = client.post("/api/opportunities", {}, content_type="application/json", **bearer(token))
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_a_write_token_reaches_the_handler(client):
    _, token = api_token_create(user=member(Role.STAFF), name="write", scope=ApiToken.Scope.WRITE)
    response = client.post("/api/opportunities", {}, content_type="application/json", **bearer(token))
    assert response.status_code == 422


def test_expired_and_revoked_tokens_are_refused(client):
    user = member(Role.STAFF)
    expired, expired_token = api_token_create(user=user, name="old")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/organisations", **bearer(expired_token)).status_code == 401
    revoked, revoked_token = api_token_create(user=user, name="gone")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert client.get("/api/organisations", **bearer(revoked_token)).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client):
    api_token, token = api_token_create(user=member(Role.STAFF), name="sync")
    client.get("/api/organisations", **bearer(token))
    api_token.refresh_from_db()
    first = api_token.last_used_at
    assert first is not None
    client.get("/api/organisations", **bearer(token))
    api_token.refresh_from_db()
    assert api_token.last_used_at == first
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/organisations", **bearer(token))
    api_token.refresh_from_db()
    assert api_token.last_used_at > first

"""Security rules of every profile: forwarded headers, idle sessions, Permissions-Policy, secret keys."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from matchmaking.cli.web import behind_proxies
from matchmaking.config.settings.environment import env_networks, secret_key_problem
from matchmaking.organisations.models import Role
from matchmaking.permissions import session_timeout
from tests.factories import member

# --- Forwarded headers ---------------------------------------------------------------------------


def _seen_by_django(remote_addr: str, proxies: list[str], **headers: str) -> dict[str, object]:
    seen: dict[str, object] = {}

    def django(environ, start_response):
        seen.update(environ)
        return [b""]

    environ = {
        "REMOTE_ADDR": remote_addr,
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    behind_proxies(django, proxies)(environ, lambda *args: None)
    return seen


FORWARDED = {
    "x_forwarded_for": "198.51.100.7, 203.0.113.5",
    "x_forwarded_proto": "https",
    "x_forwarded_host": "mobility.example.org",
}


def test_a_trusted_proxy_gives_the_client_address_scheme_and_host():
    seen = _seen_by_django("10.0.0.2", ["10.0.0.0/24"], **FORWARDED)
    # Only the last hop is the proxy's own: what the client wrote before it is not believed.
    assert seen["REMOTE_ADDR"] == "203.0.113.5"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "mobility.example.org"


@pytest.mark.parametrize("proxies", [[], ["10.0.0.1"]])
def test_forwarded_headers_from_anyone_else_are_removed(proxies):
    seen = _seen_by_django(
        "192.0.2.44", proxies, **FORWARDED, x_forwarded_port="443", forwarded="for=1.2.3.4"
    )
    assert seen["REMOTE_ADDR"] == "192.0.2.44"
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"
    assert not [key for key in seen if "FORWARDED" in key]


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")
    assert env_networks("TRUSTED_PROXIES") == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    monkeypatch.setenv("TRUSTED_PROXIES", "proxy.example.org")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES")


def test_login_throttling_counts_per_account_and_per_client_address():
    from matchmaking.config.settings import base

    rates = base.ACCOUNT_RATE_LIMITS["login_failed"].split(",")  # type: ignore[index]
    assert {rate.rsplit("/", 1)[1] for rate in rates} == {"key", "ip"}
    assert len([rate for rate in rates if rate.endswith("/key")]) >= 2  # the wait grows
    assert base.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the server already put the client in REMOTE_ADDR


# --- Idle sessions -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    settings.MFA_REQUIRED = False
    settings.SESSION_IDLE_MINUTES_PERSONAL_DATA = 30
    settings.SESSION_IDLE_MINUTES = 480
    frozen = Clock()
    monkeypatch.setattr(session_timeout, "_now", frozen)
    return frozen


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_personal_data_role_is_logged_out_after_30_idle_minutes(client, clock):
    client.force_login(member(Role.CASE_WORKER))
    dashboard = reverse("web:dashboard")
    assert client.get(dashboard).status_code == 200
    clock.now += 29 * 60
    assert client.get(dashboard).status_code == 200  # activity moves the limit on
    clock.now += 29 * 60
    assert client.get(dashboard).status_code == 200
    clock.now += 30 * 60 + 1
    response = client.get(dashboard + "?page=2")
    assert _is_login_redirect(response)
    assert "next=/dashboard/%3Fpage%3D2" in response["Location"]
    assert "inactive" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "_auth_user_id" not in client.session
    assert _is_login_redirect(client.get(dashboard))  # logged out, not only redirected once


@pytest.mark.django_db
def test_other_roles_stay_logged_in_longer(client, clock):
    client.force_login(member(Role.STAFF))
    dashboard = reverse("web:dashboard")
    assert client.get(dashboard).status_code == 200
    clock.now += 4 * 3600
    assert client.get(dashboard).status_code == 200
    clock.now += 8 * 3600 + 1
    assert _is_login_redirect(client.get(dashboard))


@pytest.mark.django_db
def test_an_htmx_request_after_the_idle_limit_sends_the_page_to_login(client, clock):
    client.force_login(member(Role.COORDINATOR))
    client.get(reverse("web:dashboard"))
    clock.now += 31 * 60
    response = client.get(reverse("web:dashboard"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login")


# --- Response headers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_denies_browser_features(client):
    for path in ["/", reverse("account_login"), "/no-such-page/"]:
        policy = client.get(path).headers["Permissions-Policy"]
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert f"{feature}=()" in policy, (path, policy)


# --- Secret key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Q8f3kZ",
        "ab" * 40,
        "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop",
        "django-insecure-" + "k2#m9x!q7w@e4r$t6y^u8i&o0p(a3s)d5f" * 2,
    ],
)
def test_weak_secret_keys_are_named(key):
    assert secret_key_problem(key) is not None
    assert secret_key_problem(secrets.token_urlsafe(64)) is None


def _check_production(secret_key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "mobility.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_production_refuses_a_weak_secret_key():
    result = _check_production("change-me")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_starts_with_a_strong_secret_key():
    result = _check_production(secrets.token_urlsafe(64), "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr

"""The production profile served by `matchmaking serve` behind a reverse proxy, as docs/deployment.md sets
it up: a real server process, a real proxy process on loopback, and a login through both.

The proxy is a few lines of ``http.server`` doing what the documented nginx block does: it passes the
Host and adds X-Forwarded-For (appending the address it was connected from), X-Forwarded-Proto (https,
as if it had terminated TLS) and X-Forwarded-Host. Different loopback addresses (127.0.0.2, ...) stand
for different people, so the app can tell them apart only through what the proxy reports.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HOST = "mobility.example.org"
EMAIL = "person@example.org"
PASSWORD = "a-long-enough-password-42"
TIMEOUT = 20  # seconds for any one step
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection"}

# The production profile unchanged except for two shortcuts that only save the test time: the static
# files are served as they are (no collectstatic manifest, which takes a minute to build) and the
# tables are created from the models (no migrations to replay).
SETTINGS = """
from matchmaking.config.settings.production import *

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


class _FromModels(dict):
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None


MIGRATION_MODULES = _FromModels()
"""

SETUP = f"""
import django
django.setup()
from django.core.management import call_command
from matchmaking.accounts.models import User
call_command("migrate", run_syncdb=True, verbosity=0)
call_command("createcachetable", verbosity=0)
User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r})
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {TIMEOUT} s")


def _proxy_to(app_port: int) -> ThreadingHTTPServer:
    class Proxy(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            for name in ["X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-For"]:
                headers.pop(name, None)
            # nginx: $proxy_add_x_forwarded_for, https, $host
            seen = self.headers.get("X-Forwarded-For")
            headers["X-Forwarded-For"] = (
                f"{seen}, {self.client_address[0]}" if seen else self.client_address[0]
            )
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-Host"] = self.headers["Host"]
            upstream = http.client.HTTPConnection(
                "127.0.0.1", app_port, timeout=TIMEOUT, source_address=("127.0.0.1", 0)
            )
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                upstream.close()

        def do_GET(self) -> None:
            self._forward()

        def do_POST(self) -> None:
            self._forward()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    return server


class Browser:
    """A client connecting from one loopback address, keeping the cookies it is given."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.set_cookies: dict[str, SimpleCookie] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None, **headers: str):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=TIMEOUT, source_address=(self.address, 0)
        )
        sent = {"Host": HOST, **{name.replace("_", "-"): value for name, value in headers.items()}}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
            }
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            response.text = response.read().decode()  # type: ignore[attr-defined]
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
                    self.set_cookies[key] = cookie
        return response

    def log_in(self, email: str, password: str, **headers: str):
        if "csrftoken" not in self.cookies:
            self.request("GET", "/accounts/login/", **headers)
        form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], "login": email, "password": password}
        return self.request("POST", "/accounts/login/", form=form, **headers)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(proxy port, app port) of a production server behind a proxy, trusting 127.0.0.1 only."""
    home = tmp_path_factory.mktemp("deployment")
    (home / "proxied_production.py").write_text(SETTINGS)
    repository = Path(__file__).resolve().parents[2]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PYTHONPATH": os.pathsep.join([str(home), str(repository / "src")]),
        "DJANGO_SETTINGS_MODULE": "proxied_production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{home / 'matchmaking.sqlite3'}",
        "MATCHMAKING_DATA_DIR": str(home),
        "TRUSTED_PROXIES": "127.0.0.1",
        "ESCO_WARM_ON_START": "false",
        "MFA_REQUIRED": "false",
        "NOTIFICATION_EMAIL": "false",
        "LOGIN_FAILED_RATE_LIMIT": "3/5m/ip,10/5m/key",
        "DEBUG": "false",
    }
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=60, capture_output=True)
    app_port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "matchmaking.cli", "serve", "--port", str(app_port), "--threads", "4"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    proxy = _proxy_to(app_port)
    proxy_thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    try:
        _wait_for_port(app_port, server)
        proxy_thread.start()
        yield proxy.server_address[1], app_port
    finally:
        if proxy_thread.is_alive():
            proxy.shutdown()
        proxy.server_close()
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=10)


def test_login_through_the_proxy_is_https_without_a_redirect_loop(deployment):
    proxy_port, _ = deployment
    browser = Browser(proxy_port, "127.0.0.2")
    page = browser.request("GET", "/accounts/login/")
    assert page.status == 200, (page.status, page.getheader("Location"))
    assert page.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    assert "camera=()" in page.getheader("Permissions-Policy", "")
    assert browser.set_cookies["csrftoken"]["csrftoken"]["secure"]

    answer = browser.log_in(EMAIL, PASSWORD)
    assert answer.status == 302, answer.text[:2000]
    assert answer.getheader("Location") == "/dashboard/"
    assert browser.set_cookies["sessionid"]["sessionid"]["secure"]
    assert browser.set_cookies["sessionid"]["sessionid"]["httponly"]
    assert browser.request("GET", "/dashboard/").status == 200


def test_a_client_reaching_the_app_directly_is_not_believed(deployment):
    _, app_port = deployment
    direct = Browser(app_port, "127.0.0.2")
    answer = direct.request(
        "GET", "/accounts/login/", X_Forwarded_Proto="https", X_Forwarded_For="127.0.0.1",
        X_Forwarded_Host="evil.example.net",
    )  # fmt: skip
    # Not https (so redirected there), and not the forwarded host (which ALLOWED_HOSTS would refuse).
    assert answer.status == 301
    assert answer.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_failed_logins_lock_out_one_client_not_everyone_behind_the_proxy(deployment):
    proxy_port, _ = deployment
    guesser = Browser(proxy_port, "127.0.0.3")
    for attempt in range(3):
        # A made-up X-Forwarded-For does not make each guess look like another client.
        answer = guesser.log_in(
            "nobody@example.org", "wrong-password", X_Forwarded_For=f"198.51.100.{attempt}"
        )
        assert answer.status == 200
        assert "Too many" not in answer.text
    answer = guesser.log_in(EMAIL, PASSWORD, X_Forwarded_For="198.51.100.99")
    assert answer.status != 302
    assert "Too many failed login attempts" in answer.text

    colleague = Browser(proxy_port, "127.0.0.4")  # behind the same proxy, another address
    assert colleague.log_in(EMAIL, PASSWORD).status == 302

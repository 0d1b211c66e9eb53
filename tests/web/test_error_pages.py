"""Error pages speak the reader's language and give nothing away: no traceback, no list of addresses,
in the demo as in production."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "URLconf" not in page
    assert reverse("web:home") in page


def test_a_server_error_shows_the_sites_own_page(settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_demo_profile_does_not_debug():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "matchmaking.config.settings.demo"
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_a_forbidden_form_post_is_the_sites_own_403():
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("organisations:apply"), {})
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()

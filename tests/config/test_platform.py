"""Settings, SQLite mode, periodic jobs, background tasks, demo data, and the command line."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core import mail
from django.db import connection

from matchmaking.cli import main
from matchmaking.core.models import Notification, PeriodicJobRun
from matchmaking.core.notifications import notify
from matchmaking.core.periodic import registered_jobs, run_periodic


def test_production_profile_passes_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "mobility.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_debug():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.production",
           "SECRET_KEY": "s" * 60, "DEBUG": "true"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import dj_database_url
    from django.conf import settings as django_settings

    assert "IMMEDIATE" in str(django_settings.DATABASES["default"]["OPTIONS"].get("transaction_mode"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.dev",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}  # fmt: skip
    code = (
        "import django;django.setup();from django.db import connection;c=connection.cursor();"
        "c.execute('PRAGMA journal_mode');print(c.fetchone()[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "wal"
    assert dj_database_url  # the URL parser is what reads DATABASE_URL


@pytest.mark.django_db
def test_periodic_jobs_are_idempotent_and_respect_intervals():
    names = {job.name for job in registered_jobs()}
    assert {"access-log-retention", "invitations-cleanup", "task-results-cleanup"} <= names
    first = run_periodic()
    assert {name for name, _ in first} == names
    assert run_periodic() == []  # nothing due a moment later
    forced = run_periodic(force=True)
    assert len(forced) == len(names)
    assert not any(s.startswith("failed") for _, s in forced)
    assert PeriodicJobRun.objects.count() == len(names)


@pytest.mark.django_db
def test_run_periodic_command(capsys):
    assert main(["run-periodic", "--force"]) == 0
    assert "access-log-retention" in capsys.readouterr().out
    assert main(["run-periodic", "--job", "nope"]) == 2


@pytest.mark.django_db
def test_notification_email_is_sent_after_commit_only(django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[user, user], kind="test", title="Hello", body="Body", url="/dashboard/")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_twice_without_duplicates(capsys):
    from matchmaking.accounts.models import User
    from matchmaking.mobility.models import Opportunity
    from matchmaking.organisations.models import Organisation

    assert main(["demo", "--no-serve"]) == 0
    from matchmaking.core.models import Notification

    counts = (
        Organisation.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
        Notification.objects.count(),
    )
    assert counts[0] >= 30
    assert len(set(Organisation.objects.values_list("country", flat=True))) >= 10
    assert Organisation.objects.filter(is_demo=False).count() == 0
    assert main(["demo", "--no-serve"]) == 0
    assert (
        Organisation.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
        Notification.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "coordinator" in out
    assert "Demo logins" in out


def test_every_command_has_help(capsys):
    for command in ["demo", "serve", "worker", "run-periodic", "import", "export", "suggest", "allocate"]:
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "usage: matchmaking " + command in capsys.readouterr().out


WRITER = """
import django, os, sys
django.setup()
from django.db import transaction
from matchmaking.core.models import PeriodicJobRun
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        run, _ = PeriodicJobRun.objects.get_or_create(name=f"{sys.argv[2]}-{i % 5}")
        run.last_result = str(i)
        run.save()
print("ok")
"""


def test_sqlite_web_and_worker_write_at_once_without_locking_errors(tmp_path):
    """Two processes writing in transactions to one SQLite file wait for each other, never fail."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("SQLite behaviour; the suite is running against PostgreSQL")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "-m", "matchmaking.cli", "migrate"], env=env, check=True, capture_output=True
    )
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, "100", name], env=env, **pipes)
        for name in ("web", "worker", "periodic")
    ]
    results = [w.communicate(timeout=120) for w in writers]
    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err[-2000:]
        assert out.strip() == "ok"


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert "http" not in policy  # no other origin, no CDN
    assert response["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content  # no inline script
    assert b"style=" not in response.content  # no inline style


@pytest.mark.django_db
def test_nul_characters_are_refused_not_a_server_error(client):
    from tests.factories import member

    client.force_login(member("staff"))
    assert client.get("/organisations/", {"q": "a\x00b"}).status_code == 400
    response = client.post("/api/opportunities", data='{"type": "a\\u0000"}', content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "type"]
    assert "NUL" in response.json()["detail"][0]["msg"]

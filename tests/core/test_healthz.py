"""/healthz: 200 while the database answers and the worker's heartbeat is fresh, 503 without a heartbeat
or with a late one; production logs one JSON object a line."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from matchmaking.core.periodic import run_periodic


def _worker_runs_one_task() -> None:
    """What django-tasks-db's worker does with the next task: claim it, run it, record its success."""
    result = DBTaskResult.objects.ready().get_locked()
    result.claim("test-worker")
    call = result.task_result
    result.set_successful(result.task.call(*call.args, **call.kwargs))


@pytest.mark.django_db
def test_healthz_needs_a_fresh_heartbeat(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["worker"] == "no heartbeat"

    # The periodic job queues the heartbeat; a worker runs it (and a second one is not queued meanwhile).
    run_periodic(only="worker-heartbeat")
    assert dict(run_periodic(only="worker-heartbeat", force=True)) == {
        "worker-heartbeat": "a heartbeat is still waiting for a worker"
    }
    assert client.get("/healthz").status_code == 503
    _worker_runs_one_task()
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert response.json()["worker_heartbeat_age_seconds"] <= 300

    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(minutes=30))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "late"


@pytest.mark.django_db
def test_healthz_answers_without_a_login_and_only_to_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz").headers["Content-Type"] == "application/json"


def test_production_writes_json_log_lines():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "mobility.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "DEBUG": "false",
    }
    env.pop("LOG_FORMAT", None)
    code = (
        "import django, logging; django.setup(); log = logging.getLogger('matchmaking.check');"
        "log.warning('disk %s full', 'var', extra={'request_id': 'r1'});\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('failed')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.strip().splitlines()]
    assert lines[0]["message"] == "disk var full"
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "matchmaking.check"
    assert lines[0]["request_id"] == "r1"
    assert "ZeroDivisionError" in lines[1]["exception"]

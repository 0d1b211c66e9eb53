"""A 10,000-organisation import while 20 people use the site: not one error, and the import is whole.

A real server (`matchmaking serve`, the production profile as tests/config/test_reverse_proxy.py runs
it) serves a database of its own: a SQLite file in a temporary directory, or a fresh database on the
PostgreSQL server of ``DATABASE_URL`` when that is PostgreSQL (``bash scripts/with-postgres.sh``).
`matchmaking import` runs in another process on a generated network of 10,000 organisations and
10,000 opportunities (benchmarks/import_network.py). Meanwhile 20 client threads, each from its own
loopback address, log in and fetch the dashboard, the caseload, a participant's page and a
participant's personal details (which writes an access-log row), in a bounded loop until the import
has finished. Every answer must be a success: no 5xx, no refused or timed-out connection, no failed
login. Then the import has written everything (all of the file, nothing half), and every access-log
row of the pages served is in the table.

The figures (requests, errors, latency percentiles, import time) are printed, for docs/deployment.md;
no duration is asserted.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.import_network import generate_document

from tests.config.test_reverse_proxy import SETTINGS, Browser, _free_port, _wait_for_port

pytestmark = pytest.mark.database  # its own database, not the test database

ROOT = Path(__file__).resolve().parents[2]
HOST = "mobility.example.org"
PASSWORD = "a-long-enough-password-42"
CLIENTS = 20
ORGANISATIONS = 10_000
MAX_ROUNDS = 400  # per client: the loop ends when the import has, and never later than this
IMPORT_TIMEOUT = 600

SETUP = f"""
import json
import django
django.setup()
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from matchmaking.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.factories_participants import case_worker, participant

call_command("migrate", run_syncdb=True, verbosity=0)
call_command("createcachetable", verbosity=0)
home = OrganisationFactory(key="home", name="Home", country="SE")
people = []
for n in range({CLIENTS}):
    worker = case_worker(home, email=f"worker{{n}}@example.org")
    worker.set_password({PASSWORD!r})
    worker.save()
    person = participant(home, key_worker=worker)
    people.append({{
        "email": worker.email,
        "purpose": reverse("participants:purpose", args=[person.pseudonym]),
        "pages": [
            reverse("web:dashboard"),
            reverse("participants:caseload"),
            reverse("participants:participant-detail", args=[person.pseudonym]),
            reverse("participants:participant-identity", args=[person.pseudonym]),
        ],
    }})
Authenticator.objects.all().delete()  # MFA_REQUIRED is off here: log in with the password alone
print(json.dumps({{"people": people, "organisations": Organisation.objects.count()}}))
"""

COUNTS = """
import json
import django
django.setup()
from matchmaking.core.models import AuditEvent, PersonalDataAccess
from matchmaking.exchanges.models import Exchange
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
print(json.dumps({
    "organisations": Organisation.objects.count(),
    "opportunities": Opportunity.objects.count(),
    "exchanges": Exchange.objects.count(),
    "audit": AuditEvent.objects.filter(action__in=["organisation.created", "opportunity.created"]).count(),
    "access_reads": PersonalDataAccess.objects.filter(path__contains="/personal/").count(),
}))
"""


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own: SQLite in ``tmp_path``, or a new database on the PostgreSQL server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'matchmaking.sqlite3'}"
        return
    import psycopg

    name = f"concurrency_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(home: Path, database_url: str) -> dict[str, str]:
    (home / "concurrency_production.py").write_text(SETTINGS)
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")},
        "PYTHONPATH": os.pathsep.join([str(home), str(ROOT), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": "concurrency_production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": database_url,
        "MATCHMAKING_DATA_DIR": str(home),
        # The clients stand for people behind a TLS proxy: they say https for themselves.
        "TRUSTED_PROXIES": "127.0.0.0/8",
        "ESCO_WARM_ON_START": "false",
        "MFA_REQUIRED": "false",
        "NOTIFICATION_EMAIL": "false",
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }


class Client(threading.Thread):
    """One person: logs in, then fetches their pages in turn until told to stop."""

    def __init__(self, port: int, n: int, person: dict[str, Any], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.browser = Browser(port, f"127.0.0.{n + 2}")
        self.person, self.stop = person, stop
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.identity_reads = 0

    def _get(self, method: str, path: str, expected: tuple[int, ...], **kwargs: Any) -> Any:
        headers = {"X_Forwarded_Proto": "https", "X_Forwarded_For": self.browser.address}
        started = time.perf_counter()
        try:
            if method == "LOGIN":
                answer = self.browser.log_in(self.person["email"], PASSWORD, **headers)
            else:
                answer = self.browser.request(method, path, **headers)
        except OSError as exc:  # refused, reset or timed out
            self.errors.append(f"{method} {path}: {exc!r}")
            return None
        finally:
            self.latencies.append(time.perf_counter() - started)
        if answer.status not in expected:
            self.errors.append(f"{method} {path}: {answer.status} {answer.text[:300]!r}")
            return None
        return answer

    def _post(self, path: str, form: dict[str, str]) -> Any:
        headers = {"X_Forwarded_Proto": "https", "X_Forwarded_For": self.browser.address}
        try:
            answer = self.browser.request("POST", path, form=form, **headers)
        except OSError as exc:
            self.errors.append(f"POST {path}: {exc!r}")
            return None
        if answer.status != 302:
            self.errors.append(f"POST {path}: {answer.status} {answer.text[:300]!r}")
            return None
        return answer

    def run(self) -> None:
        self._get("GET", "/accounts/login/", (200,))
        if self._get("LOGIN", "/accounts/login/", (302,)) is None:
            return
        # Opening the person's record asks why, once a session, as it asks every case worker.
        self._get("GET", self.person["purpose"], (200,))
        form = {"csrfmiddlewaretoken": self.browser.cookies.get("csrftoken", ""), "purpose": "case-work"}
        if self._post(self.person["purpose"], form) is None:
            return
        for _ in range(MAX_ROUNDS):
            for page in self.person["pages"]:
                if self._get("GET", page, (200,)) is not None and "/personal/" in page:
                    self.identity_reads += 1
            if self.stop.is_set():
                return


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_twenty_people_during_a_10000_organisation_import_see_no_error(tmp_path, database_url):
    env = _env(tmp_path, database_url)
    python = sys.executable
    setup = subprocess.run(
        [python, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True, text=True
    )
    seeded = json.loads(setup.stdout.strip().splitlines()[-1])
    network = tmp_path / "network.json"
    document = generate_document(ORGANISATIONS, exchanges=20)
    network.write_text(json.dumps(document), encoding="utf-8")

    port = _free_port()
    server_log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [python, "-m", "matchmaking.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    importer: subprocess.Popen[str] | None = None
    stop = threading.Event()
    clients = [Client(port, n, person, stop) for n, person in enumerate(seeded["people"])]
    try:
        _wait_for_port(port, server)
        import_started = time.perf_counter()
        importer = subprocess.Popen(
            [python, "-m", "matchmaking.cli", "import", str(network)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for client in clients:
            client.start()
        out, err = importer.communicate(timeout=IMPORT_TIMEOUT)
        import_seconds = time.perf_counter() - import_started
        stop.set()
        for client in clients:
            client.join(timeout=120)
        assert not any(client.is_alive() for client in clients), "a client is still waiting"
    finally:
        stop.set()
        if importer is not None and importer.poll() is None:
            importer.kill()
            importer.communicate(timeout=30)
        if server.poll() is None:
            server.send_signal(signal.SIGINT)  # ends waitress normally: the access-log queue is written
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
        server_log.close()

    latencies = [s for client in clients for s in client.latencies]
    errors = [e for client in clients for e in client.errors]
    counts = json.loads(
        subprocess.run(
            [python, "-c", COUNTS], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    backend = "postgresql" if database_url.startswith("postgres") else "sqlite"
    p50, p95 = statistics.median(latencies) * 1000, _percentile(latencies, 0.95) * 1000
    print(
        f"\n{backend}: import of {ORGANISATIONS} organisations, {len(document['opportunities'])} "
        f"opportunities, {len(document['exchanges'])} exchanges took {import_seconds:.1f} s; {CLIENTS} "
        f"clients made {len(latencies)} requests, {len(errors)} errors; latency p50 {p50:.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print("\n".join(line for line in (out + err).splitlines() if "transaction took" in line))
    assert errors == [], "\n".join(errors[:20]) + (tmp_path / "server.log").read_text()[-3000:]
    assert importer.returncode == 0, err
    assert f"organisations: {ORGANISATIONS} created" in out
    # All or nothing: everything in the file is there, each created once, with its audit event.
    assert counts["organisations"] == seeded["organisations"] + ORGANISATIONS
    assert counts["opportunities"] == len(document["opportunities"])
    assert counts["exchanges"] == len(document["exchanges"])
    assert counts["audit"] == ORGANISATIONS + len(document["opportunities"])
    # The access log has one line for each person's first look at the identity in a session: every
    # client that was served the personal-details page wrote its row, and only one.
    assert counts["access_reads"] == sum(1 for client in clients if client.identity_reads)

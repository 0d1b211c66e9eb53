"""The personal-data access log never makes a page wait or fail, and never loses a row silently.

A page's row is written after the response (when the request finishes); a locked database keeps it
queued for the next request instead of failing the page. The lock is real: a second connection holds
the database's write lock (SQLite) or the access-log table's (PostgreSQL) while the page is served.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from matchmaking.core import access_log
from matchmaking.core.access_log import access_log_flush, access_log_pending, access_log_record
from matchmaking.core.models import PersonalDataAccess
from tests.factories import OrganisationFactory
from tests.factories_participants import case_worker, participant


@pytest.fixture
def case(transactional_db):
    home = OrganisationFactory(key="home", name="Home", country="SE")
    worker = case_worker(home, email="worker@example.org")
    person = participant(home, key_worker=worker)
    yield worker, person
    access_log_flush()
    assert access_log_pending() == 0


def _identity_page(person) -> str:
    return reverse("participants:participant-identity", args=[person.pseudonym])


def _reads(person) -> list[PersonalDataAccess]:
    return list(PersonalDataAccess.objects.filter(subject_id=str(person.pk)).order_by("occurred_at"))


@contextmanager
def _write_lock_held_elsewhere() -> Iterator[None]:
    """Another connection holds the lock an access-log insert needs, until the block ends."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = settings["NAME"]
        other = sqlite3.connect(str(name), uri=str(name).startswith("file:"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or None, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname=settings["NAME"],
    )  # fmt: skip
    try:
        other.execute(f"LOCK TABLE {PersonalDataAccess._meta.db_table} IN EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


def test_a_page_view_writes_its_row_after_the_response(client, case):
    worker, person = case
    client.force_login(worker)
    response = client.get(_identity_page(person))
    assert response.status_code == 200
    rows = _reads(person)
    assert len(rows) == 1
    assert rows[0].user == worker
    assert "family_name" in rows[0].fields
    assert rows[0].path == _identity_page(person)
    assert access_log_pending() == 0


def test_a_locked_database_does_not_fail_the_page_and_the_row_follows(client, case, caplog, settings):
    settings.ACCESS_LOG_BUSY_TIMEOUT = 0.2
    settings.ACCESS_LOG_RETRY_SECONDS = 0  # here the next request writes it
    worker, person = case
    client.force_login(worker)
    assert client.get(_identity_page(person)).status_code == 200  # also notes the session's activity
    assert len(_reads(person)) == 1
    with caplog.at_level(logging.WARNING, logger="matchmaking.core.access_log"), _write_lock_held_elsewhere():
        # Pages log a record once a session; an API read logs every time.
        response = client.get(f"/api/participants/{person.pseudonym}")
        assert response.status_code == 200
        assert person.pseudonym in response.content.decode()
        assert access_log_pending() == 1
    assert "1 row(s) not written yet, kept for the next request" in caplog.text
    assert len(_reads(person)) == 1
    # The next request writes it, with the time of the read, before its own.
    assert client.get(f"/api/participants/{person.pseudonym}").status_code == 200
    rows = _reads(person)
    assert len(rows) == 3
    assert access_log_pending() == 0
    assert rows[0].occurred_at < rows[1].occurred_at < rows[2].occurred_at


def test_inside_a_transaction_the_row_is_part_of_it(case):
    worker, person = case
    with transaction.atomic():
        access_log_record(user=worker, subject=person, fields=["profile"], purpose="case work")
        assert len(_reads(person)) == 1
        transaction.set_rollback(True)
    assert _reads(person) == []


def test_outside_a_request_the_row_is_written_at_once(case):
    worker, person = case
    access_log_record(user=worker, subject=person, fields=["profile"], purpose="export")
    assert [r.purpose for r in _reads(person)] == ["export"]


def test_a_full_queue_logs_every_field_of_the_row_it_cannot_keep(case, caplog, settings, monkeypatch):
    settings.ACCESS_LOG_QUEUE_LIMIT = 2
    settings.ACCESS_LOG_RETRY_SECONDS = 0

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    worker, person = case
    monkeypatch.setattr(access_log, "_insert", locked)
    with caplog.at_level(logging.WARNING, logger="matchmaking.core.access_log"):
        for purpose in ("first", "second", "third"):
            access_log_record(user=worker, subject=person, fields=["email"], purpose=purpose, path="/p/")
    assert access_log_pending() == 2
    assert "queue full, this access is recorded here only" in caplog.text
    assert f"user={worker} (id {worker.pk})" in caplog.text
    assert f"subject=participants.participant:{person.pk} fields=email purpose=first path=/p/" in caplog.text
    monkeypatch.undo()
    assert access_log_flush() == 2
    assert [r.purpose for r in _reads(person)] == ["second", "third"]


def test_a_row_the_database_refuses_does_not_hold_back_the_others(case, caplog):
    worker, person = case
    gone = case_worker(OrganisationFactory(key="gone", name="Gone", country="SE"), email="gone@example.org")
    rows = [
        PersonalDataAccess(
            occurred_at=timezone.now(), user=user, user_label=str(user), fields=["email"], purpose=purpose,
            subject_type="participants.participant", subject_id=str(person.pk),
        )
        for user, purpose in ((worker, "kept"), (gone, "user deleted meanwhile"))
    ]  # fmt: skip
    gone_pk = gone.pk
    gone.delete()
    rows[1].user_id = gone_pk
    access_log._enqueue(rows)
    assert access_log_flush() == 2
    stored = {r.purpose: r for r in _reads(person)}
    assert stored["kept"].user == worker
    assert stored["user deleted meanwhile"].user is None
    assert stored["user deleted meanwhile"].user_label == str(gone)


def test_queued_rows_are_tried_again_without_waiting_for_a_request(case, settings, monkeypatch):
    settings.ACCESS_LOG_RETRY_SECONDS = 0.1
    worker, person = case
    real_insert, failures = access_log._insert, []

    def locked_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("database is locked")
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(access_log, "_insert", locked_once)
    access_log_record(user=worker, subject=person, fields=["email"], purpose="retried")
    assert failures == [1]
    for _ in range(200):  # bounded: the timer thread writes it within moments
        try:
            if _reads(person) and access_log_pending() == 0:
                break
        except OperationalError:  # the in-memory test database's table lock, while the thread writes
            pass
        time.sleep(0.05)
    assert [r.purpose for r in _reads(person)] == ["retried"]
    assert access_log_pending() == 0

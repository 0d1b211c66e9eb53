"""The personal-data access log: every read, change or export of a person's details is written here.

A row recorded inside a transaction (a service changing or exporting someone's data) is written in
that transaction, so it stands or falls with the change.

A row recorded outside any transaction (a page showing someone's details) must not make the page wait
for the database or fail: on SQLite one writer at a time holds the database, and a long import or a
busy worker would otherwise turn a page view into "database is locked". Such a row is put in a small
in-process queue, with the time of the read, and the queue is written after the response has been
sent (when the request finishes), in one short transaction that waits at most
``ACCESS_LOG_BUSY_TIMEOUT`` seconds for the lock. Outside a request (commands, the worker) the row is
written at once, waiting for the lock like any other write. If the database stays busy, the rows stay
queued for the next request, the next row or a retry a few seconds later
(``ACCESS_LOG_RETRY_SECONDS``), and a warning is logged; the queue is bounded
(``ACCESS_LOG_QUEUE_LIMIT`` rows) and a row that no longer fits is written to the error log with every
field, so no access is ever lost without a trace.
Rows still queued when the process stops are written at exit.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, OperationalError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from matchmaking.core.models import PersonalDataAccess

logger = logging.getLogger(__name__)

_queue: deque[PersonalDataAccess] = deque()
_queue_lock = threading.Lock()
_request = threading.local()
_retry_timer: threading.Timer | None = None


def _busy_timeout() -> float:
    return float(getattr(settings, "ACCESS_LOG_BUSY_TIMEOUT", 0.5))


def _queue_limit() -> int:
    return int(getattr(settings, "ACCESS_LOG_QUEUE_LIMIT", 10_000))


def access_log_record(
    *,
    user: Any,
    subject: models.Model,
    fields: Iterable[str] = (),
    purpose: str = "",
    kind: str = PersonalDataAccess.READ,
    path: str = "",
) -> PersonalDataAccess:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    row = PersonalDataAccess(
        occurred_at=timezone.now(),
        user=user if authenticated else None,
        user_label=str(user) if authenticated else "system",
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        fields=list(fields),
        purpose=purpose,
        path=path[:300],
    )
    if _connection().in_atomic_block:
        row.save()
        return row
    _enqueue([row])
    if not getattr(_request, "active", False):  # a command or the worker: no page waits, wait as usual
        access_log_flush(short_wait=False)
    return row


def access_log_pending() -> int:
    """How many rows wait in this process's queue."""
    return len(_queue)


def access_log_flush(*, short_wait: bool = True) -> int:
    """Write the queued rows in one short transaction; return how many were written.

    With ``short_wait`` the write waits at most ``ACCESS_LOG_BUSY_TIMEOUT`` seconds for the lock,
    otherwise as long as any other write (the database's busy timeout).

    Never raises for a busy or unreachable database: the rows go back to the queue and a warning is
    logged. Does nothing inside a transaction (the rows would share its fate).
    """
    connection = _connection()
    if connection.in_atomic_block:
        return 0
    with _queue_lock:
        rows = list(_queue)
        _queue.clear()
    if not rows:
        return 0
    try:
        with _short_wait(connection) if short_wait else nullcontext():
            try:
                with transaction.atomic(using=connection.alias):
                    _insert(connection, rows)
            except OperationalError:
                raise
            except DatabaseError:  # one row the database refuses must not hold back the others
                return _insert_one_by_one(connection, rows)
    except OperationalError as exc:  # busy, locked or unreachable: the next request tries again
        _enqueue(rows, front=True)
        logger.warning(
            "access log: %d row(s) not written yet, kept for the next request (%s)", len(rows), exc
        )
        _retry_later()
        return 0
    return len(rows)


def _retry_later() -> None:
    """Try the queue again in ``ACCESS_LOG_RETRY_SECONDS`` on a timer thread, so that queued rows do
    not wait for the next request of an idle process (one timer at a time)."""
    global _retry_timer
    seconds = float(getattr(settings, "ACCESS_LOG_RETRY_SECONDS", 5))
    if seconds <= 0:
        return
    with _queue_lock:
        if _retry_timer is not None and _retry_timer.is_alive():
            return
        _retry_timer = threading.Timer(seconds, _retry)
        _retry_timer.daemon = True
        _retry_timer.start()


def _retry() -> None:
    global _retry_timer
    with _queue_lock:
        _retry_timer = None
    try:
        access_log_flush()  # on failure it schedules the next try itself
    except Exception:  # a timer thread has nobody to raise to
        logger.exception("access log: the retry failed")
    finally:
        connections.close_all()  # this thread's own connections


def _insert_one_by_one(connection: BaseDatabaseWrapper, rows: list[PersonalDataAccess]) -> int:
    """Write each row alone; a row whose user is gone is kept without the link (its label names the
    person, as when a user is deleted later); a row still refused goes to the error log."""
    written = 0
    for row in rows:
        for attempt in (row, _without_user(row)):
            try:
                with transaction.atomic(using=connection.alias):
                    _insert(connection, [attempt])
            except OperationalError:
                raise
            except DatabaseError as exc:
                if attempt is not row or row.user_id is None:
                    _log_lost(row, f"refused by the database ({exc})")
                    break
                continue
            written += 1
            break
    return written


def _without_user(row: PersonalDataAccess) -> PersonalDataAccess:
    copy = PersonalDataAccess(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
    copy.user_id = None
    return copy


def _connection() -> BaseDatabaseWrapper:
    return connections[router.db_for_write(PersonalDataAccess)]


def _enqueue(rows: list[PersonalDataAccess], *, front: bool = False) -> None:
    with _queue_lock:
        if front:
            _queue.extendleft(reversed(rows))
        else:
            _queue.extend(rows)
        lost = [_queue.popleft() for _ in range(len(_queue) - _queue_limit())]
    for row in lost:
        _log_lost(row, "queue full")


def _log_lost(row: PersonalDataAccess, why: str) -> None:
    """The last resort: the access, every field of it, in the error log."""
    logger.error(
        "access log: %s, this access is recorded here only: at=%s user=%s (id %s) kind=%s subject=%s:%s "
        "fields=%s purpose=%s path=%s",
        why, row.occurred_at.isoformat(), row.user_label, row.user_id, row.kind, row.subject_type,
        row.subject_id, ",".join(row.fields), row.purpose, row.path,
    )  # fmt: skip


def _insert(connection: BaseDatabaseWrapper, rows: list[PersonalDataAccess]) -> None:
    """INSERT the rows as they are: ``raw`` keeps ``occurred_at`` (the time of the read), which
    ``auto_now_add`` would otherwise replace with the time of the write."""
    fields = [f for f in PersonalDataAccess._meta.concrete_fields if not f.primary_key]
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    for start in range(0, len(rows), size):
        PersonalDataAccess._base_manager._insert(  # type: ignore[attr-defined]
            rows[start : start + size], fields=fields, raw=True, using=connection.alias
        )


@contextmanager
def _short_wait(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Wait at most ``ACCESS_LOG_BUSY_TIMEOUT`` seconds for a lock while writing the queue."""
    milliseconds = max(1, int(_busy_timeout() * 1000))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, false)", [f"{milliseconds}ms"])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', '0', false)")
        return
    yield


# --- Around each request ------------------------------------------------------------------------


def _request_started(**kwargs: Any) -> None:
    _request.active = True


def _request_finished(**kwargs: Any) -> None:
    """After the response has been sent: write what the request queued (and anything left over)."""
    _request.active = False
    if not _queue:
        return
    written = access_log_flush()
    connection = _connection()
    if written and not connection.in_atomic_block:
        # Django closed the request's connection before this ran; do the same for the one the flush
        # opened, under the same rules (CONN_MAX_AGE).
        connection.close_if_unusable_or_obsolete()


def _at_exit() -> None:
    if not _queue:
        return
    try:
        access_log_flush()
    except Exception:  # the process is ending: log, never raise
        logger.exception("access log: could not write the queue at exit")
    with _queue_lock:
        rows = list(_queue)
        _queue.clear()
    for row in rows:
        _log_lost(row, "not written before the process stopped")


request_started.connect(_request_started, dispatch_uid="access-log-request-started")
request_finished.connect(_request_finished, dispatch_uid="access-log-request-finished")
atexit.register(_at_exit)

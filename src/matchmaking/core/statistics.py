"""SQLite's statistics of the tables' contents (``ANALYZE``), which its query planner needs to choose an
index: without them it read every active participant to count one caseload. They are refreshed by the
daily job and after a ``migrate`` that applied migrations, so that an index a migration adds is not left
without them until the next day (a list ran three times slower in the meantime). PostgreSQL's
autovacuum keeps its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


def table_statistics_refresh(db: BaseDatabaseWrapper, tables: Sequence[str] = ()) -> bool:
    """``ANALYZE`` on SQLite, of these tables or of all; False (nothing done) on a database that keeps
    its own statistics."""
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        for statement in [f"ANALYZE {db.ops.quote_name(t)}" for t in tables] or ["ANALYZE"]:
            cursor.execute(statement)
    return True


def statistics_after_migrate(*, using: str = DEFAULT_DB_ALIAS, plan: Any = None, **_kwargs: Any) -> None:
    """A ``post_migrate`` receiver (connected once, by the core app): fresh statistics when this
    ``migrate`` applied or reverted at least one migration."""
    if plan:
        table_statistics_refresh(connections[using])

"""The daily job that keeps SQLite's table statistics, which its query planner needs to pick the
caseload's indexes; PostgreSQL keeps its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from matchmaking.core.jobs import database_statistics

pytestmark = pytest.mark.django_db


def test_the_job_refreshes_sqlite_statistics_and_leaves_postgresql_alone():
    summary = database_statistics(timezone.now())
    if connection.vendor == "sqlite":
        assert summary == "table statistics refreshed"
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
    else:
        assert summary.startswith("nothing to do")


def test_a_migrate_that_applied_migrations_refreshes_them():
    """An index a migration adds gets its statistics at once, not at the next daily job."""
    from matchmaking.core.statistics import statistics_after_migrate

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        statistics_after_migrate(plan=[])
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1")
        assert cursor.fetchone()[0] == 0  # nothing applied, nothing done
        statistics_after_migrate(plan=[("a migration", False)])
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'taxonomies_term'")  # code lists
        assert cursor.fetchone()[0] > 0

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

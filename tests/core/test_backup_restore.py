"""Backups: a database written with ``pg_dump`` (custom format) and read back with ``pg_restore`` into an
empty database holds the same rows in every table, byte for byte (docs/deployment.md, "Backups").

PostgreSQL only (the PostgreSQL pass of CI); ``pg_dump`` and ``pg_restore`` come with the server."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.factories import OrganisationFactory
from tests.factories_mobility import opportunity
from tests.factories_participants import case_worker, participant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _tool(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else (shutil.which(name) or name)


def _fingerprint(conn: psycopg.Connection) -> dict[str, tuple[int, str]]:
    """Each table of the schema: its row count and an md5 of its rows in a fixed order."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    out = {}
    for table in tables:
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
        ).format(sql.Identifier(table))
        count, digest = conn.execute(query).fetchone()
        out[table] = (count, digest)
    return out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_pg_dump_and_pg_restore_give_back_the_same_data(tmp_path):
    home = OrganisationFactory(key="backup-home", name="Åbo Akademi – Vasa")
    opportunity(home, key="backup-offer", description="Välkommen: two weeks in the kitchen")
    participant(home, key_worker=case_worker(home))
    params = connection.get_connection_params()
    env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
    where = ["-h", str(params.get("host") or "127.0.0.1"), "-p", str(params.get("port") or 5432)]
    where += ["-U", str(params.get("user") or "postgres")]
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restored"
    dump = tmp_path / "backup.dump"
    subprocess.run([_tool("pg_dump"), *where, "-Fc", "-f", str(dump), name], env=env, check=True)
    subprocess.run([_tool("dropdb"), *where, "--if-exists", restored], env=env, check=True)
    subprocess.run([_tool("createdb"), *where, restored], env=env, check=True)
    try:
        subprocess.run(
            [_tool("pg_restore"), *where, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            env=env,
            check=True,
        )
        conninfo = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
        with (
            psycopg.connect(dbname=name, **conninfo) as before,
            psycopg.connect(dbname=restored, **conninfo) as after,
        ):
            original = _fingerprint(before)
            copy = _fingerprint(after)
        assert original["organisations_organisation"][0] >= 1
        assert copy == original
    finally:
        subprocess.run([_tool("dropdb"), *where, "--if-exists", restored], env=env, check=True)

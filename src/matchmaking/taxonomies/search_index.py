"""The full-text index over a table's folded ``search_text`` (see ``search_text``), by database.

- **PostgreSQL**: a stored generated column ``search_vector``,
  ``to_tsvector('simple', matchmaking_unaccent(search_text))``, with a GIN index. The ``simple``
  configuration (no stemming, no stop words) since the text is multilingual and already folded;
  ``matchmaking_unaccent`` is the ``unaccent`` extension wrapped as an immutable function so that a
  generated column may use it (it removes whatever accent the folding in Python left, on both sides).
  The column is stored, not an index on the expression, because a word found in most rows (every
  listing says "offer") makes the planner read the table rather than the index, and recomputing the
  vector of each row's long text took 70-240 µs a row: 2.4 s for one search of 10,000 organisations,
  10-17 s under load. Reading the stored vectors takes milliseconds. The column is not in the Django
  model: the database writes it with every write of ``search_text``, whatever the path. A migration
  that changes the type of ``search_text`` must drop the column first (``uninstall``) and put it back
  after (``install``): PostgreSQL refuses to alter a column a generated one is made from.
- **SQLite**: an FTS5 table ``<table>_fts`` over the same column (``unicode61``, accents removed), kept in
  step by triggers on the table, so every write of ``search_text`` (a save, a bulk update, the import's
  own inserts) updates the index in the same statement.

Every word of a query is a prefix query ("Bora" finds Borås), the same on both. ``matching_ids``
is the rows in which one word is found, as a subquery for ``pk__in``.

On SQLite a migration that alters a column of the table rebuilds the table, and the triggers go with
the old one: ``after_migrate`` (connected by the app) puts back whatever is missing after every
``migrate`` and rebuilds the index from the table.
"""

# The SQL below is built from our own table names only; the words of a query are always parameters.
# ruff: noqa: S608, S611

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import BooleanField, ExpressionWrapper, F, Func, IntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

# The function wrapping ``unaccent`` (created with the extension by the organisations' migration).
UNACCENT = "matchmaking_unaccent"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# The stored column of the vectors on PostgreSQL (see the module's docstring).
VECTOR_COLUMN = "search_vector"


def tsvector() -> str:
    """The expression the stored column holds on PostgreSQL (of its own row's ``search_text``)."""
    return f"to_tsvector('simple'::regconfig, {UNACCENT}(\"search_text\"))"


def _vector_matches(column: str) -> str:
    """``column`` (the stored vectors, as the query names them) has a word starting with the word given
    as the one parameter, ``word:*``."""
    return f"{column} @@ to_tsquery('simple'::regconfig, {UNACCENT}(%s))"


def matching_ids(table: str, word: str) -> RawSQL:
    """The ids of the rows of ``table`` whose search text has a word starting with ``word`` (one folded
    word of letters and digits, as ``search_text.search_words`` gives)."""
    if connection.vendor == "postgresql":
        sql = f"SELECT id FROM {_quote(table)} WHERE {_vector_matches(_quote(VECTOR_COLUMN))}"
        return RawSQL(sql, [f"{word}:*"])
    if connection.vendor == "sqlite":
        fts = _quote(f"{table}_fts")
        return RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [f'"{word}"*'])
    return RawSQL(f"SELECT id FROM {_quote(table)} WHERE search_text LIKE %s", [f"%{word}%"])


COMMON_WORD_ROWS = 2000
"""A word of a query found in more rows than this is tested row by row (``word_in``, ``in_rows``)."""


def is_common(table: str, word: str) -> bool:
    """Is ``word`` found in more than ``COMMON_WORD_ROWS`` rows of ``table``. SQLite asks its index,
    which stops counting past the limit. PostgreSQL gives the planner's estimate from the column's
    statistics (a fraction of a millisecond, where counting to the limit read 2,000 vectors: 12-14 ms
    a word and table); an estimate off the mark only chooses the slower of two right answers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {_quote(table)} "
                f"WHERE {_vector_matches(_quote(VECTOR_COLUMN))}",
                [f"{word}:*"],
            )
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"]) > COMMON_WORD_ROWS
    if connection.vendor != "sqlite":
        return False
    fts = _quote(f"{table}_fts")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH %s LIMIT %s)",
            [f'"{word}"*', COMMON_WORD_ROWS + 1],
        )
        return int(cursor.fetchone()[0]) > COMMON_WORD_ROWS


def in_rows(field: str, rows: Any, *, common: bool = False) -> Q:
    """``field`` among ``rows`` (a subquery of ids). For a common word (``is_common``) on SQLite the
    field is compared as ``field + 0``, which no index can answer: otherwise SQLite fetches every row the
    word matches by its id (30,000 for a word every listing has) and sorts them all for a page of 20,
    where reading the list's own index in order and testing each row stops after the page
    (120 → 30 ms)."""
    if not common or connection.vendor != "sqlite":
        return Q(**{f"{field}__in": rows})
    return Q(In(ExpressionWrapper(F(field) + 0, output_field=IntegerField()), rows))


class WordInRow(Func):
    """Whether the row of ``table`` whose id is ``field`` has a word starting with ``word``, asked of
    that one row (PostgreSQL): ``EXISTS (SELECT 1 FROM table WHERE id = field AND vector @@ word)``.

    For a common word, where ``field IN (the ids the word matches)`` reads and hashes the vectors of
    every row (100–160 ms for 30,000 listings, once for the page and again for its count, and once in
    each parallel worker), so that a search of the full network took 1.5–1.8 s under load. Asked row by
    row, a page stops after its 20 rows and a count tests only the rows its other filters leave. The
    field is an expression, so the outer row is named right however the query is nested. ``OFFSET 0``
    keeps PostgreSQL from turning the ``EXISTS`` back into a hashed set of every matching id (it does
    so for an ``EXISTS`` without one, when it expects many outer rows)."""

    output_field = BooleanField()

    def __init__(self, field: str, *, table: str, word: str) -> None:
        super().__init__(F(field))
        self.table, self.word = table, word

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"EXISTS (SELECT 1 FROM {_quote(self.table)} AS word_row WHERE word_row.id = {column} "
            f"AND {_vector_matches('word_row.' + _quote(VECTOR_COLUMN))} OFFSET 0)"
        )
        return sql, [*params, f"{self.word}:*"]


def word_in(field: str, table: str, word: str, *, common: bool = False) -> Q:
    """``field`` (an id of ``table``, or a foreign key to it) is a row in whose search text a word starts
    with ``word``. A common word (``is_common``) is tested row by row: ``WordInRow`` on PostgreSQL,
    ``in_rows`` on SQLite."""
    if common and connection.vendor == "postgresql":
        return Q(WordInRow(field, table=table, word=word))
    return in_rows(field, matching_ids(table, word), common=common)


# --- Creating the index (called by the migrations) ---------------------------------------------------


def install_unaccent(db: BaseDatabaseWrapper) -> None:
    """On PostgreSQL (after ``UnaccentExtension``): the immutable wrapper, naming the extension's schema so
    that it works whatever the search path (a restore runs with an empty one)."""
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
        schema = _quote(cursor.fetchone()[0])
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {UNACCENT}(text) RETURNS text "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
            f"AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
        )


def drop_unaccent(db: BaseDatabaseWrapper) -> None:
    if db.vendor == "postgresql":
        _run(db, [f"DROP FUNCTION IF EXISTS {UNACCENT}(text)"])


def _run(db: BaseDatabaseWrapper, statements: list[str]) -> None:
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def sqlite_statements(table: str) -> list[str]:
    """The FTS5 table over ``search_text`` of ``table``, its three triggers, and a rebuild from the table
    (so that it can run again after a migration that rebuilt the table and dropped its triggers)."""
    t, fts = _quote(table), _quote(f"{table}_fts")

    def trigger(event: str) -> str:
        return _quote(f"{table}_fts_{event}")

    remove = f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    add = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, content={t}, content_rowid=id, "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {trigger('insert')} AFTER INSERT ON {t} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {trigger('delete')} AFTER DELETE ON {t} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {trigger('update')} AFTER UPDATE OF search_text ON {t} "
        f"BEGIN {remove} {add} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def postgresql_statements(table: str) -> list[str]:
    """The stored vector column of ``table`` and its GIN index. The index on the expression that came
    before the column (migration 0003 of organisations, 0005 of mobility) is dropped if present."""
    t, column = _quote(table), _quote(VECTOR_COLUMN)
    return [
        f"DROP INDEX IF EXISTS {_quote(f'{table}_search_gin')}",
        f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {column} tsvector "
        f"GENERATED ALWAYS AS ({tsvector()}) STORED",
        f"CREATE INDEX IF NOT EXISTS {_quote(f'{table}_search_vector_gin')} ON {t} USING gin ({column})",
    ]


def install(db: BaseDatabaseWrapper, table: str) -> None:
    """The full-text index of ``table``, for the database ``db`` (nothing on others). Safe to run again."""
    if db.vendor not in ("postgresql", "sqlite"):
        return
    # The rows written without a search text, for the fallback of the searches.
    unsearched = _quote(f"{table}_unsearched")
    statements = [f"CREATE INDEX IF NOT EXISTS {unsearched} ON {_quote(table)} (id) WHERE search_text = ''"]
    if db.vendor == "postgresql":
        statements += postgresql_statements(table)
    else:
        statements += sqlite_statements(table)
    _run(db, statements)


def uninstall(db: BaseDatabaseWrapper, table: str) -> None:
    if db.vendor not in ("postgresql", "sqlite"):
        return
    statements = [f"DROP INDEX IF EXISTS {_quote(f'{table}_unsearched')}"]
    if db.vendor == "postgresql":
        statements += [
            f"DROP INDEX IF EXISTS {_quote(f'{table}_search_gin')}",
            f"DROP INDEX IF EXISTS {_quote(f'{table}_search_vector_gin')}",
            f"ALTER TABLE {_quote(table)} DROP COLUMN IF EXISTS {_quote(VECTOR_COLUMN)}",
        ]
    else:
        statements += [
            f"DROP TRIGGER IF EXISTS {_quote(f'{table}_fts_{event}')}"
            for event in ("insert", "delete", "update")
        ]
        statements.append(f"DROP TABLE IF EXISTS {_quote(f'{table}_fts')}")
    _run(db, statements)


def installed(table: str, db: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the index of ``table`` is in place: on SQLite the FTS5 table and its three triggers, on
    PostgreSQL the GIN index of the stored vectors; on both the index of the rows without a search text."""
    db = db or connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname IN (%s, %s)",
                [f"{table}_search_vector_gin", f"{table}_unsearched"],
            )
            return bool(cursor.fetchone()[0] == 2)
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE "
                "(type = 'trigger' AND tbl_name = %s AND name LIKE %s) "
                "OR (type = 'table' AND name = %s) OR (type = 'index' AND name = %s)",
                [table, f"{table}_fts_%", f"{table}_fts", f"{table}_unsearched"],
            )
            return bool(cursor.fetchone()[0] == 5)
    return True


def after_migrate(table: str, migration: tuple[str, str]) -> Callable[..., None]:
    """A ``post_migrate`` receiver that installs the index of ``table`` again where it is missing, once
    ``migration`` (the one that first made it) is applied."""

    def receiver(*, using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
        db = connections[using]
        if db.vendor not in ("sqlite", "postgresql") or installed(table, db):
            return
        if migration not in MigrationRecorder(db).applied_migrations():
            return
        install(db, table)

    return receiver

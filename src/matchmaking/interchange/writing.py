"""Writing a planned import: every row's values prepared before the transaction, executed inside it.

``prepare`` turns a ``bulk.Plan`` into SQL statements and their parameter rows, each value already
converted by its field as the ORM would (``pre_save`` then ``get_db_prep_save``), outside any
transaction. ``execute`` runs them inside the import's transaction with one ``executemany`` per
statement and batch, so the write lock is held for the database's own work only: inserting ten
thousand rows this way costs a fraction of what ``bulk_create`` spends in Python per row. The ids of
new rows are read back by key, and only they (and the foreign keys to new organisations) are filled in
inside the transaction.

The folded search text of the records (``organisations.search``, ``mobility.search``) is written with
them when an import writes at most ``SEARCH_TEXT_INLINE`` records. A larger import writes the rows
without it and queues ``tasks.fill_search_text`` for them in chunks once it has committed: computing it
costs more than the rest of the write, and on SQLite the full-text index's triggers would do their
work inside the import's transaction. Until the tasks have run, those records are found by name, city
and description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from matchmaking.core.models import AuditEvent
from matchmaking.core.tasks import enqueue_on_commit
from matchmaking.interchange import tasks
from matchmaking.interchange.bulk import (
    BATCH,
    OPPORTUNITY_SCALARS,
    OPPORTUNITY_TERMS,
    ORGANISATION_SCALARS,
    ORGANISATION_TERMS,
    STAGES,
    Plan,
    Progress,
    StalePlanError,
    chunks,
)
from matchmaking.interchange.rows import DbValues, existing_keys
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.search import opportunity_search_text, refresh_opportunity_search
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.search import organisation_search_text, refresh_organisation_search
from matchmaking.permissions.roles import AnyUser

SEARCH_TEXT_INLINE = 2_000
"""An import writing more organisations and opportunities than this leaves their search text to tasks."""

AUDIT_FIELDS = (
    "occurred_at", "actor", "actor_label", "action", "object_type", "object_id", "object_label",
    "organisation_id", "before", "after", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class _Insert:
    """An INSERT of many rows: ``sql`` for ``executemany`` on SQLite (the fastest way there); on
    PostgreSQL the rows are sent with COPY into ``table`` (``columns``), where a statement per row
    would cost a round trip each and client-side parameter quoting dominates."""

    sql: str
    table: str
    columns: tuple[str, ...]


@dataclass
class _Links:
    """One code list of one model: the rows to clear (changed records) and the links to insert."""

    delete_sql: str
    insert: _Insert
    cleared: list[int]
    pairs: list[tuple[int, str]]  # (term id, record key): the record's id is known once its row is in


@dataclass
class _Table:
    """The prepared writes of one model."""

    model: type[models.Model]
    insert: _Insert | None = None
    inserts: list[tuple[Any, list[Any]]] = field(default_factory=list)  # (record, values without id)
    owner_column: int | None = None  # an opportunity's organisation, which may be new
    update_sql: str = ""
    updates: list[list[Any]] = field(default_factory=list)  # values, then the id
    links: list[_Links] = field(default_factory=list)
    audit: list[tuple[Any, Any, list[Any]]] = field(default_factory=list)  # (record, organisation, values)


@dataclass
class Prepared:
    connection: BaseDatabaseWrapper
    plan: Plan
    tables: list[_Table]
    audit_insert: _Insert
    search_later: bool = False  # the search text is left to ``tasks.fill_search_text``


def _quote(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)


def _sql_insert(connection: BaseDatabaseWrapper, table: str, columns: Sequence[str]) -> _Insert:
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {q(table)} ({names}) VALUES ({marks})"  # noqa: S608 (model names)
    return _Insert(sql, table, tuple(columns))


def _link_insert(connection: BaseDatabaseWrapper, link: str, source: str, target: str) -> _Insert:
    """Links given as (record id, term id), the records' ids known once their rows are in."""
    return _sql_insert(connection, link, (source, target))


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class _Labels:
    """``str(record)`` of the audit events. An opportunity's is made of its organisation, type and
    direction (``Opportunity.__str__``), and working it out costs more than the rest of its row, so it
    is worked out once for each combination (a test keeps it equal to ``str``)."""

    def __init__(self) -> None:
        self.opportunities: dict[tuple[int, int | None, str], str] = {}

    def __call__(self, obj: Any) -> str:
        if not isinstance(obj, Opportunity):
            return str(obj)
        combination = (id(obj.organisation), obj.type_id, obj.direction)
        if combination not in self.opportunities:
            self.opportunities[combination] = str(obj)
        return self.opportunities[combination]


def prepare(*, actor: AnyUser, plan: Plan, progress: Progress | None = None) -> Prepared:
    """Every statement and value of the write, computed before the transaction, without a query."""
    connection = connections[router.db_for_write(Organisation)]
    user = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    by_name = {f.name: f for f in AuditEvent._meta.concrete_fields}
    audit_fields = [by_name[name] for name in AUDIT_FIELDS]
    tables = []
    written = sum(len(c.new) + len(c.changed) for c in (plan.organisations, plan.opportunities))
    search_later = written > SEARCH_TEXT_INLINE
    for model, changes, scalars, lists in (
        (Organisation, plan.organisations, ["kind", "region", *ORGANISATION_SCALARS], ORGANISATION_TERMS),
        (Opportunity, plan.opportunities, ["type", *OPPORTUNITY_SCALARS], OPPORTUNITY_TERMS),
    ):
        meta = model._meta
        table = _Table(model)
        inserted = [f for f in meta.concrete_fields if not f.primary_key]
        table.insert = _sql_insert(connection, meta.db_table, [str(f.column) for f in inserted])
        insert_values = DbValues(inserted, connection, now)
        if model is Opportunity:
            table.owner_column = [f.name for f in inserted].index("organisation")
        for obj in changes.new:
            # A new record's code lists are all in the plan: its search text is known before writing.
            found = changes.terms.get(obj.key, {})
            if search_later:
                obj.search_text = ""
            elif model is Organisation:
                obj.search_text = organisation_search_text(obj, found)
            else:
                obj.search_text = opportunity_search_text(obj, found)
            table.inserts.append((obj, insert_values(obj, True)))
        updated = [f for f in meta.concrete_fields if f.name in {*scalars, "updated_at"}]
        update_values = DbValues(updated, connection, now)
        assignments = ", ".join(f"{_quote(connection, str(f.column))} = %s" for f in updated)
        table.update_sql = f"UPDATE {_quote(connection, meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608
        for obj in changes.changed:
            obj.updated_at = now
            table.updates.append([*update_values(obj, False), obj.pk])
        for name in lists:
            relation = getattr(model, name)
            through = relation.through._meta
            source = through.get_field(relation.field.m2m_field_name()).column
            target = through.get_field(relation.field.m2m_reverse_field_name()).column
            delete = (
                f"DELETE FROM {_quote(connection, through.db_table)} WHERE {_quote(connection, source)} = %s"  # noqa: S608
            )
            wanted = [(changes.by_key[k], found[name]) for k, found in changes.terms.items() if name in found]
            table.links.append(
                _Links(
                    delete_sql=delete,
                    insert=_link_insert(connection, through.db_table, source, target),
                    cleared=[obj.pk for obj, _ in wanted if obj.pk is not None],
                    pairs=[(term.pk, obj.key) for obj, terms in wanted for term in terms],
                )
            )
        # The same for every event of the import: converted once.
        fixed = {
            "occurred_at": now, "actor": user.pk if user is not None else None,
            "actor_label": str(user) if user is not None else "system", "object_type": meta.label_lower,
            "object_id": "", "organisation_id": None, "reason": "",
        }  # fmt: skip
        fixed_row = {name: by_name[name].get_db_prep_save(value, connection) for name, value in fixed.items()}
        before_field, after_field = by_name["before"], by_name["after"]
        labels = _Labels()
        for obj, action, before, after in changes.audit:
            changed = {k: _plain(v) for k, v in before.items()}, {k: _plain(v) for k, v in after.items()}
            values: dict[str, Any] = {
                **fixed_row, "action": action, "object_label": labels(obj)[:300],
                "before": before_field.get_db_prep_save(changed[0], connection),
                "after": after_field.get_db_prep_save(changed[1], connection),
            }  # fmt: skip
            row = [values[name] for name in AUDIT_FIELDS]
            table.audit.append((obj, obj if model is Organisation else obj.organisation, row))
        tables.append(table)
        if progress is not None:
            progress(STAGES[1], sum(len(t.inserts) + len(t.updates) for t in tables), written)
    audit_insert = _sql_insert(connection, AuditEvent._meta.db_table, [str(f.column) for f in audit_fields])
    return Prepared(connection, plan, tables, audit_insert, search_later)


def execute(prepared: Prepared, progress: Progress | None = None) -> None:
    """Run the prepared writes: call inside the import's transaction (the whole import is one)."""
    _check_unchanged(prepared.plan.seen)
    connection = prepared.connection
    total = sum(len(t.inserts) + len(t.updates) for t in prepared.tables)
    done = 0
    object_id, organisation_id = AUDIT_FIELDS.index("object_id"), AUDIT_FIELDS.index("organisation_id")
    with connection.cursor() as cursor:
        for table, changes in zip(
            prepared.tables, (prepared.plan.organisations, prepared.plan.opportunities), strict=True
        ):
            rows = []
            for obj, values in table.inserts:
                if table.owner_column is not None:
                    values[table.owner_column] = obj.organisation.pk  # known now if the owner is new too
                rows.append(values)
            _insert_many(cursor, connection, table.insert, rows)
            _read_back_ids(connection, table)
            _executemany(cursor, table.update_sql, table.updates)
            ids = {key: obj.pk for key, obj in changes.by_key.items()}
            for links in table.links:
                _executemany(cursor, links.delete_sql, [(pk,) for pk in links.cleared])
                _insert_many(cursor, connection, links.insert, [(ids[k], t) for t, k in links.pairs])
            audit = []
            for obj, owner, values in table.audit:
                values[object_id], values[organisation_id] = str(obj.pk), owner.pk
                audit.append(values)
            _insert_many(cursor, connection, prepared.audit_insert, audit)
            done += len(table.inserts) + len(table.updates)
            if progress is not None:
                progress(STAGES[2], done, total)
    organisations, opportunities = prepared.plan.organisations, prepared.plan.opportunities
    if prepared.search_later:
        _fill_search_text_later(
            [obj.pk for obj in (*organisations.new, *organisations.changed)],
            [obj.pk for obj in (*opportunities.new, *opportunities.changed)],
        )
        return
    # A changed record's search text follows the names, places and code lists just written.
    refresh_organisation_search(obj.pk for obj in organisations.changed)
    refresh_opportunity_search(obj.pk for obj in opportunities.changed)


def _fill_search_text_later(organisation_ids: list[int], opportunity_ids: list[int]) -> None:
    """Queue the search text of these records, ``tasks.CHUNK`` records a task, after the commit."""
    for part in chunks(organisation_ids, tasks.CHUNK):
        enqueue_on_commit(tasks.fill_search_text, list(part), [])
    for part in chunks(opportunity_ids, tasks.CHUNK):
        enqueue_on_commit(tasks.fill_search_text, [], list(part))


def _insert_many(
    cursor: Any, connection: BaseDatabaseWrapper, insert: _Insert | None, rows: Sequence[Sequence[Any]]
) -> None:
    if insert is None or not rows:
        return
    if connection.vendor != "postgresql":
        _executemany(cursor, insert.sql, rows)
        return
    q = connection.ops.quote_name
    copy_sql = f"COPY {q(insert.table)} ({', '.join(q(c) for c in insert.columns)}) FROM STDIN"
    with cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(cursor: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    for part in chunks(rows, 5 * BATCH):
        cursor.executemany(sql, part)


def _read_back_ids(connection: BaseDatabaseWrapper, table: _Table) -> None:
    """Give the new records their ids (and make them saved instances for the exchanges that follow)."""
    if not table.inserts:
        return
    by_key = {obj.key: obj for obj, _ in table.inserts}
    for key, pk in existing_keys(table.model, by_key).items():
        obj = by_key[key]
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    for obj, _ in table.inserts:
        if table.owner_column is not None:
            obj.organisation_id = obj.organisation.pk


def _check_unchanged(seen: dict[tuple[str, str], datetime | None]) -> None:
    """Raise ``StalePlanError`` if a planned record was changed, created or deleted since it was read.

    Run first inside the write transaction; on PostgreSQL the rows stay locked until it ends (on
    SQLite the transaction holds the database's write lock already).
    """
    for label, model in (("organisation", Organisation), ("opportunity", Opportunity)):
        new = [key for (kind, key), when in seen.items() if kind == label and when is None]
        created = existing_keys(model, new)
        if created:
            raise StalePlanError(f"{label} {min(created)!r}")
        keys = sorted(key for (kind, key), when in seen.items() if kind == label and when is not None)
        now: dict[str, datetime] = {}
        for part in chunks(keys):
            rows = model.objects.select_for_update().filter(key__in=part).values_list("key", "updated_at")
            now.update(dict(rows))
        for key in keys:
            if now.get(key) != seen[(label, key)]:
                raise StalePlanError(f"{label} {key!r}")

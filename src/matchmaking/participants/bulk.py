"""Participants of a spreadsheet import: prepared in memory, then written in one short transaction.

``prepare`` reads only. It loads the participants the rows name (by organisation and reference), their
identifying details, languages and skills, and applies every row in memory exactly as
``participant_create``/``participant_update``/``identity_update``/``language_set``/``skill_add``
would, with the same audit rows and access-log rows (one per record and change, as those services
write them), new pseudonyms included. ``write`` then inserts and updates everything with one
``bulk_create``/``bulk_update`` per model and batch, inside the caller's transaction, after checking
that nobody changed or created a planned participant meanwhile (``StaleImportError`` otherwise, and the
caller prepares again).

A row that names the same reference as an earlier row of the file updates the record that row creates,
as it did when rows were saved one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import _plain as audit_value
from matchmaking.core.models import AuditEvent, PersonalDataAccess
from matchmaking.participants.access import can_edit_participant
from matchmaking.participants.clock_dates import clock_dates_refresh
from matchmaking.participants.esco_lookup import esco_version
from matchmaking.participants.models import (
    Participant,
    ParticipantIdentity,
    ParticipantLanguage,
    ParticipantSkill,
    new_pseudonym,
)
from matchmaking.participants.services import PROFILE_FIELDS, age_group_for

BATCH = 500
"""Rows per INSERT/UPDATE statement (fewer where the database allows fewer parameters) and keys per
``IN (...)`` lookup."""

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

UPDATED_FIELDS = (*PROFILE_FIELDS, "region", "barriers", "age_group", "updated_at")
IDENTITY_FIELDS = (*ParticipantIdentity.PERSONAL_FIELDS, "preferred_language")


class StaleImportError(Exception):
    """A planned record was changed or created by someone else before the write began."""


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def audit_event(
    *, actor: User | None, action: str, obj: models.Model, before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None, organisation_id: int | None = None, now: datetime,
) -> AuditEvent:  # fmt: skip
    """The row ``core.audit.audit_record`` writes, unsaved; its ``object_id`` is set by ``fill_ids``
    once the object has one."""
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent(
        occurred_at=now,
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk) if obj.pk is not None else "",
        object_label=str(obj)[:300],
        organisation_id=organisation_id,
        before=audit_value(before or {}),
        after=audit_value(after or {}),
        reason="",
    )


def access_row(
    *, actor: User | None, subject: models.Model, fields: Iterable[str], purpose: str, path: str,
    now: datetime,
) -> PersonalDataAccess:  # fmt: skip
    """The row ``core.access_log.access_log_record`` writes for a change inside a transaction, unsaved."""
    authenticated = actor is not None and actor.is_authenticated
    return PersonalDataAccess(
        occurred_at=now,
        user=actor if authenticated else None,
        user_label=str(actor) if authenticated else "system",
        kind=PersonalDataAccess.CHANGE,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk) if subject.pk is not None else "",
        fields=list(fields),
        purpose=purpose,
        path=path[:300],
    )


@dataclass
class Statement:
    """One INSERT or UPDATE and its parameter rows, every value converted as the ORM converts it (the
    field's ``pre_save`` then ``get_db_prep_save``) before the transaction. ``links`` are the cells
    that take the id of a record inserted inside the transaction (a new participant's), filled in
    just before the statement runs."""

    sql: str
    rows: list[list[Any]] = field(default_factory=list)
    links: list[tuple[list[Any], int, models.Model, bool]] = field(default_factory=list)

    def run(self) -> None:
        """Execute with one ``executemany`` per batch; call inside the transaction."""
        for row, column, target, as_text in self.links:
            row[column] = str(target.pk) if as_text else target.pk
        if not self.rows:
            return
        with connections[router.db_for_write(Participant)].cursor() as cursor:
            for part in chunks(self.rows, 5 * BATCH):
                cursor.executemany(self.sql, part)


def insert_statement(
    model: type[M], objs: Sequence[M], link: str | None = None, targets: Sequence[models.Model] = ()
) -> Statement:
    """INSERT ``objs``; the field ``link`` of each takes the id of the matching ``targets`` item (a
    foreign key, or a text field such as an audit row's ``object_id``)."""
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names, marks = ", ".join(q(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields))
    statement = Statement(f"INSERT INTO {q(model._meta.db_table)} ({names}) VALUES ({marks})")  # noqa: S608
    column = next((i for i, f in enumerate(fields) if f.name == link), None)
    as_text = column is not None and not fields[column].is_relation
    for n, obj in enumerate(objs):
        row = [
            None if i == column else f.get_db_prep_save(f.pre_save(obj, True), connection)
            for i, f in enumerate(fields)
        ]
        statement.rows.append(row)
        if column is not None:
            statement.links.append((row, column, targets[n], as_text))
    return statement


def update_statement(model: type[M], objs: Sequence[M], names: Sequence[str]) -> Statement:
    """UPDATE the fields ``names`` of the stored ``objs``, one parameter row each."""
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{q(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    pk = q(str(model._meta.pk.column))
    statement = Statement(f"UPDATE {q(model._meta.db_table)} SET {assignments} WHERE {pk} = %s")  # noqa: S608
    for obj in objs:
        row = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]  # type: ignore[union-attr]
        statement.rows.append([*row, obj.pk])
    return statement


@dataclass
class Logged:
    """Audit and access-log rows in the order the services would write them, with their subjects."""

    audit: list[tuple[AuditEvent, models.Model]] = field(default_factory=list)
    access: list[tuple[PersonalDataAccess, models.Model]] = field(default_factory=list)

    def event(self, obj: models.Model, **values: Any) -> None:
        self.audit.append((audit_event(obj=obj, **values), obj))

    def change(self, subject: models.Model, **values: Any) -> None:
        self.access.append((access_row(subject=subject, **values), subject))

    def statements(self) -> list[Statement]:
        """The two INSERTs, their ``object_id``/``subject_id`` filled in once the subjects have ids."""
        return [
            insert_statement(
                AuditEvent, [e for e, _o in self.audit], "object_id", [o for _e, o in self.audit]
            ),
            insert_statement(
                PersonalDataAccess, [r for r, _s in self.access], "subject_id", [s for _r, s in self.access]
            ),
        ]


@dataclass
class _Record:
    participant: Participant
    identity: ParticipantIdentity | None
    languages: dict[str, ParticipantLanguage]
    skills: dict[str, ParticipantSkill]


@dataclass
class Prepared:
    records: list[_Record] = field(default_factory=list)
    logged: Logged = field(default_factory=Logged)
    seen: dict[int, datetime] = field(default_factory=dict)  # stored participant id -> updated_at
    new_references: set[tuple[int, str]] = field(default_factory=set)
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)  # run after the new participants' INSERT
    touched: set[int] = field(default_factory=set)  # id() of the language and skill rows the file sets


def _by_reference(items: Sequence[dict[str, Any]]) -> dict[tuple[int, str], Participant]:
    """The stored participants the rows name, the first by pseudonym where a reference repeats."""
    wanted = sorted({(i["organisation"].pk, i["reference"]) for i in items if i["reference"]})
    found: dict[tuple[int, str], Participant] = {}
    for part in chunks(wanted):
        rows = Participant.objects.filter(
            organisation_id__in={o for o, _r in part}, reference__in={r for _o, r in part}
        ).select_related("organisation")
        for participant in rows.order_by("pseudonym"):
            found.setdefault((participant.organisation_id, participant.reference), participant)
    return found


def _children(model: type[M], ids: list[int]) -> list[M]:
    rows: list[M] = []
    for part in chunks(ids):
        rows.extend(model._default_manager.filter(participant_id__in=part))
    return rows


def _pseudonyms(count: int) -> Iterator[str]:
    """``count`` new pseudonyms, none stored yet and none repeated."""
    made: set[str] = set()
    while len(made) < count:
        wanted = {new_pseudonym() for _n in range(count - len(made))} - made
        for part in chunks(sorted(wanted)):
            wanted -= set(Participant.objects.filter(pseudonym__in=part).values_list("pseudonym", flat=True))
        made |= wanted
    return iter(list(made))


def prepare(*, actor: User, items: Sequence[dict[str, Any]], path: str = "import") -> Prepared:
    """Apply every checked row (``importing._check_participant``'s dict and its ``row``) in memory."""
    now = timezone.now()
    prepared = Prepared()
    stored = _by_reference(items)
    ids = [p.pk for p in stored.values()]
    identities = {i.participant_id: i for i in _children(ParticipantIdentity, ids)}
    languages: dict[int, dict[str, ParticipantLanguage]] = {pk: {} for pk in ids}
    for language in _children(ParticipantLanguage, ids):
        languages[language.participant_id][language.code] = language
    skills: dict[int, dict[str, ParticipantSkill]] = {pk: {} for pk in ids}
    for skill in _children(ParticipantSkill, ids):
        skills[skill.participant_id][skill.uri] = skill
    for participant in stored.values():
        prepared.seen[participant.pk] = participant.updated_at
    records: dict[tuple[int, str], _Record] = {
        key: _Record(p, identities.get(p.pk), languages[p.pk], skills[p.pk]) for key, p in stored.items()
    }
    pseudonyms = _pseudonyms(len(items))
    version = esco_version()
    logged = prepared.logged
    for item in items:
        organisation = item["organisation"]
        key = (organisation.pk, item["reference"]) if item["reference"] else None
        record = records.get(key) if key else None
        if record is None:
            record = _create(actor, item, next(pseudonyms), path, now, logged)
            prepared.created += 1
            if key:
                records[key] = record
                prepared.new_references.add(key)
        else:
            if record.participant.pk is not None and not can_edit_participant(actor, record.participant):
                prepared.problems.append(
                    _("Row %(row)d, reference %(value)r: you may not change this participant")
                    % {"row": item["row"], "value": item["reference"]}
                )
                continue
            _update(actor, record, item, now, logged)
            prepared.updated += 1
        prepared.records.append(record)
        participant = record.participant
        for language in item["languages"]:
            code, level = language["code"], language["level"]
            row = record.languages.get(code) or ParticipantLanguage(participant=participant, code=code)
            row.level = level.upper()
            record.languages[code] = row
            prepared.touched.add(id(row))
            logged.event(
                participant,
                actor=actor,
                action="participant.language",
                after={code: level},
                organisation_id=organisation.pk,
                now=now,
            )
        for skill, how in item["skills"]:
            uri = skill["uri"]
            entry = record.skills.get(uri)
            action = "skill.update" if entry is not None else "skill.add"
            entry = entry or ParticipantSkill(participant=participant, uri=uri)
            entry.label, entry.how = skill["label"][:300], how
            entry.source = "qualification" if how == "formal" else "other"
            entry.evidence, entry.validated = _("Imported"), False
            entry.esco_version, entry.added_by = version, actor
            record.skills[uri] = entry
            prepared.touched.add(id(entry))
            logged.event(
                participant,
                actor=actor,
                action=action,
                now=now,
                organisation_id=organisation.pk,
                after={"skill": uri, "how": how, "validated": False},
            )
    if not prepared.problems:
        prepared.statements = _statements(prepared)
    return prepared


def _statements(prepared: Prepared) -> list[Statement]:
    """Every INSERT and UPDATE after the new participants', prepared before the transaction."""
    records = list({id(r.participant): r for r in prepared.records}.values())
    stored = [r.participant for r in records if r.participant.pk is not None]
    statements = [update_statement(Participant, stored, UPDATED_FIELDS)]
    skill_fields = ("label", "how", "source", "evidence", "validated", "esco_version", "added_by")
    touched = prepared.touched  # the stored rows the file leaves alone are not written
    for model, rows, fields in (
        (ParticipantIdentity, [r.identity for r in records if r.identity is not None], IDENTITY_FIELDS),
        (
            ParticipantLanguage,
            [x for r in records for x in r.languages.values() if id(x) in touched],
            ("level",),
        ),
        (ParticipantSkill, [x for r in records for x in r.skills.values() if id(x) in touched], skill_fields),
    ):
        new = [row for row in rows if row.pk is None]
        statements.append(insert_statement(model, new, "participant", [row.participant for row in new]))
        statements.append(update_statement(model, [row for row in rows if row.pk is not None], fields))
    return [*statements, *prepared.logged.statements()]


def _identity(
    participant: Participant, identity: ParticipantIdentity | None, values: dict[str, Any]
) -> ParticipantIdentity:
    """What ``services._write_identity`` stores, in memory; the participant's age group follows."""
    record = identity or ParticipantIdentity(
        participant=participant, given_name=values.get("given_name") or "?"
    )
    for name in IDENTITY_FIELDS:
        if name in values:
            setattr(record, name, values[name] or ("" if name != "date_of_birth" else None))
    record.full_clean(exclude=["participant"], validate_unique=False, validate_constraints=False)
    on = participant.clock_start_on or participant.registered_on
    participant.age_group = age_group_for(record.date_of_birth, on)
    return record


def _create(
    actor: User, item: dict[str, Any], pseudonym: str, path: str, now: datetime, logged: Logged
) -> _Record:
    """As ``participant_create`` with the row's identifying details."""
    organisation = item["organisation"]
    profile = {k: item["profile"][k] for k in PROFILE_FIELDS if k in item["profile"]}
    profile.setdefault("registered_on", timezone.localdate())
    participant = Participant(
        organisation=organisation, key_worker=actor, pseudonym=pseudonym, region=None, **profile
    )
    participant.created_at = participant.updated_at = now
    identity = _identity(participant, None, item["identity"])
    logged.event(
        participant,
        actor=actor,
        action="participant.create",
        organisation_id=organisation.pk,
        after={name: getattr(participant, name) for name in PROFILE_FIELDS},
        now=now,
    )
    fields = ["profile", *sorted(item["identity"])]
    logged.change(participant, actor=actor, fields=fields, purpose="registration", path=path, now=now)
    return _Record(participant, identity, {}, {})


def _update(actor: User, record: _Record, item: dict[str, Any], now: datetime, logged: Logged) -> None:
    """As ``participant_update`` then ``identity_update`` (the region cleared, as the import gives none)."""
    participant = record.participant
    before = {name: getattr(participant, name) for name in PROFILE_FIELDS}
    for name in PROFILE_FIELDS:
        if name in item["profile"]:
            setattr(participant, name, item["profile"][name])
    participant.region = None
    if not participant.fewer_opportunities:
        participant.barriers = []
    participant.updated_at = now
    record.identity = _identity(participant, record.identity, item["identity"])
    organisation_id = participant.organisation_id
    after = {name: getattr(participant, name) for name in PROFILE_FIELDS}
    identity_fields = sorted(item["identity"])
    logged.event(
        participant,
        actor=actor,
        action="participant.update",
        before=before,
        after=after,
        organisation_id=organisation_id,
        now=now,
    )
    logged.change(participant, actor=actor, fields=["profile"], purpose="case work", path="", now=now)
    logged.event(
        participant,
        actor=actor,
        action="participant.identity-update",
        after={"fields": identity_fields},
        organisation_id=organisation_id,
        now=now,
    )
    logged.change(participant, actor=actor, fields=identity_fields, purpose="case work", path="", now=now)


def check_unchanged(prepared: Prepared) -> None:
    """Raise ``StaleImportError`` if a planned participant was changed or deleted, or a participant
    with a reference the import creates was created, since ``prepare``. Call first inside the write
    transaction (on PostgreSQL the stored rows stay locked until it ends)."""
    ids = sorted(prepared.seen)
    now: dict[int, datetime] = {}
    for ids_part in chunks(ids):
        stored = Participant.objects.select_for_update().filter(pk__in=ids_part)
        now.update(dict(stored.values_list("pk", "updated_at")))
    if any(now.get(pk) != seen for pk, seen in prepared.seen.items()):
        raise StaleImportError("participant changed")
    wanted = sorted(prepared.new_references)
    for part in chunks(wanted):
        created = Participant.objects.filter(
            organisation_id__in={o for o, _r in part}, reference__in={r for _o, r in part}
        ).values_list("organisation_id", "reference")
        if prepared.new_references.intersection(created):
            raise StaleImportError("participant created")


def write(prepared: Prepared) -> None:
    """Insert the new participants (``bulk_create``, which gives them their ids), then run every
    prepared statement; call inside the import's transaction."""
    check_unchanged(prepared)
    new = list(
        {id(r.participant): r.participant for r in prepared.records if r.participant.pk is None}.values()
    )
    Participant.objects.bulk_create(new, batch_size=BATCH)
    for statement in prepared.statements:
        statement.run()
    # Bulk writes skip ``Participant.save``: the clock's stored dates of everyone written, in bulk too.
    clock_dates_refresh(participant_ids=[r.participant.pk for r in prepared.records if r.participant.pk])

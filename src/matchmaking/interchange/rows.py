"""What the bulk import does to every row, with the per-row costs of the ORM taken out.

- ``existing_keys``: which keys of a table exist, by plain ``SELECT ... IN`` batches (the ORM prepares
  each of thousands of parameters one by one).
- ``Builder``: new model instances made from a row of values in field order (the constructor's fast
  path), the defaults worked out once per import.
- ``FieldCheck``: the checks of ``Model.full_clean`` on the fields an import sets (the same
  ``Field.clean`` and so the same messages), a value already found valid for a field not checked again.
- ``DbValues``: each field's value converted for the database as ``Field.get_db_prep_save`` does, with
  the conversion skipped for plain text, numbers and ids, which it leaves as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)

BATCH = 500
"""Rows per INSERT/UPDATE statement and keys per ``IN (...)`` lookup."""


def chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_keys(model: type[models.Model], keys: Iterable[str]) -> dict[str, int]:
    """The id of every row of ``model`` whose ``key`` is among ``keys``."""
    connection = connections[router.db_for_read(model)]
    q = connection.ops.quote_name
    table, key = q(model._meta.db_table), q("key")
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for part in chunks(sorted(set(keys)), BATCH):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT {key}, id FROM {table} WHERE {key} IN ({marks})", list(part))  # noqa: S608
            found.update(cursor.fetchall())
    return found


class Builder(Generic[M]):
    """New instances of ``model`` from keyword values, like ``model(**values)`` but built positionally."""

    def __init__(self, model: type[M], **fixed: Any) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        # A default given as a callable (``list``, ``timezone.now``) is called for each instance; every
        # other default (a constant, or the field's own "" or None) is worked out once.
        self.callable_defaults = [
            (i, f) for i, f in enumerate(self.fields) if f.has_default() and callable(f.default)
        ]
        called = {i for i, _ in self.callable_defaults}
        self.template = [None if i in called else f.get_default() for i, f in enumerate(self.fields)]
        for name, value in fixed.items():
            self.template[self.index[name]] = value

    def __call__(self, **values: Any) -> M:
        row = list(self.template)
        for i, f in self.callable_defaults:
            row[i] = f.get_default()
        for name, value in values.items():
            row[self.index[name]] = value
        return self.model(*row)


_HASHABLE = (str, int, bool, float, type(None))


class FieldCheck:
    """``Model.clean_fields`` on ``names`` only, remembering the values found valid for each field."""

    def __init__(self, model: type[models.Model], names: Iterable[str]) -> None:
        wanted = set(names)
        self.fields = [
            f for f in model._meta.fields if f.name in wanted and not getattr(f, "generated", False)
        ]
        self.valid: set[tuple[str, type, Any]] = set()

    def __call__(self, obj: models.Model) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for f in self.fields:
            raw = getattr(obj, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            seen = (f.name, type(raw), raw) if type(raw) in _HASHABLE else None
            if seen is not None and seen in self.valid:
                continue
            try:
                cleaned = f.clean(raw, obj)
            except ValidationError as exc:
                errors[f.name] = exc.error_list
                continue
            setattr(obj, f.attname, cleaned)
            if seen is not None and type(cleaned) is type(raw) and cleaned == raw:
                self.valid.add(seen)
        if errors:
            raise ValidationError(errors)


# Fields whose database value is the Python value itself when it is text, a number or None.
_PLAIN_FIELDS = (
    models.CharField, models.TextField, models.SlugField, models.EmailField, models.URLField,
    models.IntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.SmallIntegerField, models.BigIntegerField, models.BooleanField, models.ForeignKey,
)  # fmt: skip
_PLAIN_VALUES = (str, int, bool, type(None))


class DbValues:
    """The database values of ``fields`` for a row, as ``f.get_db_prep_save(f.pre_save(obj, add))``."""

    def __init__(
        self, fields: Sequence[models.Field[Any, Any]], connection: BaseDatabaseWrapper, now: datetime
    ) -> None:
        self.connection = connection
        self.fields = [(f, self._plain(f)) for f in fields]
        # ``auto_now``/``auto_now_add`` fields take the import's one time (their ``pre_save`` would take
        # the clock's for each row), converted once.
        stamped = [f for f in fields if type(f) is models.DateTimeField and (f.auto_now or f.auto_now_add)]
        self.now = now
        self.db_now = {f.attname: f.get_db_prep_save(now, connection) for f in stamped}

    @staticmethod
    def _stamped(f: models.Field[Any, Any], add: bool) -> bool:
        return type(f) is models.DateTimeField and (f.auto_now or (add and f.auto_now_add))

    @staticmethod
    def _plain(f: models.Field[Any, Any]) -> bool:
        """Whether ``pre_save`` is reading the attribute and ``get_db_prep_save`` returns plain values
        unchanged: Django's own text, number, boolean and foreign-key fields (not subclasses of them
        with conversions of their own, such as dates, decimals or JSON)."""
        if type(f) not in _PLAIN_FIELDS:
            return False
        if isinstance(f, models.ForeignKey):
            return type(f.target_field) in (models.AutoField, models.BigAutoField)
        return True

    def __call__(self, obj: models.Model, add: bool) -> list[Any]:
        row = []
        for f, plain in self.fields:
            if self._stamped(f, add):
                setattr(obj, f.attname, self.now)
                row.append(self.db_now[f.attname])
                continue
            if plain:
                value = getattr(obj, f.attname)
                if type(value) in _PLAIN_VALUES:
                    row.append(value)
                    continue
            row.append(f.get_db_prep_save(f.pre_save(obj, add), self.connection))
        return row

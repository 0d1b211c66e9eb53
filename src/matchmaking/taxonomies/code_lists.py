"""The code lists' terms, kept in each process between requests.

Terms change only when an administrator edits one or ``taxonomy_sync`` loads the files after a
migration, yet a list page reads hundreds of them per request: the search form's choices, and each
row's topics and languages, their labels in six languages decoded from JSON every time (a fifth of the
servers' CPU under the load test, docs/benchmarks.md).

Every saved or deleted term moves a version kept in the shared cache (the database cache in
production, so every process sees it); a process compares it at most once every ``CHECK_SECONDS`` and
reads all terms again (a few hundred rows) when it moved. The process that saved the term drops its
copy at once, so what a person just changed is what that person sees next.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet

from matchmaking.taxonomies.models import Term

logger = logging.getLogger(__name__)

VERSION_KEY = "taxonomies:code-lists-version"
CHECK_SECONDS = 2.0


@dataclass
class _Kept:
    version: str | None
    by_id: dict[int, Term]
    active: dict[str, list[Term]]
    checked_at: float = field(default_factory=time.monotonic)


_kept: _Kept | None = None
_reading = threading.Lock()


def term_by_id() -> dict[int, Term]:
    """Every term, active or retired (old records still point at retired ones), by primary key."""
    return _current().by_id


def active_terms(scheme: str) -> list[Term]:
    """The active terms of a code list in the list's order, as ``Term.objects.of(scheme)`` gives them."""
    return _current().active.get(scheme, [])


def term_choices_of(scheme: str) -> list[tuple[str, str]]:
    """(code, label in the active language) of a code list's active terms, for a form's choices."""
    return [(t.code, t.label) for t in active_terms(scheme)]


def by_position(term: Term) -> tuple[int, str]:
    return (term.position, term.code)


def by_code(term: Term) -> str:
    return term.code


def attach_terms(rows: Sequence[models.Model], relation: str, order: Callable[[Term], Any]) -> None:
    """Give each of ``rows`` its ``relation``'s terms (a many-to-many field to ``Term``) as Django's
    prefetch would, so ``row.<relation>.all()`` asks nothing more of the database; the pairs of ids
    are read in one query and the terms come from the kept ones. Django's prefetch builds a filtered
    query set for each row and decodes every term's labels again: 13 against 6 ms for 50 listings
    with three code lists (docs/benchmarks.md)."""
    if not rows:
        return
    many = type(rows[0])._meta.get_field(relation)
    assert isinstance(many, models.ManyToManyField), relation
    own, other = many.m2m_field_name(), many.m2m_reverse_field_name()
    through = many.remote_field.through
    assert through is not None, relation
    pairs = list(
        through._default_manager.filter(**{f"{own}_id__in": [row.pk for row in rows]}).values_list(
            f"{own}_id", f"{other}_id"
        )
    )
    terms = term_by_id()
    if any(term not in terms for _, term in pairs):  # added in another process since this one looked
        terms = _read(_version()).by_id
    found: dict[int, list[Term]] = defaultdict(list)
    for owner, term in pairs:
        found[owner].append(terms[term])
    for row in rows:
        shown: QuerySet[Term] = QuerySet(model=Term)
        shown._result_cache = sorted(found.get(row.pk, ()), key=order)
        shown._prefetch_done = True  # type: ignore[attr-defined]
        if not hasattr(row, "_prefetched_objects_cache"):
            row._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        row._prefetched_objects_cache[relation] = shown  # type: ignore[attr-defined]


_Row = TypeVar("_Row", bound=models.Model)


class WithTerms(Generic[_Row]):
    """A list's query set whose pages come with their rows' code-list terms (``attach_terms``), for a
    paginator: it counts the query set and cuts it, and only the rows of the page get their terms."""

    def __init__(self, rows: QuerySet[_Row], **relations: Callable[[Term], Any]) -> None:
        self.rows = rows
        self.relations = relations

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[_Row]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> _Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[_Row]: ...
    def __getitem__(self, index: int | slice) -> _Row | list[_Row]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        page = list(self.rows[index])
        for relation, order in self.relations.items():
            attach_terms(page, relation, order)
        return page


def code_lists_changed(**_kwargs: object) -> None:
    """Drop this process's copy and move the shared version once the change is committed, so every
    process reads the terms again."""
    global _kept
    _kept = None
    transaction.on_commit(_move_version)


def forget() -> None:
    """Drop this process's copy (tests roll back the terms they made; the next read sees that)."""
    global _kept
    _kept = None


def _move_version() -> None:
    global _kept
    _kept = None
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except DatabaseError:
        # The first ``migrate`` loads the code lists before the cache's table exists; no process
        # keeps terms yet, so there is nobody to tell.
        logger.info("code lists changed before the cache table exists")


def _version() -> str | None:
    try:
        found = cache.get(VERSION_KEY)
    except DatabaseError:  # no cache table yet (a fresh database): read the terms each time
        return uuid.uuid4().hex
    return found if isinstance(found, str) else None


def _current() -> _Kept:
    kept = _kept
    now = time.monotonic()
    if kept is not None and now - kept.checked_at < CHECK_SECONDS:
        return kept
    version = _version()
    if kept is not None and kept.version == version:
        kept.checked_at = now
        return kept
    return _read(version)


def _read(version: str | None) -> _Kept:
    global _kept
    with _reading:
        terms = list(Term.objects.order_by("scheme", "position", "code"))
        active: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            if term.active:
                active[term.scheme].append(term)
        kept = _Kept(version=version, by_id={t.pk: t for t in terms}, active=dict(active))
        _kept = kept
        return kept


def terms_of(scheme: str, codes: Iterable[str]) -> list[Term]:
    """The active terms of ``scheme`` whose code is in ``codes``, in the list's order."""
    wanted = set(codes)
    return [t for t in active_terms(scheme) if t.code in wanted]

"""Writing a chunk of refreshed suggestion lists: rows as tuples, one INSERT run (or COPY) over all of them.

Building a model instance per suggestion and letting ``bulk_create`` turn it back into values cost
about as much as scoring the list (25 suggestions and their invitations a list, 750,000 rows in a
full refresh at 30,000 opportunities). Here each row is a tuple of the values the database receives
(the JSON fields prepared by the model's own fields, so SQLite and PostgreSQL get what the ORM would
send them), and a chunk is written in one short transaction: one DELETE of the chunk's old
suggestions, one ``executemany`` of a single INSERT, the same for the chunk's runs. PostgreSQL
receives the rows through ``COPY`` instead: its server spent 210 µs a row on the pipelined INSERTs
(each parsed, planned and executed on its own) and spends 160 µs with COPY, of which about 85 µs were
the table's three reference checks (COPY goes through them as INSERT does; two of them are gone, see
``Suggestion``).

The JSON of the breakdowns and reasons (two documents a row) is encoded with orjson: the standard
library's encoder was an eighth of a full refresh. The values read back are the same; the stored text
is compact UTF-8 rather than ``json.dumps``' spaced ASCII, which every reader of a JSON field accepts.
Reasons are kept without their English text (``Reason.as_stored``): every reader renders them in its
own language from the template and parameters, and the text was a third of a row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet

from matchmaking.core.statistics import table_statistics_refresh
from matchmaking.engine.partners import PartnerSuggestion
from matchmaking.engine.reasons import Reason
from matchmaking.engine.scoring import ScorePart
from matchmaking.mobility.models import Opportunity, Suggestion, SuggestionRun
from matchmaking.organisations.models import Organisation

Row = tuple[Any, ...]

_COLUMNS = ("opportunity_id", "rank", "organisation_id", "their_opportunity_id", "score", "parts", "reasons",
            "computed_at")  # fmt: skip
_RUN_COLUMNS = ("opportunity_id", "computed_at", "candidates", "written_at", "fingerprint")


def suggestion_rows(
    opportunity_id: int,
    found: Sequence[PartnerSuggestion],
    orgs: dict[str, int],
    opps: dict[str, int],
    now: Any,
) -> list[Row]:
    """The rows ``matching._rows`` would store for ``found``, as tuples in ``_COLUMNS`` order
    (``now`` already prepared for the database, see ``prepared_now``)."""
    as_json = json_text_parameter()
    rows: list[Row] = []
    for rank, s in enumerate(found, start=1):
        if s.organisation not in orgs or (s.opportunity and s.opportunity not in opps):
            continue
        rows.append(
            (
                opportunity_id,
                rank,
                orgs[s.organisation],
                opps.get(s.opportunity) if s.opportunity else None,
                s.score,
                as_json(_ENCODED.array(s.parts, _part_dict)),
                as_json(_ENCODED.array(s.reasons, Reason.as_stored)),
                now,
            )
        )
    return rows


def _part_dict(part: ScorePart) -> dict[str, Any]:
    return {"name": part.name, "fit": part.fit, "weight": part.weight, "points": part.points}


class _Encoded:
    """The JSON of each breakdown line and reason, encoded once for every list it appears in.

    The engine shares these immutable objects (a reason with the same parameters, a line with the same
    fit, is one object), and a full refresh writes the same few thousand of them in 750,000 rows:
    encoding each object once and joining the pieces gives the same text as encoding every list.
    Kept by identity (a reason's parameters are a dict, so it has no hash), with the object itself so
    that an id is not mistaken after its object is gone, and bounded.
    """

    LIMIT = 20_000
    """At most this many kept (about 12 MB in a worker that keeps running)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[object, bytes]] = {}

    def array(self, items: Sequence[Any], as_dict: Callable[[Any], Any]) -> bytes:
        return b"[" + b",".join([self.one(item, as_dict) for item in items]) + b"]"

    def one(self, item: Any, as_dict: Callable[[Any], Any]) -> bytes:
        found = self._kept.get(id(item))
        if found is not None and found[0] is item:
            return found[1]
        if len(self._kept) >= self.LIMIT:
            self._kept.clear()
        encoded = orjson.dumps(as_dict(item), option=orjson.OPT_SERIALIZE_NUMPY)
        self._kept[id(item)] = (item, encoded)
        return encoded


_ENCODED = _Encoded()


def json_text_parameter() -> Callable[[bytes], Any]:
    """How JSON already encoded (by orjson) is passed to this connection's database: text for SQLite,
    as Django's JSON field sends it; for PostgreSQL psycopg's ``Json`` wrapper (what
    ``WrittenJSONField`` sends), with the text as it is."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Json

        return lambda encoded: Json(encoded, dumps=_as_is)
    return bytes.decode


def _as_is(encoded: bytes) -> bytes:
    return encoded


def prepared_now(now: datetime) -> Any:
    """``now`` as the database receives it for ``computed_at``."""
    return Suggestion._meta.get_field("computed_at").get_db_prep_save(now, connection)


def _delete_suggestions(opportunity_ids: Sequence[int], cursor: Any) -> None:
    """Delete the stored suggestions of these opportunities along ``suggestion_rank_idx``.

    On SQLite the index is named (``INDEXED BY``): with table statistics taken while the table was
    small (the daily ``ANALYZE`` before the first full refresh, say), its planner read all 750,000 rows
    for each chunk of 200 lists instead (0.7 s a chunk, every chunk of a refresh).
    """
    if connection.vendor != "sqlite":
        Suggestion.objects.filter(opportunity_id__in=opportunity_ids).delete()
        return
    quote = connection.ops.quote_name
    (index,) = (i.name for i in Suggestion._meta.indexes if i.fields == ["opportunity", "rank"])
    # Table, index and column names come from the model, quoted; the ids are parameters.
    sql = "DELETE FROM {} INDEXED BY {} WHERE {} IN ({})".format(  # noqa: S608
        quote(Suggestion._meta.db_table),
        quote(index),
        quote("opportunity_id"),
        ", ".join(["%s"] * len(opportunity_ids)),
    )
    cursor.execute(sql, list(opportunity_ids))


def table_statistics() -> None:
    """Fresh statistics of the stored suggestions for SQLite's planner, after a full refresh rewrote
    them (PostgreSQL's autovacuum keeps its own). Without them, statistics taken while the table was
    nearly empty make it read the whole table where an index finds a list's 25 rows."""
    table_statistics_refresh(connection, [Suggestion._meta.db_table, SuggestionRun._meta.db_table])


def _insert(table: str, columns: Sequence[str], rows: list[Row], cursor: Any) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        # Table and column names come from the models, quoted; the values go through COPY's stream.
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        return
    # Table and column names come from the models, quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(table), names, ", ".join(["%s"] * len(columns))
    )
    cursor.executemany(sql, rows)


def write(
    opportunity_ids: Sequence[int],
    rows: list[Row],
    runs: list[Row],
    *,
    confirmed: Sequence[int] = (),
    confirmed_at: datetime | None = None,
    present: Present | None = None,
) -> None:
    """Replace the suggestions and runs of these opportunities, and mark the lists of ``confirmed``
    (found unchanged) as computed at ``confirmed_at``, in one short transaction. ``present``: what
    existed when the rows were made; rows of or naming a record deleted since are left out."""
    with transaction.atomic(), connection.cursor() as cursor:
        if confirmed:
            SuggestionRun.objects.filter(opportunity_id__in=confirmed).update(computed_at=confirmed_at)
        if not opportunity_ids:
            return
        # Nothing refers to either model, so each delete is one DELETE statement.
        _delete_suggestions(opportunity_ids, cursor)
        SuggestionRun.objects.filter(opportunity_id__in=opportunity_ids).delete()
        if present is not None:
            rows, runs = present.existing(rows, runs)
        _insert(Suggestion._meta.db_table, _COLUMNS, rows, cursor)
        _insert(SuggestionRun._meta.db_table, _RUN_COLUMNS, runs, cursor)


_ORGANISATION, _THEIR_OPPORTUNITY = _COLUMNS.index("organisation_id"), _COLUMNS.index("their_opportunity_id")
_LIST = _COLUMNS.index("opportunity_id")  # the listing a row or run belongs to: first in both


@dataclass(frozen=True)
class Present:
    """How many organisations and listings there were, up to which primary key, when a refresh read
    them: the same counts later mean that none of them has been deleted since.

    The database does not check what a row suggests (see ``Suggestion``), so a record deleted while a
    chunk was scored would be named by rows written after its deletion removed the others. Checking
    each chunk's 8,000 distinct ids cost more than the database's own checks had; two counts along the
    primary keys cost a few milliseconds, and the ids are looked up only when a count has changed."""

    organisations: tuple[int, int]
    opportunities: tuple[int, int]

    @classmethod
    def now(cls) -> Present:
        return cls(_counted(Organisation.objects.all()), _counted(Opportunity.objects.all()))

    def existing(self, rows: list[Row], runs: list[Row]) -> tuple[list[Row], list[Row]]:
        """``rows`` and ``runs`` without those of a listing or naming a record deleted since (all of
        them are kept, almost always). A listing deleted with its chunk scored would otherwise fail
        the chunk's write, with the rest of the refresh."""
        if not (rows or runs) or (
            _counted(Organisation.objects.filter(pk__lte=self.organisations[1])) == self.organisations
            and _counted(Opportunity.objects.filter(pk__lte=self.opportunities[1])) == self.opportunities
        ):
            return rows, runs
        org_ids = {row[_ORGANISATION] for row in rows}
        opp_ids = (
            {row[_THEIR_OPPORTUNITY] for row in rows}
            | {row[_LIST] for row in rows}
            | {run[_LIST] for run in runs}
        )
        orgs = set(Organisation.objects.filter(pk__in=org_ids).values_list("pk", flat=True))
        opps = {*Opportunity.objects.filter(pk__in=opp_ids - {None}).values_list("pk", flat=True), None}
        kept = [
            r for r in rows if r[_LIST] in opps and r[_ORGANISATION] in orgs and r[_THEIR_OPPORTUNITY] in opps
        ]
        return kept, [run for run in runs if run[_LIST] in opps]


def _counted(records: QuerySet[Any]) -> tuple[int, int]:
    found = records.order_by().aggregate(n=Count("pk"), last=Max("pk"))
    return found["n"], found["last"] or 0


def naming_nothing_delete() -> int:
    """Delete the stored suggestions that name an organisation or listing no longer there (deleted
    outside the app, which the database does not stop; see ``Suggestion``). Run after a full refresh;
    returns how many were deleted.

    The distinct ids named are read along each reference's index and compared in Python: SQLite tested
    each of the 750,000 rows against both tables instead (4.5 s)."""
    stored = Suggestion.objects.order_by()
    named_orgs = set(stored.values_list("organisation_id", flat=True).distinct())
    named_opps = set(stored.values_list("their_opportunity_id", flat=True).distinct()) - {None}
    gone_orgs = named_orgs - set(Organisation.objects.values_list("pk", flat=True))
    gone_opps = named_opps - set(Opportunity.objects.values_list("pk", flat=True))
    if not gone_orgs and not gone_opps:
        return 0
    deleted, _ = stored.filter(
        Q(organisation_id__in=gone_orgs) | Q(their_opportunity_id__in=gone_opps)
    ).delete()
    return deleted


REWRITE_DAYS = 7
"""A list found unchanged is still written again when its rows are this many days old, plus a few
days that depend on the listing (so that lists written together are not all written again the same
night): what no fingerprint covers (a reason's wording from an older version) is brought in line."""


def fingerprint(
    partners: Sequence[tuple[str, float, bool]], invites: Sequence[tuple[str, float]], version: str
) -> str:
    """A digest of what a list ranks: each suggested listing with its score and whether the country
    spread moved it up, each organisation to invite with its score, and the scoring's ``version``
    (its weights and lengths). Equal digests, equal rows, as long as none of the records changed."""
    text = repr((version, tuple(partners), tuple(invites)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class StoredList:
    """What a refresh needs to know of a list already stored to decide whether to write it again."""

    fingerprint: str
    written_at: datetime
    rows: int


def stored_lists(opportunity_ids: Sequence[int]) -> dict[int, StoredList]:
    """The stored lists of these opportunities that may be confirmed without writing them again, with
    how many rows each still has (a list whose rows were deleted is written again)."""
    found = SuggestionRun.objects.filter(opportunity_id__in=opportunity_ids).exclude(fingerprint="")
    counts = dict(
        Suggestion.objects.filter(opportunity_id__in=opportunity_ids)
        .order_by()
        .values_list("opportunity_id")
        .annotate(n=Count("*"))
        .values_list("opportunity_id", "n")
    )
    return {
        pk: StoredList(digest, written, counts.get(pk, 0))
        for pk, digest, written in found.values_list("opportunity_id", "fingerprint", "written_at")
        if written is not None
    }


def unchanged(
    opportunity_id: int,
    digest: str,
    rows: int,
    stored: StoredList | None,
    saved: Sequence[datetime | None],
    now: datetime,
) -> bool:
    """Is the stored list the one a refresh would write? Same digest and number of ``rows``, none of
    the records it concerns (``saved``: when each was last saved) saved after the network it was
    computed from was read, and not yet due to be written again (``REWRITE_DAYS``)."""
    if stored is None or stored.fingerprint != digest or stored.rows != rows:
        return False
    if now - stored.written_at > timedelta(days=REWRITE_DAYS + opportunity_id % REWRITE_DAYS):
        return False
    return all(at is None or at <= stored.written_at for at in saved)


def saved_since_lists() -> tuple[dict[str, datetime], dict[str, datetime]]:
    """The opportunities and organisations saved after the oldest stored list that may be confirmed
    was computed, with when, by key. Any record not named was saved before every such list was
    computed, so it can change none of them: a refresh after one change reads a few rows, not the
    whole network's."""
    oldest = SuggestionRun.objects.exclude(fingerprint="").aggregate(at=Min("written_at"))["at"]
    if oldest is None:
        return {}, {}
    return (
        dict(Opportunity.objects.filter(updated_at__gt=oldest).values_list("key", "updated_at")),
        dict(Organisation.objects.filter(updated_at__gt=oldest).values_list("key", "updated_at")),
    )

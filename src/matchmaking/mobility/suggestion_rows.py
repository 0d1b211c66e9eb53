"""Writing a chunk of refreshed suggestion lists: rows as tuples, one INSERT run over all of them.

Building a model instance per suggestion and letting ``bulk_create`` turn it back into values cost
about as much as scoring the list (25 suggestions and their invitations a list, 750,000 rows in a
full refresh at 30,000 opportunities). Here each row is a tuple of the values the database receives
(the JSON fields prepared by the model's own fields, so SQLite and PostgreSQL get what the ORM would
send them), and a chunk is written in one short transaction: one DELETE of the chunk's old
suggestions, one ``executemany`` of a single INSERT, the same for the chunk's runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from matchmaking.engine.partners import PartnerSuggestion
from matchmaking.mobility.models import Suggestion, SuggestionRun

Row = tuple[Any, ...]

_COLUMNS = ("opportunity_id", "rank", "organisation_id", "their_opportunity_id", "score", "parts", "reasons",
            "computed_at")  # fmt: skip
_RUN_COLUMNS = ("opportunity_id", "computed_at", "candidates")


def suggestion_rows(
    opportunity_id: int,
    found: Sequence[PartnerSuggestion],
    orgs: dict[str, int],
    opps: dict[str, int],
    now: Any,
) -> list[Row]:
    """The rows ``matching._rows`` would store for ``found``, as tuples in ``_COLUMNS`` order
    (``now`` already prepared for the database, see ``prepared_now``)."""
    parts_field = Suggestion._meta.get_field("parts")
    rows: list[Row] = []
    for rank, s in enumerate(found, start=1):
        if s.organisation not in orgs or (s.opportunity and s.opportunity not in opps):
            continue
        parts = [{"name": p.name, "fit": p.fit, "weight": p.weight, "points": p.points} for p in s.parts]
        reasons = [r.as_dict() for r in s.reasons]
        rows.append(
            (
                opportunity_id,
                rank,
                orgs[s.organisation],
                opps.get(s.opportunity) if s.opportunity else None,
                s.score,
                parts_field.get_db_prep_save(parts, connection),
                parts_field.get_db_prep_save(reasons, connection),
                now,
            )
        )
    return rows


def prepared_now(now: datetime) -> Any:
    """``now`` as the database receives it for ``computed_at``."""
    return Suggestion._meta.get_field("computed_at").get_db_prep_save(now, connection)


def _insert(table: str, columns: Sequence[str], rows: list[Row], cursor: Any) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    # Table and column names come from the models, quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    cursor.executemany(sql, rows)


def write(opportunity_ids: Sequence[int], rows: list[Row], runs: list[Row]) -> None:
    """Replace the suggestions and runs of these opportunities in one short transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Nothing refers to either model, so each delete is one DELETE statement.
        Suggestion.objects.filter(opportunity_id__in=opportunity_ids).delete()
        SuggestionRun.objects.filter(opportunity_id__in=opportunity_ids).delete()
        _insert(Suggestion._meta.db_table, _COLUMNS, rows, cursor)
        _insert(SuggestionRun._meta.db_table, _RUN_COLUMNS, runs, cursor)

"""Stored suggestions' breakdowns and reasons: PostgreSQL keeps them as ``json`` (the text as written,
checked), SQLite as Django's checked text; both give back what was written, through the ORM and
through the refresh's own bulk write, and a key can still be read in a query."""

from __future__ import annotations

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from matchmaking.mobility import suggestion_rows
from matchmaking.mobility.models import Suggestion
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db

PARTS = [{"name": "topics", "fit": 0.5, "weight": 35.0, "points": 18.42}]
REASONS = [
    {"code": "topics", "template": "They can show: {topics}", "params": {"topics": ["early-outreach"]}},
    {"code": "languages", "template": "Shared: {languages}", "params": {"languages": "sv, ñ, ø"}},
]


def _column_type(field: str) -> str:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, Suggestion._meta.db_table)
        (column,) = [c for c in description if c.name == field]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT format_type(%s, NULL)", [column.type_code])
            return cursor.fetchone()[0]
    return str(column.type_code)


def _listings():
    _, _, offer, request, _, _ = pair()
    return offer, request


def test_postgresql_keeps_the_documents_as_written_json():
    expected = "json" if connection.vendor == "postgresql" else "text"
    assert _column_type("parts").lower() == expected
    assert _column_type("reasons").lower() == expected


def test_the_orm_gives_back_what_it_wrote_and_a_key_can_be_read():
    offer, request = _listings()
    Suggestion.objects.create(
        opportunity=offer,
        rank=1,
        organisation=request.organisation,
        their_opportunity=request,
        score=42.0,
        parts=PARTS,
        reasons=REASONS,
        computed_at=timezone.now(),
    )
    stored = Suggestion.objects.get()
    assert (stored.parts, stored.reasons) == (PARTS, REASONS)
    assert list(Suggestion.objects.values_list("reasons__0__code", flat=True)) == ["topics"]
    assert list(Suggestion.objects.values_list("reasons", flat=True)) == [REASONS]


def test_the_bulk_write_gives_back_what_it_wrote():
    offer, request = _listings()
    as_json = suggestion_rows.json_text_parameter()
    now = suggestion_rows.prepared_now(timezone.now())
    row = (offer.pk, 1, request.organisation_id, request.pk, 42.0, as_json(b'[{"name":"topics"}]'),
           as_json('[{"code":"topics","params":{"x":"ñ"}}]'.encode()), now)  # fmt: skip
    suggestion_rows.write([offer.pk], [row], [])
    stored = Suggestion.objects.get()
    assert stored.parts == [{"name": "topics"}]
    assert stored.reasons == [{"code": "topics", "params": {"x": "ñ"}}]


def test_text_that_is_not_json_is_refused():
    offer, request = _listings()
    as_json = suggestion_rows.json_text_parameter()
    now = suggestion_rows.prepared_now(timezone.now())
    row = (offer.pk, 1, request.organisation_id, request.pk, 1.0, as_json(b"[{"), as_json(b"[]"), now)
    # SQLite's check fails the INSERT; PostgreSQL's ``json`` input fails the COPY.
    with pytest.raises((IntegrityError, psycopg.DataError)), transaction.atomic():
        suggestion_rows.write([offer.pk], [row], [])
    assert not Suggestion.objects.exists()

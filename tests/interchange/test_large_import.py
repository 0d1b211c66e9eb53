"""Large imports: one bad value among thousands of records is named and nothing is written; the search
text of a large import is filled by background tasks after the commit."""

from __future__ import annotations

import json

import pytest
from benchmarks.import_network import generate_document
from django.db import connection

from matchmaking.cli import main
from matchmaking.core import statistics
from matchmaking.core.models import AuditEvent
from matchmaking.interchange import writing
from matchmaking.interchange.document import parse_document
from matchmaking.interchange.services import interchange_check, interchange_import
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.search import opportunity_search_text
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.search import organisation_search_text

pytestmark = pytest.mark.django_db

ORGANISATIONS = 1_500  # and as many opportunities: 3,000 records, more than SEARCH_TEXT_INLINE


def _write(tmp_path, document):
    path = tmp_path / "network.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_a_bad_value_deep_in_a_3000_record_import_is_named_and_nothing_is_written(tmp_path, capsys):
    document = generate_document(ORGANISATIONS, exchanges=5)
    bad_org = document["organisations"][-2]  # organisations come first: record 1,499 of 3,000
    bad_org["website"] = "not a web address"  # passes the file's structure, fails the model's check
    assert main(["import", _write(tmp_path, document)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert f"organisations[{bad_org['id']}]: website: Enter a valid URL." in err
    assert len([line for line in err.splitlines() if line.startswith("  ")]) == 1
    assert Organisation.objects.count() == 0
    assert Opportunity.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_bad_code_in_the_last_but_one_record_is_named_by_dry_run_too(tmp_path, capsys):
    document = generate_document(ORGANISATIONS, exchanges=0)
    bad = document["opportunities"][-2]
    bad["topics"] = ["no-such-topic"]
    path = _write(tmp_path, document)
    for command in (["import", "--dry-run", path], ["import", path]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"opportunities[{bad['id']}].topics: unknown practice-topics code 'no-such-topic'" in err
    assert Opportunity.objects.count() == 0


def test_dry_run_checks_against_the_database_and_counts_what_an_import_would_do():
    raw = generate_document(20, exchanges=2)
    document = parse_document(raw)
    summary = interchange_check(actor=None, document=document)
    assert (summary.organisations_created, summary.opportunities_created, summary.exchanges_created) == (
        20,
        20,
        2,
    )
    assert Organisation.objects.count() == 0
    interchange_import(actor=None, document=document)
    again = interchange_check(
        actor=None, document=parse_document(raw, {o["id"] for o in raw["organisations"]})
    )
    assert (again.organisations_updated, again.opportunities_updated, again.exchanges_updated) == (20, 20, 2)


def test_a_large_import_leaves_the_search_text_to_tasks_run_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(writing, "SEARCH_TEXT_INLINE", 10)
    document = parse_document(generate_document(30, exchanges=0))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        interchange_import(actor=None, document=document)
    assert set(Organisation.objects.values_list("search_text", flat=True)) == {""}
    for callback in callbacks:
        callback()  # the tasks run at once in the tests
    for organisation in Organisation.objects.all():
        assert organisation.search_text == organisation_search_text(organisation)
        assert organisation.search_text
    for opportunity in Opportunity.objects.all():
        assert opportunity.search_text == opportunity_search_text(opportunity)


def _planner_rows(table: str) -> int | None:
    """What the planner's statistics say the table holds (None: no statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL", [table])
            found = cursor.fetchone()
            if found is None:
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
                found = cursor.fetchone()
            return None if found is None else int(str(found[0]).split()[0])
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        (tuples,) = cursor.fetchone()
        return None if tuples < 0 else int(tuples)


def test_a_large_import_takes_the_statistics_of_what_it_wrote(monkeypatch):
    """The planner knows the new rows at once, on both databases (after an import of 30,000 listings,
    PostgreSQL's statistics of the empty tables made the next read of the network take 27 s)."""
    monkeypatch.setattr(statistics, "BULK_WRITE_ROWS", 50)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM sqlite_stat1")
    interchange_import(actor=None, document=parse_document(generate_document(30, exchanges=0)))
    table = Opportunity._meta.db_table
    assert _planner_rows(table) == Opportunity.objects.count() > 0
    topics = Opportunity.topics.through._meta.db_table
    assert _planner_rows(topics) == Opportunity.topics.through.objects.count() > 0


def test_a_small_write_leaves_the_statistics_to_the_database():
    small = statistics.BULK_WRITE_ROWS - 1
    assert not statistics.after_bulk_write(connection, [Opportunity], small)
    assert statistics.after_bulk_write(connection, [Opportunity], statistics.BULK_WRITE_ROWS)

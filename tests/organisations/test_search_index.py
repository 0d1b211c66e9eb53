"""The full-text index behind organisation and opportunity search (PostgreSQL full-text search or SQLite
FTS5, whichever the tests run on): in place after the migrations, kept in step by every kind of write,
a word of the query matching the start of a word, the same words on both databases."""

from __future__ import annotations

import pytest

from matchmaking.mobility import selectors as mobility_selectors
from matchmaking.mobility import services as mobility_services
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import selectors, services
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.search import refresh_organisation_search
from matchmaking.taxonomies import search_index
from matchmaking.taxonomies.search_text import build, search_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff):
    Organisation.objects.update(city="Kiruna", name="Member's own")
    refresh_organisation_search(Organisation.objects.values_list("pk", flat=True))
    return staff


def _create(name: str, **profile) -> Organisation:
    base = {"name": name, "kind": "municipality", "country": "SE", "city": "", "languages": ["en"]}
    return services.organisation_create(actor=None, profile={**base, **profile})


def _found(user, query: str = "", **filters) -> set[str]:
    found = selectors.organisation_list(
        user=user, filters=selectors.OrganisationFilters(query=query, **filters)
    )
    return {o.name for o in found} - {"Member's own"}


def test_the_index_is_in_place():
    assert search_index.installed(Organisation._meta.db_table)
    assert search_index.installed(Opportunity._meta.db_table)


def test_words_only_search_text():
    assert (
        build(["Borås Stad", "www.boras.se", "SE-23", "Borås Stad", "", None])
        == "boras stad | www boras se | se 23"
    )
    assert search_words("Borås-stad, NEET!") == ["boras", "stad", "neet"]
    assert search_words("a_b") == ["a", "b"]


@pytest.mark.parametrize("query", ["Bora", "bor", "BORÅ", "Borås", "boras stad", "stad bo"])
def test_a_word_is_the_start_of_a_word(staff, query):
    _create("Borås Stad", city="Borås")
    _create("Elsewhere", city="Malmö", description="A laboratory, a harbour")
    assert _found(staff, query) == {"Borås Stad"}


def test_the_middle_of_a_word_is_not_a_match(staff):
    _create("Laboratory", city="Malmö")
    assert _found(staff, "bora") == set()
    assert _found(staff, "labo") == {"Laboratory"}


def test_punctuation_and_web_addresses(staff):
    _create("Web office", description="See www.vestland-fylke.no or write to post@example.org (SE-23).")
    assert _found(staff, "vestland") == {"Web office"}
    assert _found(staff, "fylke example") == {"Web office"}
    assert _found(staff, "vestland-fylke") == {"Web office"}
    assert _found(staff, "23") == {"Web office"}


def test_every_kind_of_write_keeps_the_index_in_step(staff):
    organisation = _create("Harbour works", city="Bergen")
    assert _found(staff, "bergen") == {"Harbour works"}
    Organisation.objects.filter(pk=organisation.pk).update(search_text=build(["Harbour works", "Tromsø"]))
    assert _found(staff, "bergen") == set()
    assert _found(staff, "tromso") == {"Harbour works"}
    organisation.refresh_from_db()
    organisation.city = "Ålesund"
    organisation.save()  # search text unchanged by a plain save: still found by it
    assert _found(staff, "tromso") == {"Harbour works"}
    text = build(["Bulk one", "Stavanger"])
    bulk = Organisation(
        key="bulk-one", name="Bulk one", country="NO", kind=organisation.kind, search_text=text
    )
    Organisation.objects.bulk_create([bulk])
    assert _found(staff, "stavang") == {"Bulk one"}
    Organisation.objects.filter(key="bulk-one").delete()
    assert _found(staff, "stavang") == set()


def test_opportunity_search_by_its_words_or_its_organisations(staff):
    west = _create("West works", city="Borås", region="SE23")
    data = {"direction": "offer", "type": "job-shadowing", "duration_days": 2, "group_size": 2}
    mobility_services.opportunity_create(
        actor=None,
        organisation=west,
        data={**data, "description": "Harbour outreach", "topics": ["early-outreach"]},
    )

    def found(query: str) -> set[str]:
        f = mobility_selectors.OpportunityFilters(query=query)
        return {o.description for o in mobility_selectors.opportunity_list(user=staff, filters=f)}

    assert found("harb bora") == {"Harbour outreach"}  # one word its own, one its organisation's
    assert found("vastsv outr") == {"Harbour outreach"}
    assert found("harbour kiruna") == set()


def test_put_back_after_a_migration_that_rebuilt_the_table(staff):
    """SQLite rebuilds a table to alter a column, and its triggers and raw indexes go with the old one; after
    the next ``migrate`` they are back and the index is filled again. (PostgreSQL loses nothing this way;
    the index dropped here is put back the same way.)"""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    table = Organisation._meta.db_table
    _create("Rebuilt town", city="Haugesund")
    if connection.vendor == "postgresql":  # the test's own inserts: no index is made while their checks wait
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    search_index.uninstall(connection, table)
    assert not search_index.installed(table)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert search_index.installed(table)
    assert _found(staff, "hauges") == {"Rebuilt town"}


def test_postgresql_reads_the_stored_vectors(staff):
    """On PostgreSQL a word found in every row is answered from the stored vectors: the plan never
    computes ``to_tsvector`` of a row's text (the cost that made one search take seconds)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the stored vectors are PostgreSQL's; SQLite has its FTS5 table")
    for number in range(3):
        _create(f"Stored vector {number}", city="Narvik")
    table = Organisation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM organisations_organisation WHERE name = %s",
            ["Stored vector 0"],
        )
        assert "'narvik'" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
        sql, params = search_index.matching_ids(table, "narvik").as_sql(None, connection)
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_vector" in plan
    assert "to_tsvector" not in plan
    assert _found(staff, "narv") == {f"Stored vector {number}" for number in range(3)}

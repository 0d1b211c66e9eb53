"""Searching offers and requests: case and accents ignored, the opportunity's own labels in every
language and its organisation's words, a NUTS 2 region filter, and saved-search filters that keep
their stored form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.mobility import selectors, services
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import services as organisation_services
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.search import refresh_organisation_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff):
    """A member whose own organisation is in none of the places searched for."""
    Organisation.objects.update(city="Kiruna", name="Member's own")
    refresh_organisation_search(Organisation.objects.values_list("pk", flat=True))
    return staff


def _organisation(name: str, **profile) -> Organisation:
    base = {"name": name, "kind": "municipality", "country": "SE", "city": "", "languages": ["en"]}
    return organisation_services.organisation_create(actor=None, profile={**base, **profile})


def _opportunity(organisation: Organisation, **data) -> Opportunity:
    base = {"direction": "offer", "type": "job-shadowing", "duration_days": 2, "group_size": 2}
    return services.opportunity_create(actor=None, organisation=organisation, data={**base, **data})


def _found(user, query: str = "", **filters) -> set[str]:
    f = selectors.OpportunityFilters(query=query, **filters)
    return {o.description for o in selectors.opportunity_list(user=user, filters=f)}


@pytest.fixture
def offers():
    west = _organisation("West works", city="Borås", region="SE23")
    catalan = _organisation("Escola Nova", country="ES", city="Barcelona", region="ES51")
    _opportunity(west, description="Street outreach", topics=["early-outreach"])
    _opportunity(catalan, description="Skills week", topics=["skills-mapping"], target_groups=["neet-youth"])


@pytest.mark.parametrize("query", ["Boras", "borås", "BORAS"])
def test_organisation_city_without_accents(staff, offers, query):
    assert _found(staff, query) == {"Street outreach"}


def test_labels_in_every_language(staff, offers):
    assert _found(staff, "NEET") == {"Skills week"}
    assert _found(staff, "kompetenskartläggning") == {"Skills week"}  # Swedish topic label
    assert _found(staff, "tidiga insatser") == {"Street outreach"}
    assert _found(staff, "cataluna skills") == {"Skills week"}
    assert _found(staff, "barcelona outreach") == set()


QUERIES = ["Boras", "NEET", "kompetenskartläggning", "cataluna skills", "barcelona outreach", "west", "e"]


def test_a_common_word_finds_the_rows_a_rare_one_would(staff, offers, monkeypatch):
    """A word in more rows than ``COMMON_WORD_ROWS`` is tested row by row on SQLite, not fetched by
    id (``search_index.in_rows``): the rows found are the same, for opportunities and organisations."""
    from matchmaking.organisations import selectors as organisation_selectors
    from matchmaking.organisations.selectors import OrganisationFilters
    from matchmaking.taxonomies import search_index

    def found() -> tuple[list[set[str]], list[set[str]]]:
        orgs = [
            {
                o.name
                for o in organisation_selectors.organisation_list(
                    user=staff, filters=OrganisationFilters(query=q)
                )
            }
            for q in QUERIES
        ]
        return [_found(staff, q) for q in QUERIES], orgs

    rare = found()
    monkeypatch.setattr(search_index, "COMMON_WORD_ROWS", 0)
    assert found() == rare
    assert rare[0][0] == {"Street outreach"}
    assert "West works" in rare[1][5]


def test_a_common_word_inside_a_subquery(staff, offers, monkeypatch):
    """Tested row by row (``search_index.word_in``), a word names the row of the query it sits in, also
    when that query is itself a subquery of another (where the database renames its tables)."""
    from matchmaking.organisations.search import matching as organisation_matching
    from matchmaking.taxonomies import search_index

    def listings(query: str) -> set[str]:
        organisations = Organisation.objects.filter(organisation_matching(query))
        return set(
            Opportunity.objects.filter(organisation__in=organisations).values_list("description", flat=True)
        )

    rare = [listings(q) for q in QUERIES]
    monkeypatch.setattr(search_index, "COMMON_WORD_ROWS", 0)
    assert [listings(q) for q in QUERIES] == rare
    assert rare[0] == {"Street outreach"}
    assert rare[5] == {"Street outreach"}


def test_postgresql_connections_run_without_jit(db):
    """A short query must not pay for compiling: the settings turn JIT off on our connections."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT compiler")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_region_filter(staff, offers):
    assert _found(staff, region="SE23") == {"Street outreach"}
    assert _found(staff, region="ES51") == {"Skills week"}
    assert _found(staff, region="ES51", query="boras") == set()


def test_update_keeps_the_search_text(staff, offers):
    opportunity = Opportunity.objects.get(description="Street outreach")
    services.opportunity_update(
        actor=None,
        opportunity=opportunity,
        data={"description": "Harbour visits", "topics": ["skills-mapping"]},
    )
    assert _found(staff, "harbour kompetenskartlaggning") == {"Harbour visits"}


def test_saved_filters_keep_their_form():
    stored = {"q": "boras", "region": "SE23", "country": "SE"}
    f = selectors.OpportunityFilters.from_dict(stored)
    assert f.query == "boras"
    assert f.region == "SE23"
    assert f.as_dict() == {"query": "boras", "country": "SE", "region": "SE23"}
    assert selectors.OpportunityFilters.from_dict({"query": "x", "topic": "y"}).as_dict() == {
        "query": "x",
        "topic": "y",
    }


def test_search_page_region_filter(client, staff, offers):
    client.force_login(staff)
    url = reverse("mobility:opportunity-list")
    page = client.get(url).content.decode()
    assert "Cataluña (ES51)" in page
    body = client.get(url, {"region": "SE23"}).content.decode()
    assert "West works" in body
    assert "Escola Nova" not in body

"""Organisation search ignores case and accents, finds code-list labels in every language, and filters by
NUTS 2 region; the search text follows the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.organisations import selectors, services
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.search import organisation_search_text, refresh_organisation_search
from matchmaking.taxonomies.search_text import fold, search_words
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff):
    """A member whose own organisation is in none of the places searched for."""
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


def test_fold_removes_case_and_accents():
    assert fold("  Borås ") == "boras"
    assert fold("BORÅS Stad") == "boras stad"
    assert fold("Bærum Tromsø") == "baerum tromso"
    assert fold("Lleida, Cataluña — Straße") == "lleida, cataluna — strasse"
    assert search_words("Boras  NEET") == ["boras", "neet"]


@pytest.mark.parametrize("query", ["Boras", "borås", "BORAS", "Borås", "boRÅs"])
def test_city_without_accents(staff, query):
    _create("Work centre", city="Borås")
    _create("Elsewhere", city="Malmö")
    assert _found(staff, query) == {"Work centre"}


def test_neet_finds_the_target_group(staff):
    _create("Youth door", target_groups=["neet-youth"])
    _create("Other door")
    assert _found(staff, "NEET") == {"Youth door"}
    assert _found(staff, "neet youth door") == {"Youth door"}


def test_labels_in_other_languages(staff):
    _create("Mapping office", expertise=["skills-mapping"])
    _create("Other office")
    assert _found(staff, "kompetenskartlaggning") == {"Mapping office"}  # Swedish label, no accents
    assert _found(staff, "Kompetenskartläggning") == {"Mapping office"}
    assert _found(staff, "skills mapping") == {"Mapping office"}


def test_region_and_country_names(staff):
    _create("West", region="SE23", city="Göteborg")
    _create("Catalan school", country="ES", region="ES51", city="Lleida")
    assert _found(staff, "vastsverige") == {"West"}
    assert _found(staff, "SE23") == {"West"}
    assert _found(staff, "cataluna") == {"Catalan school"}
    assert _found(staff, "Spanien") == {"Catalan school"}  # the country's Swedish name
    assert _found(staff, "goteborg west") == {"West"}
    assert _found(staff, "goteborg catalan") == set()  # every word must be found


def test_region_filter(staff):
    _create("West", region="SE23")
    _create("No region")
    _create("Catalan school", country="ES", region="ES51")
    assert _found(staff, region="SE23") == {"West"}
    assert _found(staff, region="ES51") == {"Catalan school"}
    assert _found(staff, region="ES51", query="west") == set()


def test_search_text_follows_the_profile(staff):
    organisation = _create("Old name", city="Borås")
    services.organisation_update(
        actor=None, organisation=organisation, profile={"name": "New name", "city": "Trollhättan"}
    )
    assert _found(staff, "trollhattan") == {"New name"}
    assert _found(staff, "boras") == set()


def test_refresh_fills_rows_written_without_it(staff):
    organisation = OrganisationFactory(name="Bare row", city="Umeå")
    Organisation.objects.filter(pk=organisation.pk).update(search_text="")
    assert _found(staff, "Umeå") == {"Bare row"}  # as typed, still found
    assert _found(staff, "umea") == set()
    refresh_organisation_search([organisation.pk])
    assert _found(staff, "umea") == {"Bare row"}
    organisation.refresh_from_db()
    assert organisation.search_text == organisation_search_text(organisation)


def test_search_page_with_region_filter(client, staff):
    _create("West", region="SE23", city="Borås")
    _create("Catalan school", country="ES", region="ES51")
    client.force_login(staff)
    url = reverse("organisations:organisation-list")
    page = client.get(url).content.decode()
    assert 'name="region"' in page
    assert "Västsverige (SE23)" in page
    assert "Cataluña (ES51)" in page
    body = client.get(url, {"q": "boras"}).content.decode()
    assert "West" in body
    assert "Catalan school" not in body
    body = client.get(url, {"region": "ES51"}).content.decode()
    assert "Catalan school" in body
    assert ">West<" not in body


def test_the_bulk_import_writes_the_search_text(staff):
    from matchmaking.interchange.document import parse_document
    from matchmaking.interchange.services import (
        interchange_import,
        known_opportunity_keys,
        known_organisation_keys,
    )
    from matchmaking.mobility.models import Opportunity
    from matchmaking.mobility.search import opportunity_search_text
    from tests.interchange.test_interchange import OPP, ORG

    def run(organisation: dict) -> None:
        raw = {"format_version": 1, "organisations": [organisation], "opportunities": [OPP]}
        document = parse_document(raw, known_organisation_keys(), known_opportunity_keys())
        interchange_import(actor=None, document=document)

    run(ORG)
    organisation = Organisation.objects.get(key=ORG["id"])
    assert organisation.search_text == organisation_search_text(organisation)
    opportunity = Opportunity.objects.get(key=OPP["id"])
    assert opportunity.search_text == opportunity_search_text(opportunity)
    assert _found(staff, "boras neet") == {ORG["name"]}
    run(dict(ORG, city="Trollhättan", target_groups=["newly-arrived-migrants"]))  # changed on a re-import
    assert _found(staff, "trollhattan") == {ORG["name"]}
    assert _found(staff, "neet") == set()

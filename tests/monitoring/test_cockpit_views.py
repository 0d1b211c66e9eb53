"""The cockpit page, its downloads and the coordinator's pages: who sees what, and what the files hold."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from matchmaking.monitoring.models import LearnerCount, Target

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_sees_the_network_with_a_map_and_charts(network, coordinator):
    response = _client(coordinator).get("/monitoring/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="flow-map"' in html
    assert "SE23" in html
    assert "ES51" in html
    assert "NO0A" in html
    assert "EuroGeographics" in html
    assert 'class="chart"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "&lt;5" in html  # the "none" activity row: three people
    assert "Västsverige (SE23)" in html


def test_filter_to_catalonia(network, coordinator):
    response = _client(coordinator).get("/monitoring/", {"region": "ES51"})
    html = response.content.decode()
    assert "Västsverige (SE23)</td><td>Cataluña (ES51)" in html
    # Vestland → Borås is outside the filter: drawn for context, listed in its own table.
    context = html.split("The rest of the network", 1)[1]
    assert "Vestlandet (NO0A)</td><td>Västsverige (SE23)" in context
    assert "flow-arrow-faint" in html


def test_a_filter_with_no_data_shows_an_empty_state(network, coordinator):
    response = _client(coordinator).get("/monitoring/", {"country": "PT", "date_from": "2020-01-01"})
    assert response.status_code == 200
    assert "No figures for these filters" in response.content.decode()


def test_a_bad_filter_is_an_error_on_the_form_not_a_crash(network, coordinator):
    response = _client(coordinator).get("/monitoring/", {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "before its start" in response.content.decode()


@pytest.mark.parametrize("who", ["boras_admin", "vestland_staff"])
def test_an_organisation_sees_only_its_own_figures(network, who):
    user = network[who]
    html = _client(user).get("/monitoring/").content.decode()
    if who == "vestland_staff":
        assert "Vestlandet (NO0A)</td>" in html
        assert "Cataluña (ES51)</td>" not in html
    else:
        assert "Cataluña (ES51)</td>" in html
    # The organisation filter offers only its own organisations.
    assert '<option value="stuttgart-vet">' not in html
    # Another organisation named in the filter is not offered, and shows nothing.
    other = _client(user).get("/monitoring/", {"organisation": "stuttgart-vet"}).content.decode()
    assert "Select a valid choice" in other or "No figures" in other


def test_targets_and_learners_pages_are_the_coordinators(network, coordinator):
    for user in (network["boras_admin"], network["vestland_staff"]):
        assert _client(user).get("/monitoring/targets/").status_code == 404
        assert _client(user).get("/monitoring/learners/").status_code == 404
    client = _client(coordinator)
    response = client.post(
        "/monitoring/targets/",
        {"indicator": "vet-learners-on-mobility", "year": 2026, "source": "partnership", "value": "9"},
    )
    assert response.status_code == 302
    assert Target.objects.get(year=2026).value == 9


def test_a_non_member_gets_404(db):
    from tests.factories import UserFactory

    user = UserFactory()
    assert _client(user).get("/monitoring/").status_code == 404


def test_learner_file_import_through_the_page(network, coordinator):
    client = _client(coordinator)
    good = io.BytesIO(b"year,region,learners\n2026,SE23,240\n2026,ES51,1800\n")
    good.name = "learners.csv"
    assert client.post("/monitoring/learners/", {"action": "import", "file": good}).status_code == 302
    bad = io.BytesIO(b"year,region,learners\n2026,SE23,100\n2027,ZZ99,5\n")
    bad.name = "learners.csv"
    response = client.post("/monitoring/learners/", {"action": "import", "file": bad})
    assert response.status_code == 200
    assert "Row 3" in response.content.decode()
    assert "ZZ99" in response.content.decode()
    assert LearnerCount.objects.get(region__code="SE23").learners == 240  # unchanged


def test_xlsx_and_csv_downloads_carry_definitions_and_suppression(network, coordinator):
    client = _client(coordinator)
    LearnerCount.objects.create(year=2026, region_id=None, organisation=network["boras"], learners=300)
    response = client.get("/monitoring/", {"download": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert "About" in book.sheetnames
    assert "participants-by-activity" in book.sheetnames
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert "<5" in about["suppression"]
    assert about["definitions_version"]
    values = [c for row in book["participants-by-activity"].iter_rows(values_only=True) for c in row]
    assert "<5" in values
    assert "x" in values
    assert 3 not in values  # the hidden count never leaves
    response = client.get("/monitoring/", {"download": "csv", "table": "participants-by-activity"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["indicator", "participants-by-activity"] in rows
    assert any(r and r[0] == "none" and r[1] == "<5" for r in rows)
    assert client.get("/monitoring/", {"download": "csv", "table": "nope"}).status_code == 404

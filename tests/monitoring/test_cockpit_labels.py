"""The cockpit names the codes its tables hold in the reader's language: a Swedish coordinator reads
"Sociala ekonomin", not ``social-economy``. The downloads keep the codes and add the labels."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client

from matchmaking.monitoring import labels
from matchmaking.monitoring.cockpit import Table
from matchmaking.monitoring.exports import body
from matchmaking.pathways.models import Outcome
from matchmaking.placements.models import Proposal, Round
from tests.factories_participants import participant, placement

pytestmark = pytest.mark.django_db

CODES = ("social-economy", "job-shadowing", "completed", "reported", "green-travel", "job-regular", "housing")
SWEDISH = ("Sociala ekonomin", "Jobbskuggning", "Genomfört", "Rapporterat", "Grönt resande",
           "Arbete på den reguljära arbetsmarknaden", "Boende")  # fmt: skip


@pytest.fixture
def placed(network):
    boras = network["boras"]
    person = participant(boras, age_group="young")
    pl = placement(boras, key="social-kitchen", labour_market="social-economy")
    Proposal.objects.create(round=Round.objects.create(name="Spring"), participant=person, placement=pl,
                            status="accepted")  # fmt: skip
    Outcome.objects.create(
        participant=person, exit_type="job-regular", exit_on=date(2026, 6, 1), dropped_out=True,
        drop_out_reasons=["housing"],
    )  # fmt: skip
    return person


def _row_headers(html: str) -> list[str]:
    return re.findall(r'<th scope="row">(.*?)</th>', html)


def test_a_swedish_coordinator_reads_labels_not_codes(placed, coordinator):
    client = Client()
    client.force_login(coordinator)
    html = client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    headers = _row_headers(html)
    for code in CODES:
        assert code not in headers
    for label in SWEDISH:
        assert label in headers, label
    # The Erasmus+ activity types by their names, regions by theirs.
    assert any(h.startswith("SM-JOB-SHDW – ") for h in headers)


def test_the_csv_keeps_the_codes_and_adds_the_labels(placed, coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.get(
        "/monitoring/", {"download": "csv", "table": "placed-by-labour-market"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["labour_market", "people", "label"] in rows
    assert ["social-economy", "<5", "Sociala ekonomin"] in rows
    assert ["total", "<5", "Totalt"] in rows or ["total", "<5", "Total"] in rows


def test_a_region_pair_gets_a_label_column_for_each_region():
    table = Table("staff-flows", "Staff", [("from_region", "From"), ("to_region", "To"), ("staff", "S")],
                  labels=labels.region_label, labelled=2)  # fmt: skip
    table.rows = [["SE23", "none", 7]]
    table.total = ["total", "", 7]
    header, row, total = body(table)
    assert header == ["from_region", "to_region", "staff", "from_region_label", "to_region_label"]
    assert row[:3] == ["SE23", "none", 7]
    assert row[3].endswith("(SE23)")
    assert row[4] == "Not recorded"
    assert total[3:] == ["Total", ""]


def test_an_unknown_code_is_shown_as_it_is():
    assert labels.EXCHANGE_STATES("something-new") == "something-new"
    assert labels.LABOUR_MARKETS("none") == "Not recorded"

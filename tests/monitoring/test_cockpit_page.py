"""The cockpit page shows long tables as their largest rows: cutting never reveals what the full table
hides, the totals stay the full table's, and every row is in the downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.monitoring import disclosure, maps, page
from matchmaking.monitoring.cockpit import Table


def _staff_table(counts: list[tuple[int, int]]) -> Table:
    """A table shaped like the staff flows: a region pair, exchanges, and protected staff counts."""
    table = Table(
        "staff-flows", "Staff", [("a", "A"), ("b", "B"), ("exchanges", "E"), ("staff", "S")], people=True
    )
    shown = disclosure.protect([[staff] for _n, staff in counts], row_totals=False, k=5).shown()
    table.rows = [
        [f"R{i}", f"Q{i}", n, s[0]] for i, ((n, _s), s) in enumerate(zip(counts, shown[:-1], strict=True))
    ]
    table.total = ["total", "", sum(n for n, _s in counts), shown[-1][0]]
    return table


def _cells(html: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), min_size=1, max_size=60),
    limit=st.integers(1, 30),
)
def test_a_cut_table_shows_only_what_the_full_table_shows_and_its_totals(counts, limit):
    table = _staff_table(counts)
    shown = page.page_table(table, limit=limit)
    rows = _cells(shown.body)
    assert len(rows) == min(limit, len(table.rows)) == shown.shown
    assert shown.count == len(table.rows)
    assert shown.cut == (len(table.rows) > limit)
    full = {r[0]: [page.cell(v) for v in r] for r in table.rows}
    for row in rows:
        # Every cell exactly as the full (protected) table has it: a hidden cell stays hidden.
        assert row == full[row[0]]
    assert _cells(shown.foot)[0][1:] == [page.cell(v) for v in table.total[1:]]
    # The largest rows by the figures as shown: no row left out is larger than one kept.
    kept = {r[0] for r in rows}
    key = lambda r: tuple(-page._figure(v) for v in r[2:])  # noqa: E731
    if shown.cut:
        worst = max(key(r) for r in table.rows if r[0] in kept)
        assert all(key(r) >= worst for r in table.rows if r[0] not in kept)


def test_a_short_table_keeps_its_order():
    table = _staff_table([(1, 0), (9, 9), (3, 7)])
    assert [r[0] for r in _cells(page.page_table(table).body)] == ["R0", "R1", "R2"]


def test_the_map_draws_the_largest_flows_and_says_so():
    flows = [("SE23", "ES51", 3), ("NO0A", "SE23", 1), ("SE23", "DE11", 2)]
    svg = str(maps.flow_map(flows, "/static/base.svg", "Flows", limit=2))
    assert len(re.findall(r'marker-end="url\(#flow-arrow\)"', svg)) == 2
    assert "Vestlandet (NO0A) to" not in svg
    assert "3 region pairs with exchanges; the map draws the 2 largest" in svg


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_page_cuts_long_tables_and_links_the_full_csv(network, coordinator, monkeypatch):
    monkeypatch.setattr(page, "PAGE_ROWS", 1)
    client = _client(coordinator)
    html = client.get("/monitoring/").content.decode()
    assert "Showing the 1 largest of 3 rows; every row is in the CSV and XLSX download." in html
    assert "download=csv&amp;table=region-flows" in html
    response = client.get("/monitoring/", {"download": "csv", "table": "region-flows"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    pairs = [r for r in rows if len(r) == 3 and r[2].isdigit()]
    assert {(a, b) for a, b, _n in pairs} == {("SE23", "ES51"), ("NO0A", "SE23"), ("SE23", "DE11")}


@pytest.mark.django_db
def test_another_organisations_flows_are_not_in_its_csv(network):
    rows = _client(network["vestland_staff"]).get(
        "/monitoring/", {"download": "csv", "table": "region-flows"}
    )
    text = rows.content.decode("utf-8-sig")
    assert "NO0A,SE23" in text
    assert "ES51" not in text  # Borås → Barcelona is none of Vestland's
    other = _client(network["vestland_staff"]).get(
        "/monitoring/", {"download": "csv", "table": "region-flows-context"}
    )
    assert other.status_code == 200
    assert "ES51" not in other.content.decode("utf-8-sig")

"""The NUTS-2 map: built from the shipped boundaries, drawn as SVG with a text alternative, and the
Erasmus+ distance band estimated between regions."""

from __future__ import annotations

import re

from matchmaking.monitoring import maps


def test_the_shipped_map_has_every_nuts2_region_and_its_attribution():
    data = maps.map_data()
    assert len(data["regions"]) == 289
    assert "EuroGeographics" in data["attribution"]
    assert data["regions"]["ES51"]["d"].startswith("M")
    assert data["regions"]["SE23"]["name"] == "Västsverige"


def test_flows_are_drawn_with_titles_and_a_description():
    svg = str(maps.flow_map([("SE23", "ES51", 3), ("NO0A", "SE23", 1)], "/static/base.svg", "Flows <&>"))
    assert 'role="img"' in svg
    assert '<title id="flow-map-title">Flows &lt;&amp;&gt;</title>' in svg
    assert "Västsverige (SE23) to Cataluña (ES51): 3 exchanges" in svg
    assert len(re.findall(r'marker-end="url\(#flow-arrow\)"', svg)) == 2
    assert "<script" not in svg
    assert "style=" not in svg


def test_an_empty_map_says_so():
    svg = str(maps.flow_map([], "/static/base.svg", "Flows"))
    assert "No exchanges between regions" in svg


def test_distance_bands_between_regions():
    assert maps.distance_band("SE23", "ES51") == "500-1999"  # Borås to Barcelona, about 1,980 km
    assert maps.distance_band("NO0A", "SE23") == "100-499"
    assert maps.distance_band("SE23", "SE23") == "10-99"
    assert maps.distance_band("SE23", None) == ""

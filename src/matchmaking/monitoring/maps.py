"""The map of exchanges between NUTS-2 regions, drawn server-side as SVG from the shipped boundaries.

The background (every region in grey) is a static file built by ``scripts/build-nuts-map.py`` from
Eurostat-GISCO's NUTS 2024 files; on it the page draws the regions that sent or received an exchange
and one arrow per region pair, as wide as the square root of its exchanges allows. No tiles, no map
service, no script: the map works offline and under the strict Content Security Policy. Its text
alternative is the table of flows beside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

MAP_FILE = Path(__file__).parent / "data" / "nuts2-2024-map.json"
BASE_STATIC = "monitoring/nuts2-2024-base.svg"
OUT = "#1f5f8b"  # sending regions
IN = "#b34700"  # receiving regions
BOTH = "#6a3d9a"
FAINT = "#707070"  # flows outside the filter, for context


@cache
def map_data() -> dict[str, Any]:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def attribution() -> str:
    return str(map_data()["attribution"])


def region_name(code: str) -> str:
    region = map_data()["regions"].get(code)
    return f"{region['name']} ({code})" if region else code


# Erasmus+ distance bands (km), lower bounds; the band of a distance is the last one it reaches.
DISTANCE_BANDS = ((0, "10-99"), (100, "100-499"), (500, "500-1999"), (2000, "2000-2999"),
                  (3000, "3000-3999"), (4000, "4000-7999"), (8000, "8000+"))  # fmt: skip


def distance_km(origin: str | None, destination: str | None) -> float | None:
    """The straight-line distance between the label points of two NUTS-2 regions, in kilometres (the
    map's projection, ETRS89-LAEA, keeps distances in Europe within a few per cent), or None when a
    region is unknown or outside the map."""
    regions = map_data()["regions"]
    if origin not in regions or destination not in regions:
        return None
    (x0, y0), (x1, y1) = regions[origin]["label"], regions[destination]["label"]
    return math.hypot(x1 - x0, y1 - y0) * map_data()["frame"]["metres_per_unit"] / 1000


def distance_band(origin: str | None, destination: str | None) -> str:
    """The Erasmus+ distance band between two regions ("" when unknown). Both in one region: 10-99."""
    km = distance_km(origin, destination)
    if km is None:
        return ""
    return [band for low, band in DISTANCE_BANDS if km >= low][-1]


@dataclass(frozen=True)
class Flow:
    origin: str
    destination: str
    exchanges: int


def flow_map(
    flows: list[tuple[str, str, int]],
    base_url: str,
    title: str,
    context: list[tuple[str, str, int]] | None = None,
    limit: int | None = None,
) -> SafeString:
    """The SVG of ``flows`` (sending region, receiving region, exchanges) on the base map, with the
    ``context`` flows (the rest of the network) drawn thin and grey beneath them. With ``limit``, only
    the largest flows of each are drawn (thousands of arrows hide each other), and the text says so."""
    data = map_data()
    regions = data["regions"]
    width, height = data["frame"]["width"], data["frame"]["height"]
    every = [Flow(a, b, n) for a, b, n in flows if a in regions and b in regions]
    drawn = sorted(every, key=lambda f: -f.exchanges)[:limit]
    faint = sorted(
        (Flow(a, b, n) for a, b, n in context or [] if a in regions and b in regions),
        key=lambda f: -f.exchanges,
    )[:limit]
    senders = {f.origin for f in drawn}
    receivers = {f.destination for f in drawn}
    most = max((f.exchanges for f in drawn), default=1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" class="flow-map" '
        f'role="img" aria-labelledby="flow-map-title flow-map-desc">',
        f'<title id="flow-map-title">{escape(title)}</title>',
        f'<desc id="flow-map-desc">{escape(_describe(drawn, len(every)))}</desc>',
        "<defs>",
        f'<marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="4" markerHeight="4" '
        f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="{BOTH}"/></marker>',
        f'<marker id="flow-arrow-faint" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
        f'markerHeight="5" '
        f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="{FAINT}"/></marker>',
        "</defs>",
        f'<image href="{escape(base_url)}" x="0" y="0" width="{width:g}" height="{height:g}"/>',
    ]
    for code in sorted(senders | receivers):
        colour = BOTH if code in senders and code in receivers else OUT if code in senders else IN
        parts.append(
            f'<path d="{regions[code]["d"]}" fill="{colour}" fill-opacity="0.35" stroke="{colour}" '
            f'stroke-width="0.8"><title>{escape(region_name(code))}</title></path>'
        )
    for flow in faint:
        parts.append(_arrow(regions, flow, most, faint=True))
    for flow in sorted(drawn, key=lambda f: f.exchanges):
        parts.append(_arrow(regions, flow, most))
    for code in sorted(senders | receivers | {c for f in faint for c in (f.origin, f.destination)}):
        x, y = regions[code]["label"]
        parts.append(
            f'<circle cx="{x:g}" cy="{y:g}" r="3" fill="#ffffff" stroke="#222222" stroke-width="1"/>'
            f'<text x="{x + 5:g}" y="{y - 5:g}" font-size="13" font-family="sans-serif" fill="#111111" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(code)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above


def _arrow(regions: dict[str, Any], flow: Flow, most: int, faint: bool = False) -> str:
    (x0, y0), (x1, y1) = regions[flow.origin]["label"], regions[flow.destination]["label"]
    width = 1.2 if faint else 1.5 + 5 * math.sqrt(min(flow.exchanges / most, 1))
    if flow.origin == flow.destination:
        d = f"M{x0:g} {y0:g}c-25 -40 25 -40 0 0"
    else:
        # A curve bending to the left of the way it goes, so that A→B and B→A do not overlap.
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = x1 - x0, y1 - y0
        cx, cy = mx + dy * 0.2, my - dx * 0.2
        d = f"M{x0:g} {y0:g}Q{cx:.1f} {cy:.1f} {x1:g} {y1:g}"
    label = _("%(origin)s to %(destination)s: %(n)s exchanges") % {
        "origin": region_name(flow.origin),
        "destination": region_name(flow.destination),
        "n": flow.exchanges,
    }
    colour, marker, dash = (
        (FAINT, "flow-arrow-faint", ' stroke-dasharray="4 3"') if faint else (BOTH, "flow-arrow", "")
    )
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-opacity="0.85" stroke-width="{width:.1f}"{dash} '
        f'stroke-linecap="round" marker-end="url(#{marker})"><title>{escape(label)}</title></path>'
    )


def _describe(flows: list[Flow], count: int | None = None) -> str:
    """The map's text: how many pairs, the five largest, and, when it draws only the largest, so."""
    if not flows:
        return _("No exchanges between regions for these filters.")
    count = len(flows) if count is None else count
    top = sorted(flows, key=lambda f: -f.exchanges)[:5]
    listed = "; ".join(f"{region_name(f.origin)} → {region_name(f.destination)}: {f.exchanges}" for f in top)
    if len(flows) < count:
        return _(
            "%(n)s region pairs with exchanges; the map draws the %(drawn)s largest: %(listed)s, and so on. "
            "The table below lists the largest; every pair is in the CSV and XLSX download."
        ) % {"n": count, "drawn": len(flows), "listed": listed}
    return _(
        "%(n)s region pairs with exchanges; the largest: %(listed)s. The table below lists them all."
    ) % {
        "n": len(flows),
        "listed": listed,
    }

"""Build the monitoring map of Europe by NUTS-2 region from the Eurostat-GISCO NUTS 2024 files.

Usage (from the repository root)::

    .venv/bin/python scripts/build-nuts-map.py [SOURCE_DIR]

``SOURCE_DIR`` defaults to ``../shared/data/nuts`` next to the repository and holds, copied verbatim from
eurostat/Nuts2json: ``nuts2-2024-3035-60M.topo.json`` (NUTS-2 regions, 1:60 million, EPSG:3035),
``nuts0-2024-3035-60M.topo.json`` (countries) and ``nutspt2-2024-3035.json`` (label points).

The TopoJSON is decoded here (arcs are delta-encoded and quantized; a negative arc index is the arc
reversed), projected coordinates are scaled into an SVG frame around continental Europe (north up), and
two files are written, both deterministic:

- ``src/matchmaking/monitoring/data/nuts2-2024-map.json``: per NUTS-2 region its name, country, SVG path
  and label point (the GISCO label point, or the centre of the largest ring where there is none), the
  frame and the attribution; the cockpit draws the regions with exchanges and the flows from it;
- ``src/matchmaking/monitoring/static/monitoring/nuts2-2024-base.svg``: every region and the countries
  around them in grey, the background the cockpit's map draws on.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "matchmaking" / "monitoring" / "data" / "nuts2-2024-map.json"
BASE = ROOT / "src" / "matchmaking" / "monitoring" / "static" / "monitoring" / "nuts2-2024-base.svg"

# The frame, in EPSG:3035 metres: from Portugal and Iceland to Cyprus and the Baltic, north up.
X0, X1 = 2_450_000, 6_650_000
Y0, Y1 = 1_380_000, 5_450_000
METRES_PER_UNIT = 5_000
WIDTH = (X1 - X0) / METRES_PER_UNIT
HEIGHT = (Y1 - Y0) / METRES_PER_UNIT

ATTRIBUTION = (
    "Administrative boundaries: © EuroGeographics; source: Eurostat-GISCO (NUTS 2024, 1:60 million), "
    "via eurostat/Nuts2json"
)


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as a list of projected (x, y) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(
    geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]
) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


def to_frame(x: float, y: float) -> tuple[float, float]:
    return round((x - X0) / METRES_PER_UNIT, 1), round((Y1 - y) / METRES_PER_UNIT, 1)


def path(rings: list[list[tuple[float, float]]]) -> str:
    """An SVG path of the rings that reach into the frame, repeated points dropped."""
    parts = []
    for points in rings:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if max(xs) < X0 or min(xs) > X1 or max(ys) < Y0 or min(ys) > Y1:
            continue
        framed: list[tuple[float, float]] = []
        for x, y in points:
            point = to_frame(x, y)
            if not framed or point != framed[-1]:
                framed.append(point)
        if len(framed) < 3:
            continue
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in framed) + "Z")
    return "".join(parts)


def centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    largest = max(rings, key=lambda r: abs(_area(r)))
    return to_frame(sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest))


def _area(points: list[tuple[float, float]]) -> float:
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)) / 2
    )


def build(source: Path) -> tuple[dict[str, Any], str]:
    level2 = json.loads((source / "nuts2-2024-3035-60M.topo.json").read_text(encoding="utf-8"))
    points = json.loads((source / "nutspt2-2024-3035.json").read_text(encoding="utf-8"))
    labels = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in points["features"]}
    arcs = decode_arcs(level2)
    regions: dict[str, Any] = {}
    for geometry in level2["objects"]["nutsrg"]["geometries"]:
        code = geometry["properties"]["id"]
        shapes = polygons(geometry, arcs)
        outer = [p[0] for p in shapes]
        d = path([r for p in shapes for r in p])
        label = to_frame(*labels[code]) if code in labels else centre(outer)
        regions[code] = {
            "name": geometry["properties"]["na"],
            "country": code[:2],
            "d": d,
            "label": list(label),
        }
    others = [
        path([r for p in polygons(g, arcs) for r in p]) for g in level2["objects"]["cntrg"]["geometries"]
    ]
    data = {
        "source": "eurostat/Nuts2json pub/v2/2024/3035/60M/2.json and pub/v2/2024/3035/nutspt_2.json",
        "attribution": ATTRIBUTION,
        "frame": {"x0": X0, "y1": Y1, "metres_per_unit": METRES_PER_UNIT, "width": WIDTH, "height": HEIGHT},
        "regions": dict(sorted(regions.items())),
    }
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'width="{WIDTH:g}" height="{HEIGHT:g}">',
        f"<title>NUTS 2024 level-2 regions. {ATTRIBUTION}</title>",
        f'<rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="#e8f1f8"/>',
        '<g fill="#f2f2f2" stroke="#c8c8c8" stroke-width="0.6">',
        *(f'<path d="{d}"/>' for d in others if d),
        "</g>",
        '<g fill="#dcdcdc" stroke="#ffffff" stroke-width="0.5">',
        *(f'<path d="{r["d"]}"/>' for r in data["regions"].values() if r["d"]),
        "</g>",
        "</svg>",
    ]
    return data, "\n".join(svg) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", nargs="?", type=Path, default=ROOT.parent / "shared" / "data" / "nuts")
    args = parser.parse_args()
    data, svg = build(args.source)
    DATA.parent.mkdir(parents=True, exist_ok=True)
    BASE.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    BASE.write_text(svg, encoding="utf-8")
    print(
        f"{len(data['regions'])} regions: {DATA.relative_to(ROOT)} ({DATA.stat().st_size:,} bytes), "
        f"{BASE.relative_to(ROOT)} ({BASE.stat().st_size:,} bytes)"
    )


if __name__ == "__main__":
    main()

"""Charts of the cockpit, drawn server-side as SVG with leather (a small pure-Python charting library
whose SVG carries presentation attributes only: no script, no style element, so it passes the strict
Content Security Policy inline). Every chart has a data table beside it on the page, which is its text
alternative; figures hidden by disclosure control are left out of the chart and shown as "<k" there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import leather
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

leather.theme.background_color = "#ffffff"
leather.theme.title_color = "#1a1a1a"
leather.theme.title_font_family = "sans-serif"
leather.theme.legend_color = "#1a1a1a"
leather.theme.legend_font_family = "sans-serif"
leather.theme.tick_font_family = "sans-serif"
leather.theme.label_color = "#4d4d4d"
leather.theme.axis_title_font_family = "sans-serif"
leather.theme.default_series_colors = ["#1f5f8b", "#b34700", "#2e7d32", "#6a3d9a", "#8c2d04"]

_SIZE = re.compile(r'^<svg width="(\d+)" height="(\d+)"')


def _finish(svg: str, title: str) -> SafeString:
    """A scalable SVG labelled with its title; the data table beside it is the text alternative."""
    match = _SIZE.match(svg)
    assert match, svg[:80]
    width, height = match.groups()
    svg = _SIZE.sub(
        f'<svg viewBox="0 0 {width} {height}" class="chart" role="img" aria-label="{escape(title)}"', svg
    )
    return mark_safe(svg)  # leather escapes the text it writes


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def bars(title: str, rows: Sequence[tuple[str, Any]], width: int = 640) -> SafeString | None:
    """Horizontal bars, one per row; rows whose figure is hidden are left out. None when nothing is left."""
    data = [(v, label) for label, value in rows if (v := _number(value)) is not None]
    if not data:
        return None
    chart = leather.Chart()
    chart.add_bars(data)
    height = 60 + 34 * len(data)
    return _finish(chart.to_svg(width=width, height=height), title)


def trend(
    title: str, series: Sequence[tuple[str, Sequence[tuple[Any, Any]]]], width: int = 640
) -> SafeString | None:
    """Lines over years: ``series`` is (name, [(year, value)]); hidden figures are left out."""
    lines = [
        (name, [(year, v) for year, value in points if (v := _number(value)) is not None])
        for name, points in series
    ]
    lines = [(name, points) for name, points in lines if points]
    if not lines:
        return None
    years = sorted({year for _name, points in lines for year, _v in points})
    low, high = years[0], max(years[-1], years[0] + 1)
    chart = leather.Chart()
    chart.add_x_scale(low, high)
    chart.add_x_axis(
        ticks=list(range(low, high + 1)), tick_formatter=lambda value, index, count: str(int(value))
    )
    top = max(v for _name, points in lines for _year, v in points)
    chart.add_y_scale(0, max(top * 1.1, 1))
    for name, points in lines:
        if len(points) == 1:
            chart.add_dots(points, name=name, radius=5)
        else:
            chart.add_line(points, name=name, width=3)
    return _finish(chart.to_svg(width=width, height=320), title)

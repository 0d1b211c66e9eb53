"""Pure helpers: month arithmetic and the progress chart's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matchmaking.participants.clock import add_months
from matchmaking.pathways.chart import progress_chart


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 4) == date(2027, 3, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@dataclass
class Row:
    recorded_on: date
    motivation: int
    confidence: int


def test_chart_points_stay_inside_the_plot_and_higher_is_up():
    rows = [Row(date(2026, 1, 1), 1, 10), Row(date(2026, 2, 1), 10, 1)]
    chart = progress_chart(rows, ("motivation", "confidence"))
    first, _second = chart.series
    assert first.dots[0][1] > first.dots[1][1]  # 1 is drawn lower than 10
    for s in chart.series:
        for x, y, _v in s.dots:
            assert chart.left <= x <= chart.right
            assert chart.top <= y <= chart.bottom
    assert progress_chart([], ("motivation",)) is None

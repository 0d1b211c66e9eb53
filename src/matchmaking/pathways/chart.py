"""The progress chart: self-assessment scales over time, as plain numbers for a server-rendered SVG.

No script and no style attribute (the Content Security Policy forbids both): the template draws lines
with presentation attributes (stroke, fill), and a table with the same numbers follows the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from matchmaking.pathways.models import SelfAssessment

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 40
COLOURS = ("#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a")  # distinguishable, 4.5:1 on white
DASHES = ("", "6 3", "2 3", "8 3 2 3")  # a second cue besides colour
LABELS = {
    "motivation": _("Motivation"),
    "confidence": _("Confidence"),
    "readiness": _("Readiness for work"),
    "wellbeing": _("Well-being"),
}


@dataclass(frozen=True)
class Series:
    name: str
    label: str
    colour: str
    dash: str
    points: str
    dots: list[tuple[float, float, int]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]
    left: int
    right: int
    top: int
    bottom: int


def progress_chart(assessments: list[SelfAssessment], scales: tuple[str, ...]) -> Chart | None:
    """Chart data for assessments ordered by date; None with fewer than one assessment."""
    if not assessments:
        return None
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(assessments)

    def x(i: int) -> float:
        return round(LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2), 1)

    def y(v: int) -> float:
        return round(TOP + inner_h * (10 - v) / 9, 1)

    series = []
    for k, scale in enumerate(scales):
        dots = [(x(i), y(getattr(a, scale)), getattr(a, scale)) for i, a in enumerate(assessments)]
        series.append(
            Series(
                scale,
                str(LABELS.get(scale, scale)),
                COLOURS[k % 4],
                DASHES[k % 4],
                " ".join(f"{px},{py}" for px, py, _v in dots),
                dots,
            )
        )
    step = max(1, n // 6)
    x_ticks = [(x(i), a.recorded_on.strftime("%d.%m.%y")) for i, a in enumerate(assessments) if i % step == 0]
    y_ticks = [(y(v), v) for v in (1, 4, 7, 10)]
    return Chart(WIDTH, HEIGHT, series, y_ticks, x_ticks, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM)

"""Server-side SVG charts: coordinates computed here, drawn by the template (no JavaScript, no library).

The trend chart's viewBox is 100 × 100 and stretches to its box (`preserveAspectRatio="none"`), so that it
fills a phone's width and a desktop's alike; strokes do not scale, points are round-capped zero-length lines
(they stay round when stretched), and the axis labels are HTML placed at the same percentages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from progress.selectors import TrendPoint

LEFT, RIGHT, TOP, BOTTOM = 10.0, 97.0, 6.0, 94.0


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    point: TrendPoint


@dataclass(frozen=True)
class TrendChart:
    polyline: str
    markers: list[Marker]
    gridlines: list[tuple[float, int]]  # (y, percent)


def _y(percent: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * percent / 100, 2)


def trend_chart(points: Sequence[TrendPoint]) -> TrendChart:
    """Percent (0–100, bottom to top) of each attempt in time order, spaced evenly from left to right."""
    if len(points) > 1:
        xs = [LEFT + (RIGHT - LEFT) * i / (len(points) - 1) for i in range(len(points))]
    else:
        xs = [(LEFT + RIGHT) / 2] * len(points)
    markers = [Marker(x=round(x, 2), y=_y(p.percent), point=p) for x, p in zip(xs, points, strict=True)]
    return TrendChart(
        polyline=" ".join(f"{m.x},{m.y}" for m in markers),
        markers=markers,
        gridlines=[(_y(pct), pct) for pct in (0, 50, 100)],
    )

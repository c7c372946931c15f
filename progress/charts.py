"""Server-side SVG charts: coordinates computed here, drawn by the template (no JavaScript, no library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from progress.selectors import TrendPoint

WIDTH, HEIGHT, PAD = 600, 200, 24


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    point: TrendPoint


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    polyline: str
    markers: list[Marker]
    gridlines: list[tuple[float, int]]  # (y, percent)


def trend_chart(points: Sequence[TrendPoint]) -> TrendChart:
    """Percent (0–100, bottom to top) of each attempt in time order, spaced evenly from left to right."""
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0
    markers = [
        Marker(
            x=round(PAD + (i * step if len(points) > 1 else inner_w / 2), 1),
            y=round(PAD + inner_h * (1 - p.percent / 100), 1),
            point=p,
        )
        for i, p in enumerate(points)
    ]
    gridlines = [(round(PAD + inner_h * (1 - pct / 100), 1), pct) for pct in (0, 50, 100)]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        polyline=" ".join(f"{m.x},{m.y}" for m in markers),
        markers=markers,
        gridlines=gridlines,
    )

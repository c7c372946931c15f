"""Horizontal bar charts drawn on the server as SVG: geometry here, markup in curation/_bar_chart.html."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import floatformat

LABEL_WIDTH = 200
BAR_WIDTH = 320
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: object
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 60

    @property
    def value_x(self) -> int:
        return self.label_width + 6


def bar_chart(title: object, rows: Sequence[tuple[str, float | None]], *, maximum: float = 100.0) -> BarChart:
    """One bar a row, its length the value's share of `maximum`; a missing value draws no bar and a dash."""
    bars = []
    for index, (label, value) in enumerate(rows):
        share = max(0.0, min(1.0, (value or 0.0) / maximum)) if maximum else 0.0
        bars.append(
            Bar(
                label=_fit(label, LABEL_WIDTH - 10),
                # Rounded as the tables beside the chart round (half up): 12.5 is 13 in both.
                text="—" if value is None else floatformat(value, 0),
                y=index * ROW_HEIGHT + 4,
                width=round(share * BAR_WIDTH, 1),
                text_y=index * ROW_HEIGHT + 18,
            )
        )
    return BarChart(title=title, bars=bars, height=max(1, len(rows)) * ROW_HEIGHT + 8)


def _fit(label: str, width: int, char_width: int = 7) -> str:
    """The label cut to fit `width` px at 13 px: a CJK character takes two widths of a Latin one."""
    used, kept = 0, list[str]()
    for char in label:
        used += char_width * (2 if ord(char) > 0x2E80 else 1)
        if used > width:
            return "".join(kept[:-1]) + "…"
        kept.append(char)
    return label

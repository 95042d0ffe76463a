"""Charts as inline SVG computed on the server.

No chart library and no script: the page is one HTML response that a cheap
phone renders at once, prints, and shows the same in a screenshot.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.console.dashboard import DayRate

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28
"""Margins for the axis labels, in SVG user units."""


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    percent: int
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[tuple[float, int]]
    """(y, percent) of the horizontal lines at 0, 50 and 100 %."""
    baseline: float
    left: int


def rate_chart(rates: list[DayRate]) -> BarChart:
    """One bar per day, height the share of households that declared."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(rates), 1)
    bars = []
    for index, rate in enumerate(rates):
        height = rate.share * plot_height
        bars.append(
            Bar(
                x=round(LEFT + index * step + step * 0.15, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=rate.day.strftime("%d/%m"),
                percent=round(rate.share * 100),
                title=f"{rate.day.isoformat()}: {rate.declared}/{rate.households}",
            )
        )
    gridlines = [(round(TOP + plot_height * (1 - p / 100), 1), p) for p in (0, 50, 100)]
    return BarChart(WIDTH, HEIGHT, bars, gridlines, TOP + plot_height, LEFT)

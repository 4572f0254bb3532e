"""The landing page's picture of activity: events per month, drawn as SVG at build time.

Only the geometry is computed here; the theme draws it (and a table of the same numbers, for
readers who cannot see the picture and for print).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from timeline.assemble.timeline import Timeline

BAR_WIDTH = 12
GAP = 4
HEIGHT = 120
AXIS = 20  # room below the bars for year labels


@dataclass(frozen=True)
class Bar:
    year: int
    month: int
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Activity:
    bars: tuple[Bar, ...]
    width: int
    height: int
    peak: int
    years: tuple[tuple[int, int], ...]  # (year, x of its first month) for the axis labels


def activity(timeline: Timeline, rtl: bool = False) -> Activity | None:
    """The bars of each month, first to last; `rtl` (a language written right to left) runs
    them from the right, as the timeline view does."""
    drawn = _activity(timeline)
    if drawn is None or not rtl:
        return drawn
    width = drawn.width
    bars = tuple(dataclasses.replace(bar, x=width - bar.x - BAR_WIDTH) for bar in drawn.bars)
    years = tuple((year, width - x) for year, x in drawn.years)  # a label ends at its month
    return dataclasses.replace(drawn, bars=bars, years=years)


def _activity(timeline: Timeline) -> Activity | None:
    counts = {(m.year, m.month): len(m.events) for y in timeline.years for m in y.months}
    if not counts:
        return None
    (year, month), last = min(counts), max(counts)
    peak = max(counts.values())
    bars: list[Bar] = []
    years: list[tuple[int, int]] = []
    while (year, month) <= last:
        x = len(bars) * (BAR_WIDTH + GAP)
        if month == 1 or not bars:
            years.append((year, x))
        count = counts.get((year, month), 0)
        height = round(count / peak * (HEIGHT - 10)) if count else 0
        bars.append(Bar(year, month, count, x, HEIGHT - height, height))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    width = len(bars) * (BAR_WIDTH + GAP) - GAP
    return Activity(tuple(bars), width, HEIGHT + AXIS, peak, tuple(years))

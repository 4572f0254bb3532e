"""The timeline view: entries placed on a time axis in lanes (one per actor or per topic), drawn
as SVG at build time. Only the geometry is computed here; the theme draws it, and its script
zooms and pans by moving the same marks (each carries the days it covers).

A view of few enough entries draws each of them: a point for a day, a bar from `date` to `end`
for a span, the whole month or year for a date known to that precision. A view of more counts
them instead, per month (or per year, when months would make too many cells), so that 10,000
entries stay light and legible; each count links to the view that shows its entries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from timeline.assemble.timeline import Timeline
from timeline.dates import EventDate, Precision
from timeline.model import Event, Term
from timeline.render.language import Language
from timeline.render.routes import view_path, year_path

ACTOR, TOPIC = "actor", "topic"
WIDTH = 960  # the drawing's width before the script fits it to the screen
AXIS = 30  # the axis above the lanes
LABEL = 18  # a lane's name, above its rows
ROW = 12  # one row of marks
MARK_HEIGHT = ROW - 2
GAP = 8  # below each lane
MAX_ROWS = 4  # overlapping marks beyond this share the last row
MIN_MARK = 4  # the narrowest mark, so that a day stays visible and clickable at any zoom
MAX_ENTRIES = 1000  # more than this in a view, and it counts instead of drawing each
MAX_CELLS = 1500  # lanes × months beyond this, and it counts per year
LEVELS = 4  # shades of a count's cell
NO_TERM = "-"  # the lane of entries naming no actor (or topic)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Lane:
    id: str  # a term's id, or NO_TERM
    name: str
    y: int  # top of its label
    rows: int


@dataclass(frozen=True)
class Mark:
    """One entry, drawn once in each of its lanes. It holds what the view shows of the entry
    (not the entry), so that the page changes exactly when that does."""

    id: str
    title: str
    when: str  # the entry's date (or span) as displayed
    first: int  # day numbers (days since 1970-01-01) of the extent drawn: [first, last)
    last: int
    x: float
    width: float
    ys: tuple[int, ...]
    lanes: tuple[int, ...]  # indexes into View.lanes
    others: tuple[int, ...]  # indexes into View.others: its terms of the other kind
    shape: str  # "point", "span" or "extent" (a date known only to its month or year)
    approximate: bool
    uncertain: bool

    @property
    def outline(self) -> str:
        """SVG path data: its rectangle in each of its lanes. One path weighs half as much as a
        rect per lane, and a busy year draws thousands of marks."""
        x, width = _short(self.x), _short(self.width)
        return "".join(f"M{x} {y}h{width}v{MARK_HEIGHT}h-{width}z" for y in self.ys)


@dataclass(frozen=True)
class Cell:
    """The count of one lane's entries in one month or year."""

    lane: int
    first: int
    last: int
    x: float
    width: float
    y: int
    count: int
    level: int  # 1..LEVELS
    label: str  # "Russia, October 2023"
    target: str  # site path (with its query) of the view or list showing these entries


@dataclass(frozen=True)
class Tick:
    day: int
    x: float
    label: str  # "2023" on a year, "Oct" on another month
    year: bool
    shown: bool  # whether its label is drawn at this scale (the script decides again on zoom)


@dataclass(frozen=True)
class View:
    kind: str  # ACTOR or TOPIC: what the lanes are
    year: int | None  # None for the whole chronology
    count: int  # entries in the view
    first: int
    last: int
    width: int
    height: int
    lanes: tuple[Lane, ...]
    others: tuple[str, ...]  # ids of the other kind's terms, for the script's filters
    marks: tuple[Mark, ...]
    cells: tuple[Cell, ...]
    ticks: tuple[Tick, ...]
    unit: str  # "entry", "month" or "year": what each mark stands for
    rtl: bool

    @property
    def path(self) -> str:
        return view_path(self.year, self.kind)

    @property
    def mark_height(self) -> int:
        return MARK_HEIGHT


def _short(number: float) -> str:
    """3.0 as "3", 3.3 as "3.3": a coordinate, to a tenth of a pixel, in the fewest bytes."""
    return f"{number:.1f}".removesuffix(".0")


def views(timeline: Timeline, language: Language) -> list[View]:
    """The whole chronology and each year, each with lanes by actor and by topic."""
    if not timeline.events:
        return []
    spans: list[tuple[int | None, tuple[Event, ...]]] = [(None, timeline.events)]
    spans += [(year.year, year.events) for year in timeline.years]
    return [
        view_of(timeline, events, kind, year, language)
        for year, events in spans
        for kind in (ACTOR, TOPIC)
    ]


def view_of(
    timeline: Timeline,
    events: tuple[Event, ...],
    kind: str,
    year: int | None,
    language: Language,
    max_entries: int = MAX_ENTRIES,
) -> View:
    terms, others = (
        (timeline.actors, timeline.topics) if kind == ACTOR else (timeline.topics, timeline.actors)
    )
    lane_ids = _lane_order(events, kind, terms)
    unit = "entry" if len(events) <= max_entries else _unit(len(lane_ids), events, year)
    first, last = _range(events, year, unit)
    axis = _Axis(first, last, WIDTH, language.rtl)
    rows = _rows(events, kind, lane_ids, axis) if unit == "entry" else {}
    lanes = _lanes(lane_ids, terms, _no_term_name(kind, language), rows)
    if unit == "entry":
        marks, cells = _marks(events, kind, lanes, rows, tuple(others), axis, language), ()
    else:
        marks, cells = (), _cells(events, kind, lanes, unit, axis, year, language)
    return View(
        kind=kind,
        year=year,
        count=len(events),
        first=first,
        last=last,
        width=WIDTH,
        height=lanes[-1].y + LABEL + lanes[-1].rows * ROW + GAP,
        lanes=lanes,
        others=tuple(others),
        marks=marks,
        cells=cells,
        ticks=_ticks(axis, language),
        unit=unit,
        rtl=axis.rtl,
    )


def day_number(moment: datetime) -> int:
    return (moment - _EPOCH).days


def _terms_of(event: Event, kind: str) -> tuple[str, ...]:
    return (event.actors if kind == ACTOR else event.topics) or (NO_TERM,)


def _lane_order(events: tuple[Event, ...], kind: str, terms: dict[str, Term]) -> list[str]:
    """The lanes with entries in the view, busiest first (then by name); entries naming none of
    this kind share a last lane."""
    counts = Counter(term for event in events for term in _terms_of(event, kind))
    named = sorted((t for t in counts if t != NO_TERM), key=lambda t: (-counts[t], terms[t].name))
    return named + ([NO_TERM] if NO_TERM in counts else [])


def _unit(lanes: int, events: tuple[Event, ...], year: int | None) -> str:
    if year is not None:
        return "month"
    months = {(e.date.year, e.date.month) for e in events}
    span = (max(months)[0] - min(months)[0]) * 12 + max(months)[1] - min(months)[1] + 1
    return "month" if lanes * span <= MAX_CELLS else "year"


def _extent(event: Event) -> tuple[int, int]:
    """The days an entry covers, [first, last): a time counts on the day it was written in (its
    own offset's), as the page shows it."""
    end = event.end or event.date
    first = _first_day(event.date)
    return first, max(
        first + 1, _first_day(end) + 1 if end.precision is Precision.TIME else day_number(end.end)
    )


def _first_day(value: EventDate) -> int:
    return (value.day - _EPOCH.date()).days


def _range(events: tuple[Event, ...], year: int | None, unit: str) -> tuple[int, int]:
    """The days the view covers: from the first entry's month (year, when counting per year) to
    the end of the last one's; a year's view stops at the year's end."""
    start = events[0].date.start
    end = max(_extent(event)[1] for event in events)
    stop = datetime.fromtimestamp(end * 86400, UTC)
    if unit == "year":
        return _day(start.year, 1), _day(stop.year + int((stop.month, stop.day) > (1, 1)), 1)
    after = (stop.year, stop.month) if stop.day == 1 else _next_month(stop.year, stop.month)
    if year is not None:
        after = min(after, (year + 1, 1))
    return _day(start.year, start.month), _day(*after)


def _day(year: int, month: int) -> int:
    return day_number(datetime(year, month, 1, tzinfo=UTC))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass(frozen=True)
class _Axis:
    first: int
    last: int
    width: int
    rtl: bool

    def box(self, first: int, last: int, minimum: float = 0) -> tuple[float, float]:
        """The x and width of the days [first, last), clipped to the view."""
        scale = self.width / (self.last - self.first)
        start = (max(first, self.first) - self.first) * scale
        width = max(minimum, (min(last, self.last) - max(first, self.first)) * scale)
        start = min(start, self.width - width)  # a mark widened at the end stays in the view
        x = self.width - start - width if self.rtl else start
        return round(x, 1), round(width, 1)

    def at(self, day: int) -> float:
        """The x of the start of `day` (the right edge of its box, right to left)."""
        start = (day - self.first) * self.width / (self.last - self.first)
        return round(self.width - start if self.rtl else start, 1)


def _rows(
    events: tuple[Event, ...], kind: str, lane_ids: list[str], axis: _Axis
) -> dict[str, dict[str, int]]:
    """Each lane's rows: the row of each of its entries, packed so that marks which would
    overlap at the view's first scale go on separate rows, up to MAX_ROWS."""
    ends: dict[str, list[float]] = {lane: [] for lane in lane_ids}
    rows: dict[str, dict[str, int]] = {lane: {} for lane in lane_ids}
    scale = axis.width / (axis.last - axis.first)
    for event in events:
        first, last = _extent(event)
        start = (first - axis.first) * scale
        end = start + max(MIN_MARK, (last - first) * scale) + 1
        for lane in _terms_of(event, kind):
            row = _free_row(ends[lane], start)
            if row == len(ends[lane]):
                ends[lane].append(end)
            else:
                ends[lane][row] = max(ends[lane][row], end)
            rows[lane][event.id] = row
    return rows


def _free_row(ends: list[float], start: float) -> int:
    """The first row whose marks end before `start`; a new row while there may be one more;
    else the row that frees up first."""
    for row, end in enumerate(ends):
        if end <= start:
            return row
    if len(ends) < MAX_ROWS:
        return len(ends)
    return min(range(len(ends)), key=ends.__getitem__)


def _no_term_name(kind: str, language: Language) -> str:
    if kind == ACTOR:
        return language.gettext("No actor named")
    return language.gettext("No topic named")


def _lanes(
    lane_ids: list[str], terms: dict[str, Term], no_term: str, rows: dict[str, dict[str, int]]
) -> tuple[Lane, ...]:
    lanes = []
    y = AXIS
    for lane_id in lane_ids:
        count = max(rows.get(lane_id, {}).values(), default=0) + 1
        name = terms[lane_id].name if lane_id != NO_TERM else no_term
        lanes.append(Lane(lane_id, name, y, count))
        y += LABEL + count * ROW + GAP
    return tuple(lanes)


def _marks(
    events: tuple[Event, ...],
    kind: str,
    lanes: tuple[Lane, ...],
    rows: dict[str, dict[str, int]],
    others: tuple[str, ...],
    axis: _Axis,
    language: Language,
) -> tuple[Mark, ...]:
    lane_index = {lane.id: index for index, lane in enumerate(lanes)}
    other_index = {term: index for index, term in enumerate(others)}
    other_kind = TOPIC if kind == ACTOR else ACTOR
    marks = []
    for event in events:
        first, last = _extent(event)
        in_lanes = tuple(lane_index[term] for term in _terms_of(event, kind))
        ys = tuple(lanes[i].y + LABEL + rows[lanes[i].id][event.id] * ROW + 1 for i in in_lanes)
        dates = (event.date, event.end) if event.end else (event.date,)
        marks.append(
            Mark(
                id=event.id,
                title=event.title,
                when=language.date_range(event.date, event.end),
                first=first,
                last=last,
                x=axis.box(first, last, MIN_MARK)[0],
                width=axis.box(first, last, MIN_MARK)[1],
                ys=ys,
                lanes=in_lanes,
                others=tuple(other_index[t] for t in _terms_of(event, other_kind) if t != NO_TERM),
                shape=_shape(event),
                approximate=any(d.approximate for d in dates),
                uncertain=any(d.uncertain for d in dates),
            )
        )
    return tuple(marks)


def _shape(event: Event) -> str:
    if event.end is not None:
        return "span"
    return "extent" if event.date.precision <= Precision.MONTH else "point"


def _cells(
    events: tuple[Event, ...],
    kind: str,
    lanes: tuple[Lane, ...],
    unit: str,
    axis: _Axis,
    year: int | None,
    language: Language,
) -> tuple[Cell, ...]:
    lane_index = {lane.id: index for index, lane in enumerate(lanes)}
    counts = Counter(
        (lane_index[term], _bucket(event.date, unit))
        for event in events
        for term in _terms_of(event, kind)
    )
    peak = max(counts.values())
    cells = []
    for (lane, bucket), count in sorted(counts.items()):
        first, last = _bucket_days(bucket)
        x, width = axis.box(first, last)
        period = language.year(bucket[0]) if len(bucket) == 1 else language.month(*bucket)
        label = language.gettext("{lane}, {period}").format(lane=lanes[lane].name, period=period)
        cells.append(
            Cell(
                lane=lane,
                first=first,
                last=last,
                x=x,
                width=max(1.0, round(width - 1, 1)),
                y=lanes[lane].y + LABEL,
                count=count,
                level=-(-count * LEVELS // peak),
                label=label,
                target=_cell_target(bucket, kind, lanes[lane], year),
            )
        )
    return tuple(cells)


def _bucket(date: EventDate, unit: str) -> tuple[int, ...]:
    return (date.year,) if unit == "year" else (date.year, date.month)


def _bucket_days(bucket: tuple[int, ...]) -> tuple[int, int]:
    if len(bucket) == 1:
        return _day(bucket[0], 1), _day(bucket[0] + 1, 1)
    return _day(*bucket), _day(*_next_month(*bucket))


def _cell_target(bucket: tuple[int, ...], kind: str, lane: Lane, year: int | None) -> str:
    """Where a count leads: a year's view filtered to its lane (and to its month), or, from a
    year's view, that month's list on the year's page."""
    if year is not None:
        return f"{year_path(year)}#month-{bucket[1]:02d}"
    query = {kind: lane.name} if lane.id != NO_TERM else {}
    if len(bucket) == 2:
        first, last = _bucket_days(bucket)
        query = {"from": day_date(first).isoformat(), "to": day_date(last - 1).isoformat(), **query}
    return view_path(bucket[0], kind) + ("?" + urlencode(query) if query else "")


def day_date(day: int) -> date:
    """A day number as a date."""
    return datetime.fromtimestamp(day * 86400, UTC).date()


def _ticks(axis: _Axis, language: Language) -> tuple[Tick, ...]:
    """A tick at each month's start (at each year's, when months would be too dense), each
    labelled when there is room: months, else years (every second, fifth… when needed)."""
    months = _months_between(axis.first, axis.last)
    per_month = axis.width / max(1, len(months))
    years_step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if per_month * 12 * s >= 44), 100)
    ticks = []
    for year, month in months:
        is_year = month == 1
        if not is_year and per_month < 5:
            continue
        shown = per_month >= 28 or (is_year and year % years_step == 0)
        label = language.year(year) if is_year else language.month_abbreviation(month)
        ticks.append(Tick(_day(year, month), axis.at(_day(year, month)), label, is_year, shown))
    return tuple(ticks)


def _months_between(first: int, last: int) -> list[tuple[int, int]]:
    start = datetime.fromtimestamp(first * 86400, UTC)
    month = (start.year, start.month) if start.day == 1 else _next_month(start.year, start.month)
    months = []
    while _day(*month) < last:
        months.append(month)
        month = _next_month(*month)
    return months

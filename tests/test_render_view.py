"""The timeline view's geometry (render/view.py), and the pages the build draws from it, parsed
back: where each entry goes, lanes, spans and uncertain dates, counts for large views, right to
left, and the links."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import SITES
from htmlwalk import broken_links, parse_html

from timeline.assemble.timeline import Timeline, assemble
from timeline.dates import parse_date
from timeline.engine.build import build_site
from timeline.engine.content import check_site
from timeline.model import Content, Event
from timeline.render import view as view_module
from timeline.render.language import language_of
from timeline.render.theme import BUILTIN_THEMES
from timeline.render.view import (
    ACTOR,
    MAX_ROWS,
    MIN_MARK,
    NO_TERM,
    TOPIC,
    WIDTH,
    day_number,
    view_of,
    views,
)


@pytest.fixture(scope="module")
def content() -> Content:
    checked = check_site(SITES / "minimal")
    assert checked.ok, checked.problems
    return checked.content


def entry(template: Event, event_id: str, date: str, **changes: object) -> Event:
    fields = {"related": (), "aliases": (), "corrections": (), "end": None, **changes}
    return dataclasses.replace(template, id=event_id, date=parse_date(date), **fields)


def with_events(content: Content, events: list[Event], language: str = "en") -> Timeline:
    site = dataclasses.replace(content.site, language=language)
    return assemble(dataclasses.replace(content, site=site, events=tuple(events)))


@pytest.fixture(scope="module")
def timeline(content: Content) -> Timeline:
    """The fixture's entries, plus a span, an approximate and an uncertain date, a month, and an
    entry naming no actor."""
    template = content.events[0]
    extra = [
        entry(template, "2023-10-20-visit", "2023-10-20", end=parse_date("2023-10-30")),
        entry(template, "2023-11-05-talks", "2023-11-05~", actors=("beta",)),
        entry(template, "2023-12-01-meeting", "2023-12-01?", actors=("alpha",)),
        entry(template, "2023-12-statement", "2023-12", actors=()),
    ]
    return with_events(content, [*content.events, *extra])


def drawn(timeline: Timeline, *args, **options):
    """The view of a timeline in its site's language (and the default theme's catalogues)."""
    language = language_of(timeline.site.language, [BUILTIN_THEMES / "default" / "locale"])
    return view_of(timeline, *args, language, **options)


def marks_by_id(view) -> dict:
    return {mark.id: mark for mark in view.marks}


def test_each_entry_is_drawn_once_in_each_of_its_lanes(timeline):
    view = drawn(timeline, timeline.events, ACTOR, None)
    assert view.unit == "entry" and view.count == len(timeline.events)
    assert sorted(marks_by_id(view)) == sorted(e.id for e in timeline.events)
    for mark in view.marks:
        lanes = [view.lanes[i].id for i in mark.lanes]
        assert lanes == list(timeline.by_id[mark.id].actors or (NO_TERM,))
        assert len(mark.ys) == len(lanes)
        for y, index in zip(mark.ys, mark.lanes, strict=True):
            lane = view.lanes[index]  # each mark sits within its lane's rows
            assert lane.y < y < lane.y + 18 + lane.rows * 12
        others = [view.others[i] for i in mark.others]
        assert others == list(timeline.by_id[mark.id].topics)


def test_a_marks_outline_is_its_rectangle_in_each_of_its_lanes(timeline):
    view = drawn(timeline, timeline.events, ACTOR, None)
    shape = re.compile(r"M([\d.]+) (\d+)h([\d.]+)v(\d+)h-([\d.]+)z")
    for mark in view.marks:
        rectangles = shape.findall(mark.outline)
        assert "".join(m.group(0) for m in shape.finditer(mark.outline)) == mark.outline
        assert [int(y) for _, y, _, _, _ in rectangles] == list(mark.ys)
        for x, _, width, height, back in rectangles:
            assert (float(x), float(width), float(back)) == (mark.x, mark.width, mark.width)
            assert int(height) == view.mark_height


def test_lanes_go_busiest_first_and_entries_naming_none_share_the_last(timeline):
    view = drawn(timeline, timeline.events, ACTOR, None)
    names = [lane.name for lane in view.lanes]
    assert names == ["Alphaland", "Betaland", "No actor named"]
    tops = [lane.y for lane in view.lanes]
    assert tops == sorted(tops) and len(set(tops)) == 3


def test_time_runs_left_to_right_and_spans_are_as_long_as_they_last(timeline):
    view = drawn(timeline, timeline.events, ACTOR, 2023)
    marks = marks_by_id(view)
    xs = [marks[e.id].x for e in timeline.years[0].events]
    assert xs == sorted(xs)
    day = WIDTH / (view.last - view.first)
    span = marks["2023-10-20-visit"]
    assert span.shape == "span" and span.width == pytest.approx(11 * day, abs=0.1)
    start = day_number(parse_date("2023-10-20").start)
    assert span.x == pytest.approx((start - view.first) * day, abs=0.1)
    assert marks["2023-10-16-first-call"].shape == "point"
    assert marks["2023-10-16-first-call"].width == pytest.approx(max(MIN_MARK, day), abs=0.1)
    month = marks["2023-12-statement"]
    assert month.shape == "extent" and month.width == pytest.approx(31 * day, abs=0.1)


def test_a_day_is_never_narrower_than_a_mark(content):
    template = content.events[0]
    decade = [
        entry(template, "2014-01-02-a", "2014-01-02"),
        entry(template, "2024-01-02-b", "2024-01-02"),
    ]
    timeline = with_events(content, decade)
    view = drawn(timeline, timeline.events, ACTOR, None)
    assert [mark.width for mark in view.marks] == [MIN_MARK, MIN_MARK]
    assert view.marks[-1].x + MIN_MARK <= WIDTH


def test_a_time_is_drawn_on_the_day_its_page_shows(content):
    # 01:00 in Jerusalem is still the day before in UTC.
    timed = entry(content.events[0], "2023-10-07-early", "2023-10-07T01:00+03:00")
    timeline = with_events(content, [timed])
    (mark,) = drawn(timeline, timeline.events, ACTOR, None).marks
    day = day_number(parse_date("2023-10-07").start)
    assert (mark.first, mark.last) == (day, day + 1)
    assert mark.when == "7 October 2023, 01:00 UTC+03:00"


def test_approximate_and_uncertain_dates_are_marked(timeline):
    marks = marks_by_id(drawn(timeline, timeline.events, ACTOR, None))
    assert marks["2023-11-05-talks"].approximate and not marks["2023-11-05-talks"].uncertain
    assert marks["2023-12-01-meeting"].uncertain and not marks["2023-12-01-meeting"].approximate
    assert not marks["2023-10-20-visit"].approximate


def test_a_year_view_covers_its_entries_months_only(timeline):
    view = drawn(timeline, timeline.years[0].events, TOPIC, 2023)
    assert view.first == day_number(parse_date("2023-10-01").start)
    assert view.last == day_number(parse_date("2024-01-01").start)
    ticks = [(t.label, t.shown) for t in view.ticks]
    assert ticks == [("Oct", True), ("Nov", True), ("Dec", True)]


def test_right_to_left_mirrors_the_axis(content, timeline):
    rtl = with_events(content, list(timeline.events), language="he")
    left = drawn(timeline, timeline.events, ACTOR, None)
    right = drawn(rtl, rtl.events, ACTOR, None)
    assert right.rtl and not left.rtl
    for a, b in zip(left.marks, right.marks, strict=True):
        assert b.x == pytest.approx(WIDTH - a.x - a.width, abs=0.11)
    assert [t.x for t in right.ticks] == [pytest.approx(WIDTH - t.x, abs=0.11) for t in left.ticks]


def test_overlapping_entries_take_separate_rows_up_to_the_limit(content):
    template = content.events[0]
    same_day = [entry(template, f"2023-10-16-call-{i}", "2023-10-16") for i in range(6)]
    timeline = with_events(content, same_day)
    view = drawn(timeline, timeline.events, ACTOR, None)
    rows = sorted({mark.ys[0] for mark in view.marks})
    assert len(rows) == MAX_ROWS and view.lanes[0].rows == MAX_ROWS


def test_a_large_view_counts_entries_per_month_and_links_each_count(timeline):
    view = drawn(timeline, timeline.events, ACTOR, None, max_entries=3)
    assert view.unit == "month" and view.marks == ()
    appearances = sum(len(e.actors or (NO_TERM,)) for e in timeline.events)
    assert sum(cell.count for cell in view.cells) == appearances
    october = next(c for c in view.cells if c.label == "Alphaland, October 2023")
    assert october.count == 2 and october.level == view_module.LEVELS
    path, query = october.target.split("?")
    assert path == "timeline/2023/"
    assert parse_qs(query) == {"from": ["2023-10-01"], "to": ["2023-10-31"], "actor": ["Alphaland"]}
    no_actor = next(c for c in view.cells if c.lane == len(view.lanes) - 1)
    assert "actor" not in no_actor.target  # the lane of entries naming none has no filter


def test_too_many_lanes_times_months_count_per_year(timeline, monkeypatch):
    monkeypatch.setattr(view_module, "MAX_CELLS", 2)
    view = drawn(timeline, timeline.events, TOPIC, None, max_entries=3)
    assert view.unit == "year"
    assert {c.label.rsplit(", ", 1)[1] for c in view.cells} == {"2023", "2024"}
    assert view.first == day_number(parse_date("2023-01-01").start)
    assert view.last == day_number(parse_date("2025-01-01").start)
    assert all(c.target.startswith(("timeline/2023/", "timeline/2024/")) for c in view.cells)


def test_a_counting_year_view_links_each_month_to_its_list(timeline):
    view = drawn(timeline, timeline.years[0].events, ACTOR, 2023, max_entries=1)
    assert view.unit == "month"
    assert {c.target for c in view.cells} == {
        "years/2023/#month-10",
        "years/2023/#month-11",
        "years/2023/#month-12",
    }


def test_views_cover_the_chronology_and_each_year_by_actor_and_by_topic(timeline):
    paths = [v.path for v in views(timeline, language_of(timeline.site.language, []))]
    assert paths == [
        "timeline/",
        "timeline/topics/",
        "timeline/2023/",
        "timeline/2023/topics/",
        "timeline/2024/",
        "timeline/2024/topics/",
    ]


# --- the pages, built and parsed back --------------------------------------------------------


class _ChartLinks(HTMLParser):
    """The links of a page's chart, each with its accessible name (its <title>)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._in_chart = self._in_title = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        values = dict(attrs)
        if tag == "svg" and values.get("id") == "view-chart":
            self._in_chart = True
        elif tag == "a" and self._in_chart:
            self.links.append((values["href"] or "", ""))
        self._in_title = tag == "title" and self._in_chart and bool(self.links)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._in_chart = self._in_chart and tag != "svg"
        self._in_title = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_title:
            href, title = self.links[-1]
            self.links[-1] = (href, title + data)


def chart_links(out: Path, path: str) -> dict[str, str]:
    """Site path of each link of the chart on page `path` -> its accessible name."""
    parser = _ChartLinks()
    parser.feed((out / path / "index.html").read_text("utf-8"))
    base = "http://site.invalid/" + path
    return {urlsplit(urljoin(base, href)).path[1:]: name for href, name in parser.links}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("view") / "out"
    assert build_site(SITES / "minimal", out, search=False).ok
    return out


def test_a_year_view_links_every_entry_of_its_year_by_date_and_title(built, content):
    for year in (2023, 2024):
        links = chart_links(built, f"timeline/{year}/")
        expected = {
            f"events/{e.id}/": f"{e.date.display()}: {e.title}"
            for e in content.events
            if e.date.year == year
        }
        assert links == expected
        assert chart_links(built, f"timeline/{year}/topics/") == expected


def test_the_whole_view_links_every_entry_and_every_link_reaches_a_page(built, content):
    links = chart_links(built, "timeline/")
    assert set(links) == {f"events/{e.id}/" for e in content.events}
    assert broken_links(built, "https://example.org/chronology/") == []


def test_view_pages_link_each_other_and_are_in_the_sitemap(built):
    page = parse_html((built / "timeline/2023/index.html").read_text("utf-8"))
    nav = [a["href"] for a in page.find("a") if "href" in a]
    for path in ("", "2024/", "2023/", "2023/topics/"):  # all years, the others, the lanes
        assert f"../../timeline/{path}" in nav, (path, nav)
    for target in ("../../years/2023/", "../../events/2023-10-16-first-call/"):
        assert target in nav, (target, nav)
    sitemap = (built / "sitemap.xml").read_text("utf-8")
    assert "https://example.org/chronology/timeline/2024/topics/" in sitemap
    header = parse_html((built / "index.html").read_text("utf-8"))
    assert "timeline/" in [a.get("href") for a in header.find("a")]

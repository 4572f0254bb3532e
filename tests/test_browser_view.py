"""The timeline view in Chromium, at a phone's width and at a desktop's: every entry reachable,
zoom and pan by keyboard, mouse and URL, filters, no JavaScript, right to left, and axe."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import AXE, ROOT, SITES, axe_violations, page_without_errors, require_chromium
from serving import static_server

from timeline.engine.build import build_site

require_chromium(AXE)

STATUS = "[data-view-status]"
MARKS = "#view-chart .view-marks > a.mark"


MANY = 1200  # more than a view draws one by one: the whole view counts them


def many_entries(site: Path) -> None:
    """The minimal fixture with MANY more entries over 2022 and 2023, naming one of its actors
    each (Alphaland twice as often) and its one topic."""
    folder = site / "content" / "events" / "many"
    folder.mkdir()
    for i in range(MANY):
        day = date(2022, 1, 1) + timedelta(days=i * 730 // MANY)
        actor = "beta" if i % 3 == 0 else "alpha"
        (folder / f"{day}-entry-{i}.md").write_text(
            f"---\ntitle: Entry {i}\ndate: {day}\nsummary: A generated entry.\n"
            f"actors: [{actor}]\ntopics: [talks]\nsources:\n  - ref: wire-report\n---\n"
        )


@pytest.fixture(scope="module")
def www(tmp_path_factory) -> Iterator[tuple[str, str, str]]:
    """The repository's site at /chronology/, the minimal fixture in Hebrew at /rtl/, and with
    MANY more entries at /many/."""
    root = tmp_path_factory.mktemp("www")
    assert build_site(ROOT, root / "chronology", search=False).ok
    hebrew = tmp_path_factory.mktemp("rtl-src") / "site"
    shutil.copytree(SITES / "minimal", hebrew)
    config = hebrew / "site.yaml"
    config.write_text(config.read_text().replace("language: en", "language: he"))
    assert build_site(hebrew, root / "rtl", search=False).ok
    many = tmp_path_factory.mktemp("many-src") / "site"
    shutil.copytree(SITES / "minimal", many)
    many_entries(many)
    assert build_site(many, root / "many", search=False, jobs=2).ok
    with static_server(root) as base:
        yield base + "chronology/", base + "rtl/", base + "many/"


@pytest.fixture(params=[375, 1280], ids=["phone", "desktop"])
def page(browser, request):
    with page_without_errors(browser, request.param) as page:
        yield page


def marks(page) -> list[dict]:
    """Each mark: its link, whether a filter hides it, and where it is drawn (an entry's path
    starts "M<x> <y>h<width>"; a count is a rect)."""
    return page.eval_on_selector_all(
        MARKS,
        """links => links.map(a => {
            const shape = a.querySelector('path, rect'), d = shape.getAttribute('d');
            const [x, width] = d ? d.match(/^M(\\S+) [^h]+h([^v]+)v/).slice(1)
                                 : [shape.getAttribute('x'), shape.getAttribute('width')];
            return {href: new URL(a.getAttribute('href'), document.baseURI).href,
                    hidden: a.classList.contains('filtered'), a: +a.dataset.a, b: +a.dataset.b,
                    x: +x, width: +width};
        })""",
    )


def drawing_width(page) -> float:
    return page.evaluate("document.getElementById('view-chart').viewBox.baseVal.width")


def view_range(page) -> tuple[date, date] | None:
    query = parse_qs(urlsplit(page.url).query)
    if "from" not in query:
        return None
    return date.fromisoformat(query["from"][0]), date.fromisoformat(query["to"][0])


def wait_for_url_change(page, before: str) -> None:
    page.wait_for_function("url => location.href !== url", arg=before)


def entry_links(page, url: str) -> list[str]:
    page.goto(url)
    return page.eval_on_selector_all(".event-list a", "links => links.map(a => a.href)")


def test_every_entry_of_a_year_is_a_link_reached_by_tab_and_shown_when_focused(www, page):
    site, _, _ = www
    expected = entry_links(page, site + "years/2024/")
    page.goto(site + "timeline/2024/")
    assert [m["href"] for m in marks(page)] == expected
    page.focus("[data-view-frame]")
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement, r = a.querySelector('path, rect');"
            " const href = new URL(a.getAttribute('href'), document.baseURI).href;"
            " return {href, x: +r.getAttribute('x'), w: +r.getAttribute('width')}; }"
        )
        reached.append(focused["href"])
        # A focused entry is brought into the drawing.
        assert focused["x"] >= 0 and focused["x"] + focused["w"] <= drawing_width(page) + 0.5
    assert reached == expected


def test_keyboard_alone_zooms_pans_and_opens_an_entry(www, page):
    site, _, _ = www
    page.goto(site + "timeline/")
    for _ in range(60):  # Tab from the top of the page to the drawing
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-view-frame]')"):
            break
    else:
        raise AssertionError("Tab never reached the timeline")
    assert view_range(page) is None  # the whole view
    before = page.url
    page.keyboard.press("+")
    wait_for_url_change(page, before)
    start, end = view_range(page)
    whole = page.evaluate(
        "(s => s.dataset.last - s.dataset.first)(document.getElementById('view-chart'))"
    )
    assert (end - start).days + 1 == pytest.approx(whole / 2, abs=1)
    before = page.url
    page.keyboard.press("ArrowRight")
    wait_for_url_change(page, before)
    later_start, later_end = view_range(page)
    assert later_start > start and (later_end - later_start) == (end - start)
    page.keyboard.press("Tab")
    target = page.evaluate(
        "new URL(document.activeElement.getAttribute('href'), document.baseURI).href"
    )
    assert "/events/" in target
    page.keyboard.press("Enter")
    page.wait_for_url(target)


def test_a_url_with_a_range_and_filters_restores_that_view(www, page, browser):
    site, _, _ = www
    china = [
        url
        for url in entry_links(page, site + "actors/china/")
        if "2023-10-01" <= url.split("/events/")[1][:10] <= "2023-12-31"
    ]
    assert china, "the repository has entries naming China at the end of 2023"
    page.goto(site + "timeline/?from=2023-10-01&to=2023-12-31&actor=China")
    assert page.input_value("#view-actor") == "China"
    assert page.inner_text(STATUS) == (
        f"Showing 1 October 2023 to 31 December 2023: {len(china)} "
        f"{'entry' if len(china) == 1 else 'entries'}."
    )
    assert sorted(drawn_inside(page)) == sorted(china)
    lanes = page.get_attribute("a[data-view-link]:not([aria-current])", "href")
    assert "from=2023-10-01" in lanes and "actor=China" in lanes  # the other lanes keep the view
    fresh = browser.new_context(viewport=page.viewport_size).new_page()
    fresh.goto(page.url)
    assert fresh.inner_text(STATUS) == page.inner_text(STATUS)
    fresh.context.close()


def drawn_inside(page) -> list[str]:
    """The entries shown (not filtered out) within the drawing's range."""
    width = drawing_width(page)
    return [
        m["href"]
        for m in marks(page)
        if not m["hidden"] and m["x"] + m["width"] > 0 and m["x"] < width
    ]


def test_filters_and_the_year_change_the_view_and_its_url(www, page):
    site, _, _ = www
    page.goto(site + "timeline/topics/")
    page.select_option("#view-year", "2024")
    page.wait_for_function("() => location.search.includes('from=2024-01-01')")
    assert view_range(page) == (date(2024, 1, 1), date(2024, 12, 31))
    page.select_option("#view-topic", label="Hostages")
    topic = page.input_value("#view-topic")
    topic_id = page.get_attribute("#view-topic option:checked", "data-id")
    page.wait_for_function(
        "t => new URLSearchParams(location.search).get('topic') === t", arg=topic
    )
    shown = drawn_inside(page)
    listed = entry_links(page.context.new_page(), site + f"topics/{topic_id}/")
    assert shown and sorted(shown) == sorted(u for u in listed if "/events/2024-" in u)


def test_drag_pans_and_ctrl_wheel_zooms_without_opening_an_entry(www, page):
    site, _, _ = www
    page.goto(site + "timeline/?from=2024-01-01&to=2024-12-31")
    frame = page.locator("[data-view-frame]").bounding_box()
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + 60
    before = page.url
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y, steps=6)
    page.mouse.up()
    wait_for_url_change(page, before)
    assert "/timeline/" in page.url  # a drag is not a click on the mark under it
    assert view_range(page)[0] > date(2024, 1, 1)
    span = view_range(page)[1] - view_range(page)[0]
    before = page.url
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    wait_for_url_change(page, before)
    assert view_range(page)[1] - view_range(page)[0] < span


def test_without_javascript_the_drawing_is_there_with_its_links(www, browser):
    site, _, _ = www
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    expected = entry_links(page, site + "years/2023/")
    page.goto(site + "timeline/2023/")
    assert page.locator("#view-chart").is_visible()
    assert [m["href"] for m in marks(page)] == expected
    titles = page.eval_on_selector_all(
        MARKS, "links => links.map(a => a.querySelector('title').textContent)"
    )
    assert all(": " in title and "2023" in title.split(": ")[0] for title in titles)
    assert not page.locator("[data-view-buttons]").is_visible()
    assert not page.locator("[data-view-controls]").is_visible()
    context.close()


def test_right_to_left_time_runs_leftwards_and_the_arrows_follow(www, page):
    _, rtl, _ = www
    page.goto(rtl + "timeline/")
    drawn = marks(page)
    assert drawn[0]["x"] > drawn[-1]["x"]  # the earliest entry is on the right
    page.focus("[data-view-frame]")
    before = page.url
    page.keyboard.press("+")
    wait_for_url_change(page, before)
    start = view_range(page)[0]
    before = page.url
    page.keyboard.press("ArrowLeft")  # leftwards is later
    wait_for_url_change(page, before)
    assert view_range(page)[0] > start


def test_a_large_view_counts_and_each_count_opens_its_entries(www, page):
    *_, many = www
    page.goto(many + "timeline/")
    assert page.locator(MARKS).count() == 0  # no mark per entry: a cell per lane and month
    cells = page.eval_on_selector_all(
        "#view-chart .cell",
        "cells => cells.map(c => [c.querySelector('title').textContent, +c.dataset.n])",
    )
    # Each generated entry names one actor; the fixture's three name four in all.
    assert sum(n for _, n in cells) == MANY + 4
    assert "Alphaland, March 2022: " in "".join(title for title, _ in cells)
    page.select_option("#view-actor", label="Betaland")
    page.wait_for_function("() => location.search.includes('actor=Betaland')")
    shown = page.eval_on_selector_all(
        "#view-chart .cell:not(.filtered)", "cells => cells.map(c => c.dataset.l)"
    )
    assert shown and set(shown) == {"1"}  # Betaland's lane, the second busiest
    page.click("#view-chart .cell:not(.filtered) >> nth=2")
    page.wait_for_url("**/timeline/2022/?from=2022-03-01&to=2022-03-31&actor=Betaland")
    assert page.input_value("#view-actor") == "Betaland"
    march = [m for m in marks(page) if not m["hidden"] and m["x"] + m["width"] > 0]
    march = [m for m in march if m["x"] < drawing_width(page)]
    days = [date(1970, 1, 1) + timedelta(days=m["a"]) for m in march]
    assert march and all(d.year == 2022 and d.month == 3 for d in days)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["chronology/timeline/", "chronology/timeline/2024/topics/", "many/timeline/"]
)
def test_axe_finds_no_violations_in_the_view(www, page, path, scheme):
    site, _, _ = www
    page.emulate_media(color_scheme=scheme)
    page.goto(site.removesuffix("chronology/") + path)
    violations = axe_violations(page)
    assert violations == [], violations

"""The fixture sites in Hebrew, Russian and Arabic in a real browser: accessible (axe), laid out
in their direction, and searched in their own words."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import AXE, ROOT, SITES, axe_violations, page_without_errors, require_chromium
from serving import static_server

from timeline.engine.build import build_site
from timeline.render.language import language_of

require_chromium(AXE)

CODES = ("he", "ru", "ar")
STATUS = "document.querySelector('[data-search-status]').textContent"
# A word of each site's content, found in one entry only.
SEARCHED = {"he": "ההצעה", "ru": "проект", "ar": "المشروع"}
FOUND = "events/2023-11-vote/"
AXE_PAGES = [
    "",
    "events/2023-10-16-first-call/",
    "events/2023-10-29-talks/",
    "actors/alpha/",
    "years/2023/",
    "timeline/2023/",
    "search/?q=",  # with the language's word
]


@pytest.fixture(scope="module")
def www(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("www")
    for code in CODES:
        assert build_site(SITES / code, root / code).ok
    with static_server(root) as base:
        yield base


@pytest.fixture
def page(browser):
    with page_without_errors(browser) as page:
        yield page


def search(page, www: str, code: str) -> list[str]:
    """Search the language's word; the results' addresses, once the status says one is found."""
    language = language_of(code, [ROOT / "timeline/themes/default/locale"])
    one = language.plural_forms("{num} entry found.", "{num} entries found.")["one"]
    page.goto(f"{www}{code}/search/?q={SEARCHED[code]}")
    page.wait_for_function(f"() => {STATUS} === {json.dumps(one.replace('{num}', '1'))}")
    return page.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("code", CODES)
def test_axe_finds_no_violations_in_each_language(www, page, code, path, scheme):
    page.emulate_media(color_scheme=scheme)
    if path.startswith("search/"):
        search(page, www, code)
    else:
        page.goto(www + code + "/" + path)
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("code", CODES)
def test_search_finds_the_languages_own_words(www, page, code):
    assert search(page, www, code) == [f"{www}{code}/{FOUND}"]


@pytest.mark.parametrize(("code", "rtl"), [("he", True), ("ar", True), ("ru", False)])
def test_the_layout_follows_the_direction_of_the_language(www, browser, code, rtl):
    """Right to left, the site's title starts at the right edge and the text runs leftwards."""
    with page_without_errors(browser, 375) as page:
        page.goto(f"{www}{code}/events/2023-10-16-first-call/")
        title = page.locator(".site-title").bounding_box()
        heading = page.locator("main h1").bounding_box()
        width = page.viewport_size["width"]
        start_gap = (width - title["x"] - title["width"]) if rtl else title["x"]
        end_gap = title["x"] if rtl else (width - title["x"] - title["width"])
        assert start_gap < end_gap
        align = page.evaluate("getComputedStyle(document.querySelector('main h1')).direction")
        assert align == ("rtl" if rtl else "ltr")
        assert heading["x"] + heading["width"] <= width
        # Nothing wider than the screen (a citation's long line would push an RTL page away).
        scroll = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll[0] <= scroll[1], scroll


# --- a site in several languages (tests/sites/translated) ---------------------------------------


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("translated")
    site = Path(shutil.copytree(SITES / "translated", root / "site"))
    assert build_site(site, root / "www" / "chronology").ok
    with static_server(root / "www") as base:
        yield base + "chronology/"


def found_in(page, url: str) -> list[str]:
    """The results' addresses once a search page has answered (or said it found none)."""
    page.goto(url)
    page.wait_for_function(
        "() => document.querySelector('[data-search-results]').getAttribute('aria-busy')"
        " === 'false'"
    )
    return page.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.href)")


FIRST = "events/2023-10-16-first-call/"


@pytest.mark.parametrize(
    ("edition", "word"), [("", "hour"), ("he/", "טלפוניה"), ("ru/", "телефония")]
)
def test_each_language_searches_its_own_words(translated, page, edition, word):
    assert found_in(page, f"{translated}{edition}search/?q={word}") == [
        f"{translated}{edition}{FIRST}"
    ]
    others = [e for e in ("", "he/", "ru/") if e != edition]
    for other in others:  # another language's index has not that word
        assert found_in(page, f"{translated}{other}search/?q={word}") == []


def test_filters_work_in_each_language(translated, page):
    for edition in ("", "he/", "ru/"):
        found = found_in(page, f"{translated}{edition}search/?actor=Betaland")
        assert found == [
            f"{translated}{edition}{FIRST}",
            f"{translated}{edition}events/2024-02-05-second-call/",
        ]


@pytest.mark.parametrize(("edition", "kind"), [("", "Wire agency"), ("he/", "סוכנות ידיעות")])
def test_the_kind_of_source_filters_in_each_language(translated, page, edition, kind):
    found = found_in(page, f"{translated}{edition}search/?type={kind}")
    assert found == [f"{translated}{edition}{FIRST}", f"{translated}{edition}events/2023-11-vote/"]
    assert page.locator("#search-type").input_value() == kind


def test_the_switcher_opens_the_same_page_in_another_language(translated, page):
    page.goto(f"{translated}he/{FIRST}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.click(".languages a[hreflang=ru]")
    page.wait_for_url(f"{translated}ru/{FIRST}")
    assert (
        page.locator("h1").inner_text() == "Лидеры Альфаландии и Беталандии поговорили по телефону"
    )
    page.click(".languages a[hreflang=en]")
    page.wait_for_url(f"{translated}{FIRST}")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("path", ["he/events/2024-02-05-second-call/", "he/", "ru/search/?q=hour"])
def test_axe_finds_no_violations_on_a_page_with_an_untranslated_entry(translated, page, path):
    page.goto(translated + path)
    if "search" in path:
        page.wait_for_function(
            "() => document.querySelector('[data-search-results]').getAttribute('aria-busy')"
            " === 'false'"
        )
    violations = axe_violations(page)
    assert violations == [], violations

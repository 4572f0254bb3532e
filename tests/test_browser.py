"""Search, navigation and accessibility in a real browser: Playwright driving Debian's Chromium
against the built site, served on 127.0.0.1 under a sub-path (as on a real host)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import AXE, ROOT, SITES, axe_violations, page_without_errors, require_chromium
from gitrepo import commit_all, init_repo
from serving import static_server

from timeline.engine.build import build_site

require_chromium(AXE)

STATUS = "document.querySelector('[data-search-status]').textContent"


@pytest.fixture(scope="module")
def www(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Serve the repository's site at /chronology/ and the minimal fixture at /minimal/."""
    root = tmp_path_factory.mktemp("www")
    assert build_site(ROOT, root / "chronology").ok
    minimal = tmp_path_factory.mktemp("minimal-src") / "site"
    shutil.copytree(SITES / "minimal", minimal)
    init_repo(minimal)  # two commits: a version page with a diff
    commit_all(minimal, "Add the entries")
    entry = minimal / "content/events/2023/2023-10-16-first-call.md"
    entry.write_text(entry.read_text().replace("first call", "opening call"))
    commit_all(minimal, "Say opening call", when="2024-03-02T09:00:00+00:00")
    assert build_site(minimal, root / "minimal").ok
    with static_server(root) as base:
        yield base + "chronology/", base + "minimal/"


@pytest.fixture
def page(browser):
    with page_without_errors(browser) as page:
        yield page


def results(page) -> list[str]:
    """The hrefs of the search results currently shown (resolved to absolute URLs)."""
    return page.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.href)")


def search(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_function(f"() => /found|No entries|Type a word/.test({STATUS})")
    return results(page)


def type_query(page, text: str) -> list[str]:
    page.fill("#search-q", text)
    page.wait_for_function(
        "q => new URLSearchParams(location.search).get('q') === q && "
        "/found/.test(document.querySelector('[data-search-status]').textContent)",
        arg=text,
    )
    return results(page)


def choose(page, select: str, label: str) -> list[str]:
    """Pick a filter and wait for the results of the new query (the list is aria-busy until
    they are in)."""
    page.select_option(select, label)
    page.wait_for_function(
        "() => document.querySelector('[data-search-results]').ariaBusy === 'false'"
    )
    return results(page)


def test_a_word_from_a_body_finds_its_entry(www, page):
    site, _ = www
    search(page, site + "search/")
    found = type_query(page, "Makhachkala")
    assert found == [site + "events/2023-10-29-dagestan-airport-riot/"]


def test_actor_filter_narrows_results(www, page):
    site, _ = www
    search(page, site + "search/")
    broad = type_query(page, "Security Council")
    narrow = choose(page, "#search-actor", "China")
    assert "actor=China" in page.url
    assert 0 < len(narrow) < len(broad)
    assert set(narrow) <= set(broad)
    for url in narrow:  # each remaining entry names China among its actors
        page2 = page.context.new_page()
        page2.goto(url)
        assert "China" in page2.locator(".event-facts").inner_text()
        page2.close()


def test_results_from_several_years_come_in_date_order(www, page):
    # The index is in shards, one per year, merged in the browser: the order across them is the
    # search page's to make.
    site, _ = www
    found = search(page, site + "search/?actor=Russia")
    page.goto(site + "events/")
    chronological = page.eval_on_selector_all(".event-list a", "links => links.map(a => a.href)")
    years = {url.split("/events/")[1][:4] for url in found}
    assert len(years) >= 3, years
    assert found == [url for url in chronological if url in set(found)]


def test_result_opens_the_permalink(www, page):
    site, _ = www
    search(page, site + "search/")
    type_query(page, "Makhachkala")
    page.click("[data-search-results] a")
    page.wait_for_url(site + "events/2023-10-29-dagestan-airport-riot/")
    assert "Dagestan" in page.locator("h1").inner_text() or "Makhachkala" in page.content()


def test_leaving_the_box_keeps_the_results_under_the_pointer(www, page):
    # Leaving the search box fires "change" with the same query; rebuilding the list then
    # would swallow a click on a result (the link under mousedown would be gone by mouseup).
    site, _ = www
    search(page, site + "search/")
    type_query(page, "Makhachkala")
    page.eval_on_selector("[data-search-results] a", "a => { a.dataset.marked = 'yes'; }")
    page.dispatch_event("#search-q", "change")
    page.wait_for_timeout(300)
    assert page.get_attribute("[data-search-results] a", "data-marked") == "yes"


def test_filtered_url_loaded_fresh_restores_the_view(www, page, browser):
    site, _ = www
    search(page, site + "search/")
    type_query(page, "hostages")
    shown = choose(page, "#search-year", "2023")
    shared_url = page.url
    assert "q=hostages" in shared_url and "year=2023" in shared_url and shown

    fresh = browser.new_context().new_page()
    assert search(fresh, shared_url) == shown
    assert fresh.input_value("#search-q") == "hostages"
    assert fresh.input_value("#search-year") == "2023"
    fresh.context.close()


def test_russian_and_hebrew_words_find_their_entries(www, page):
    site, minimal = www
    # Pagefind also ranks, far lower, pages holding a Russian word the query starts with ("в"):
    # the one entry that says the word comes first.
    found = search(page, site + "search/?q=варварским")
    assert found[0] == site + "events/2024-01-23-lavrov-cbs-interview/", found
    assert search(page, minimal + "search/?q=שיחה") == [minimal + "events/2023-10-16-first-call/"]
    assert search(page, minimal + "search/?q=переговоры") == [
        minimal + "events/2023-10-16-first-call/"
    ]


def test_header_search_box_leads_to_the_search_page(www, page):
    site, _ = www
    page.goto(site + "events/2023-12-10-netanyahu-putin-call/")
    page.fill("#site-search-q", "Makhachkala")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=Makhachkala")
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] a').length > 0")
    assert results(page) == [site + "events/2023-10-29-dagestan-airport-riot/"]


def test_without_javascript_the_header_offers_browse_links(www, browser):
    site, _ = www
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    assert not page.locator("[data-site-search]").is_visible()
    nav = page.locator(".site-nav a")
    assert nav.count() >= 4 and nav.first.is_visible()
    page.goto(site + "search/")
    assert page.locator("[data-search-nojs]").is_visible()
    context.close()


def test_keyboard_alone_reaches_search_box_filters_and_results(www, page):
    site, _ = www
    search(page, site + "search/?q=Makhachkala")
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || (e.closest('[data-search-results]') ? 'result' : e.tagName); }"
            )
        )
        if "result" in reached:
            break
    for wanted in ("search-q", "search-actor", "search-topic", "search-year", "result"):
        assert wanted in reached, reached
    assert reached.index("search-q") < reached.index("search-actor") < reached.index("result")
    page.keyboard.press("Enter")
    page.wait_for_url(site + "events/2023-10-29-dagestan-airport-riot/")


def test_activity_bars_link_to_their_month(www, page):
    site, _ = www
    page.goto(site)
    bars = page.locator("svg.activity-chart a")
    assert bars.count() > 5
    bars.first.click()
    assert page.url.startswith(site + "years/") and "#month-" in page.url


AXE_PAGES = [
    "",
    "events/2023-12-10-netanyahu-putin-call/",
    "years/2023/",
    "actors/russia/",
    "search/?q=Security%20Council",
    "sources/2023-12-10-jewish-link-tps-netanyahu-putin-call/",
    # The minimal fixture is a git repository made by `www` (the repository's own history may be
    # missing where the tests run): a version with its diff, and the record of changes.
    "../minimal/events/2023-10-16-first-call/v/2/",
    "../minimal/changes/",
]


THEME = ROOT / "themes" / "israel-russia"


@pytest.mark.parametrize(("scheme", "accent"), [("light", "#0e5f5b"), ("dark", "#6fcfc5")])
def test_the_chronology_is_drawn_with_its_own_theme(www, page, scheme, accent):
    """What the axe and other browser tests see is the site as its theme (themes/) draws it."""
    site, _ = www
    page.emulate_media(color_scheme=scheme)
    page.goto(site)
    style = "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
    assert page.evaluate(style) == accent
    headings = page.locator("footer h2").all_inner_texts()
    assert headings == ["Editorial policy", "Reporting an error"]
    assert "Later events are not entered yet" in page.locator(".intro .coverage").inner_text()
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.text())")
    assert icon == (THEME / "static" / "favicon.svg").read_text()
    image = page.get_attribute('meta[property="og:image"]', "content")
    assert image == "https://timeline.example.org/static/social.png"
    png = page.evaluate(
        "fetch('static/social.png').then(r => r.arrayBuffer()).then(b => b.byteLength)"
    )
    assert png == (THEME / "static" / "social.png").stat().st_size


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_violations(www, page, path, scheme):
    site, _ = www
    page.emulate_media(color_scheme=scheme)
    page.goto(site + path)
    if path.startswith("search/"):
        page.wait_for_function(f"() => /found/.test({STATUS})")
    violations = axe_violations(page)
    assert violations == [], violations

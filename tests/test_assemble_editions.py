"""The site in its other languages (assemble/editions.py and what a build makes of it): each
language under /<lang>/ with every page, hreflang both ways, a language switcher, entries in
their translation or marked as shown untranslated, feeds and exports saying their language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from gitrepo import commit_all, init_repo
from htmlwalk import parse_html

from timeline.assemble.editions import edition_content
from timeline.engine.build import build_site
from timeline.engine.content import check_site

SITE = SITES / "translated"
BASE = "https://example.org/chronology/"
EDITIONS = {"en": "", "he": "he/", "ru": "ru/"}
# Pages of the site's own language only: an entry's versions are the original's, and the 404
# page and static files are served from the root for every language.
OWN_ONLY = ("404.html", "changes/")
FIRST_EN = "events/2023-10-16-first-call/index.html"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    # A copy: the repository's history would add the versions of the entries, which are pages
    # of the site's own language only (tested below with a history of its own).
    site = Path(shutil.copytree(SITE, tmp_path_factory.mktemp("translated") / "site"))
    out = site.parent / "out"
    assert build_site(site, out).ok
    return out


def pages_of(out: Path, edition: str) -> set[str]:
    """The HTML pages of one edition, by their path in it."""
    root = out / edition
    others = [out / e for e in EDITIONS.values() if e and e != edition]
    return {
        page.relative_to(root).as_posix()
        for page in root.rglob("*.html")
        if not any(other in page.parents for other in others)
    }


def read(out: Path, path: str):
    return parse_html((out / path).read_text(encoding="utf-8"))


def test_each_language_has_every_page_of_the_site(out):
    own = {p for p in pages_of(out, "") if not p.startswith(OWN_ONLY)}
    assert len(own) > 20
    assert pages_of(out, "he/") == own
    assert pages_of(out, "ru/") == own
    assert not (out / "he" / "static").exists() and not (out / "he" / "404.html").exists()


def test_hreflang_links_go_both_ways_and_land_on_the_same_page(out):
    for edition in EDITIONS.values():
        for path in pages_of(out, edition):
            if path.startswith((*OWN_ONLY, "embed/")):  # an embed card is a frame's
                continue
            alternates = {
                link["hreflang"]: link["href"]
                for link in read(out, edition + path).find("link", rel="alternate")
                if "hreflang" in link
            }
            url = path.removesuffix("index.html")
            expected = {code: BASE + prefix + url for code, prefix in EDITIONS.items()}
            assert alternates == {**expected, "x-default": BASE + url}, edition + path


def test_the_switcher_links_each_page_to_itself_in_the_other_languages(out):
    for edition in EDITIONS.values():
        for path in ["index.html", "events/2023-10-16-first-call/index.html", "search/index.html"]:
            page = read(out, edition + path)
            here = out / edition / path
            links = [a for a in page.find("a") if "hreflang" in a]
            assert sorted(a["hreflang"] for a in links) == sorted(
                code for code, prefix in EDITIONS.items() if prefix != edition
            )
            for link in links:
                landed = (here.parent / link["href"]).resolve()
                landed = landed / "index.html" if landed.is_dir() else landed
                assert landed == (out / EDITIONS[link["hreflang"]] / path).resolve()
                assert link["lang"] == link["hreflang"]


def test_a_translated_entry_is_shown_in_its_translation(out):
    page = (out / "he/events/2023-10-16-first-call/index.html").read_text(encoding="utf-8")
    html = parse_html(page)
    assert html.find("h1")[0].get("lang") is None
    assert "מנהיגי אלפלנד ובטלנד שוחחו בטלפון" in page
    assert "untranslated" not in page
    # What a translation cannot change: the date, the sources and their quotes.
    assert "16 באוקטובר 2023" in page and "a frank conversation" in page
    assert "טלפוניה" in page  # the translated body
    # The quote as the source gives it, in its language; our translation beside it, as ours.
    quote = '<blockquote class="quote" dir="auto" lang="en"><p>a frank conversation</p>'
    assert quote in page
    assert '<p class="our-translation"><strong>התרגום שלנו:</strong> <bdi>שיחה גלויה</bdi>' in page
    assert "our-translation" not in (out / FIRST_EN).read_text(encoding="utf-8")


def test_an_untranslated_entry_is_shown_as_written_and_said_so(out):
    page = (out / "he/events/2024-02-05-second-call/index.html").read_text(encoding="utf-8")
    assert 'class="untranslated"' in page
    assert '<header class="event-header" lang="en">' in page
    assert "A second call, of uncertain date" in page
    listing = (out / "ru/years/2023/index.html").read_text(encoding="utf-8")
    assert '<h3 class="event-item-title" lang="en">' in listing  # the vote, not in Russian
    russian = (out / "ru/events/2023-11-vote/index.html").read_text(encoding="utf-8")
    assert 'class="untranslated"' in russian


def test_every_link_of_every_language_resolves(out):
    for edition in EDITIONS.values():
        for path in pages_of(out, edition):
            page = read(out, edition + path)
            here = out / edition / path
            for href in page.links():
                if href.startswith(("http:", "https:", "mailto:", "#")):
                    continue
                link = href.split("#")[0].split("?")[0]
                target = (here.parent / link).resolve()
                target = target / "index.html" if link.endswith("/") or not link else target
                assert target.is_file(), f"{edition}{path}: {href}"


def test_feeds_and_exports_say_their_language(out):
    assert json.loads((out / "he/events.json").read_text())["site"]["language"] == "he"
    feed = (out / "ru/feed.xml").read_text(encoding="utf-8")
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">' in feed
    assert feed.count('<entry xml:lang="en">') == 2  # two entries have no Russian words yet
    calendar = (out / "he/events.ics").read_text(encoding="utf-8")
    assert "SUMMARY;LANGUAGE=he:" in calendar and "SUMMARY;LANGUAGE=en:" in calendar


def test_a_site_in_one_language_has_no_switcher_nor_alternates(tmp_path):
    out = tmp_path / "out"
    assert build_site(SITES / "minimal", out).ok
    page = (out / "events/2023-10-16-first-call/index.html").read_text(encoding="utf-8")
    assert 'class="languages"' not in page and "hreflang" not in page


def test_edition_content_keeps_what_a_translation_cannot_change():
    content = check_site(SITE).content
    he = next(e for e in content.site.editions if e.language == "he")
    hebrew = edition_content(content, he)
    assert hebrew.site.base_url == BASE + "he/" and hebrew.site.language == "he"
    for original, shown in zip(content.events, hebrew.events, strict=True):
        assert (shown.id, shown.date, shown.citations, shown.actors) == (
            original.id,
            original.date,
            original.citations,
            original.actors,
        )
    assert [e.text_language for e in hebrew.events] == ["", "", "en"]


def test_versions_are_the_original_languages_pages(tmp_path):
    site = Path(shutil.copytree(SITE, tmp_path / "site"))
    init_repo(site)
    commit_all(site, "Add the entries")
    out = tmp_path / "out"
    assert build_site(site, out).ok
    version = out / "events/2023-10-16-first-call/v/1/index.html"
    assert version.is_file() and not (out / "he/events/2023-10-16-first-call/v").exists()
    page = parse_html(version.read_text(encoding="utf-8"))
    assert not [link for link in page.find("link") if "hreflang" in link]
    switch = {a["hreflang"]: a["href"] for a in page.find("a") if "hreflang" in a}
    assert switch == {"he": "../../../../he/", "ru": "../../../../ru/"}  # their home pages
    hebrew = (out / "he/events/2023-10-16-first-call/index.html").read_text(encoding="utf-8")
    assert "v/1/" not in hebrew


def test_robots_txt_at_the_root_names_the_sitemap_of_each_language(out):
    assert (out / "robots.txt").read_text().splitlines()[2:] == [
        f"Sitemap: {BASE}sitemap.xml",
        f"Sitemap: {BASE}he/sitemap.xml",
        f"Sitemap: {BASE}ru/sitemap.xml",
    ]
    assert not (out / "he/robots.txt").exists()
    assert f"<loc>{BASE}he/events/2023-10-16-first-call/</loc>" in (
        out / "he/sitemap.xml"
    ).read_text(encoding="utf-8")

"""Citable versions: a site built from a temporary git repository with a scripted history (an
addition, an edit, a correction, a rename with an alias, a deletion) has a page per committed
version of each entry, with its word diff, and citations of each version."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from conftest import SITES
from gitrepo import commit_all, git, init_repo, write
from htmlwalk import broken_links, parse_html, section_text

from timeline.engine.build import build_site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE = "https://example.org/chronology/"
EVENTS = "content/events"
FIRST = f"{EVENTS}/2023/2023-10-16-first-call.md"
VOTE = f"{EVENTS}/2023/2023-11-vote.yaml"
SECOND = f"{EVENTS}/2024/2024-02-05-second-call.md"
RENAMED = f"{EVENTS}/2024/2024-02-05-second-phone-call.md"
EXTRA = f"{EVENTS}/2023/2023-12-01-extra.yaml"
OLD_REPORT = "content/sources/old-report.yaml"
ARCHIVED = "https://web.archive.org/web/20231017101010/https://example.org/news/leaders-talk"


def edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text("utf-8")
    assert old in text, (path, old)
    (root / path).write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    """The minimal site, committed in five steps."""
    root = tmp_path / "site"
    shutil.copytree(SITES / "minimal", root)
    init_repo(root)
    write(root, OLD_REPORT, "publisher: An Old Paper\nurl: https://example.org/old\n")
    edit(root, VOTE, "  - ref: wire-report", "  - ref: old-report")
    write(root, EXTRA, VOTE_TEXT)
    source = root / "content/sources/wire-report.yaml"
    source.write_text(source.read_text() + f"archived_url: {ARCHIVED}\n")
    commit_all(root, "Add the first entries", "2024-03-01T09:00:00+00:00")
    edit(root, FIRST, "hold their first call", "hold their opening call")
    commit_all(root, "Say opening call", "2024-03-02T09:00:00+00:00")
    edit(root, VOTE, "  - ref: old-report", "  - ref: wire-report")
    (root / VOTE).write_text(
        (root / VOTE).read_text() + "corrections:\n  - date: 2024-03-03\n    note: A source.\n"
    )
    (root / OLD_REPORT).unlink()
    commit_all(root, "Correct the vote's source", "2024-03-03T09:00:00+00:00")
    git(root, "mv", SECOND, RENAMED)
    edit(root, RENAMED, "date_note:", "aliases: [2024-02-05-second-call]\ndate_note:")
    commit_all(root, "Rename the second call", "2024-03-04T09:00:00+00:00")
    git(root, "rm", "-q", EXTRA)
    commit_all(root, "Remove the extra entry", "2024-03-05T09:00:00+00:00")
    return root


VOTE_TEXT = """title: An extra entry
date: 2023-12-01
summary: Removed later.
actors: [alpha]
topics: [votes]
sources:
  - ref: wire-report
"""


def page(out: Path, url: str):
    return parse_html((out / url / "index.html").read_text("utf-8"))


def html(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text("utf-8")


def marked(page_html: str, tag: str) -> list[str]:
    """The text of each <del> or <ins> of the diff, its screen-reader markers included."""
    diff = page_html.split('class="diff-text"', 1)[1].split("</pre>", 1)[0]
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(rf"<{tag}>(.*?)</{tag}>", diff, re.S)]


def test_each_committed_version_has_its_page_and_its_diff(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    first = "events/2023-10-16-first-call/"
    assert sorted(p.name for p in (out / first / "v").iterdir()) == ["1", "2"]
    second = html(out, first + "v/2/")
    assert marked(second, "del") == ["[deleted: first]"]
    assert marked(second, "ins") == ["[inserted: opening]"]
    assert "hold their opening call" in section_text(second, "p", "lede")
    one = html(out, first + "v/1/")
    assert "hold their first call" in section_text(one, "p", "lede")
    assert "This is the first version" in one
    assert "Say opening call" in section_text(second, "aside", "version-note")
    assert broken_links(out, BASE) == []


def test_the_entry_lists_its_versions_and_cites_the_one_it_shows(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    first = "events/2023-10-16-first-call/"
    listed = section_text(html(out, first), "section", "history")
    assert "Version 2 , 2 March 2024 (updated): Say opening call · shown here" in listed
    assert "Version 1 , 1 March 2024 (added): Add the first entries" in listed
    links = [a["href"] for a in page(out, first).find("a") if "/v/" in a.get("href", "")]
    assert {urljoin(BASE + first, link) for link in links} == {
        BASE + first + "v/1/",
        BASE + first + "v/2/",
    }
    cite_box = section_text(html(out, first), "div", "cite-version")
    assert f"{BASE}{first}v/2/" in cite_box and "2 March 2024" in cite_box
    assert "Mar. 2024" in cite_box  # MLA, dated by the version's commit
    living = section_text(html(out, first), "section", "cite").split("Cite this version")[0]
    assert f"{BASE}{first}v/" not in living and f"{BASE}{first}" in living


def test_a_correction_and_a_version_that_no_longer_passes(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    vote = "events/2023-11-vote/"
    assert "(corrected): Correct the vote" in section_text(html(out, vote), "section", "history")
    # Version 1 cited a record since removed from the register: it is shown as its text.
    one = html(out, vote + "v/1/")
    assert "no longer passes today" in one
    assert "ref: old-report" in section_text(one, "pre", "version-text")
    assert "[deleted: old]" in marked(html(out, vote + "v/2/"), "del")


def test_a_renamed_entry_keeps_its_versions_and_its_old_addresses(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    new, old = "events/2024-02-05-second-phone-call/", "events/2024-02-05-second-call/"
    listed = section_text(html(out, new), "section", "history")
    assert "Version 2 , 4 March 2024 (renamed)" in listed and "Version 1 , 1 March 2024" in listed
    for number in (1, 2):
        moved = page(out, f"{old}v/{number}/")
        [refresh] = [a for t, a in moved.elements if a.get("http-equiv") == "refresh"]
        target = urljoin(f"{BASE}{old}v/{number}/", refresh["content"].split("url=")[1])
        assert target == f"{BASE}{new}v/{number}/"
    assert not (out / "events/2023-12-01-extra").exists()  # removed: no page, no version


def test_an_edit_makes_one_new_version_page_and_stays_exact(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    edit(site, FIRST, "The call lasted an hour", "The call lasted about an hour")
    commit_all(site, "Say about an hour", "2024-03-06T09:00:00+00:00")
    result = build_site(site, out, search=False)
    assert result.ok
    versions = [path for path in result.remade if "/v/" in path]
    assert versions == ["events/2023-10-16-first-call/v/3/index.html"]
    full = build_site(site, tmp_path / "full", search=False, incremental=False)
    assert full.ok
    made = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    cold = tmp_path / "full"
    assert made == {p.relative_to(cold): p.read_bytes() for p in cold.rglob("*") if p.is_file()}


def test_without_git_there_are_no_versions_and_the_summary_says_so(cli, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    result = cli("build", "--site", str(site), "--output", str(tmp_path / "out"), "--no-search")
    assert result.returncode == 0
    assert "the version pages are left out" in result.stderr
    assert not list((tmp_path / "out" / "events").glob("*/v"))
    assert not (tmp_path / "out" / "changes.xml").exists()
    assert not (tmp_path / "out" / "changes").exists()


def test_changes_page_and_feed_list_each_change_newest_first(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    feed = feedparser.parse((out / "changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert titles[:4] == [
        "Removed: An extra entry",
        "Renamed: A second call, of uncertain date",
        "Corrected: Council votes on a draft",
        "Updated: Leaders of Alphaland and Betaland talk by phone",
    ]
    assert sorted(titles[4:]) == [
        "Added: A second call, of uncertain date",
        "Added: Council votes on a draft",
        "Added: Leaders of Alphaland and Betaland talk by phone",
    ]
    stamps = [entry.updated_parsed for entry in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert feed.entries[2].summary == "Correct the vote's source"
    for entry in feed.entries[1:]:  # each leads to its version's diff
        url, _, anchor = entry.link.partition("#")
        assert anchor == "changes" and "/v/" in url
        assert 'id="changes"' in html(out, url.removeprefix(BASE))
    assert feed.entries[0].get("links", []) == []  # a removed entry has no page left
    listed = section_text(html(out, "changes/"), "ol", "change-list")
    order = [listed.index(title.split(": ", 1)[1]) for title in titles[:4]]
    assert order == sorted(order)
    assert broken_links(out, BASE) == []


def meta(out: Path, url: str) -> dict[str, str]:
    return {a["name"]: a["content"] for a in page(out, url).find("meta") if "name" in a}


def test_reference_managers_find_the_entry_and_each_version(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    first = "events/2023-10-16-first-call/"
    living = meta(out, first)
    assert living["citation_title"] == "Leaders of Alphaland and Betaland talk by phone"
    assert living["citation_publication_date"] == "2024/03/01"  # its first version
    assert living["citation_online_date"] == "2024/03/02"  # its last change
    assert living["citation_public_url"] == living["DC.identifier"] == BASE + first
    assert (living["DC.date"], living["DC.language"]) == ("2024-03-01", "en")
    assert living["DC.creator"] == living["DC.publisher"] == "Minimal chronology"
    one = meta(out, first + "v/1/")
    assert one["citation_publication_date"] == one["citation_online_date"] == "2024/03/01"
    assert one["citation_public_url"] == BASE + first + "v/1/"


def test_quotes_link_to_their_words_and_sources_to_their_archived_copy(site, tmp_path):
    out = tmp_path / "out"
    assert build_site(site, out, search=False).ok
    links = page(out, "events/2023-10-16-first-call/").find("a")
    hrefs = [a["href"] for a in links]
    assert "https://example.org/news/leaders-talk#:~:text=a%20frank%20conversation" in hrefs
    assert f"{ARCHIVED}#:~:text=a%20frank%20conversation" in hrefs
    to_source = [a for a in links if a["href"] == "https://example.org/news/leaders-talk"]
    assert len(to_source) == 2  # the body's link, and the source list's
    [source] = [a for a in to_source if "data-versionurl" in a]
    assert source["data-versionurl"] == ARCHIVED
    assert source["data-versiondate"] == "2023-10-17"

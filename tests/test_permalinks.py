"""Event pages for citing and sharing: JSON-LD, oEmbed, embeds, cite box, redirects, history,
and `timeline check --against`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import extruct
import pytest
from conftest import SITES
from htmlwalk import broken_links, parse_html, section_text

from timeline.engine.build import build_site

HOSTILE_TITLE = 'He said "</script><script>alert(1)</script>" & left <b>'
FIRST = "2023-10-16-first-call"


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITES / "minimal", root)
    return root


def build(root: Path, out: Path) -> Path:
    result = build_site(root, out)
    assert result.ok, result.problems
    return out


def set_title(root: Path, title: str) -> None:
    entry = root / "content" / "events" / "2023" / f"{FIRST}.md"
    text = entry.read_text()
    old = "title: Leaders of Alphaland and Betaland talk by phone"
    entry.write_text(text.replace(old, "title: " + json.dumps(title)))


def test_json_ld_is_read_by_an_extractor_and_round_trips_hostile_text(site, tmp_path):
    set_title(site, HOSTILE_TITLE)
    out = build(site, tmp_path / "out")
    html = (out / "events" / FIRST / "index.html").read_text()
    assert "</script><script>alert(1)" not in html
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(data) == 1
    article = data[0]
    assert article["@type"] == "Article"
    assert article["headline"] == HOSTILE_TITLE
    assert article["url"] == "https://example.org/chronology/events/2023-10-16-first-call/"
    assert article["about"]["@type"] == "Event"
    assert article["about"]["startDate"] == "2023-10-16"
    assert article["dateModified"] == "2023-10-20"  # the correction dates the page
    citations = article["citation"]
    assert citations[0]["url"] == "https://example.org/news/leaders-talk"
    assert citations[0]["publisher"]["name"] == "Example Wire Service"
    assert citations[1]["publisher"]["name"] == "Another Paper"
    page = parse_html(html)
    scripts = page.find("script", type="application/ld+json")
    assert len(scripts) == 1  # the hostile title did not open a second script element


def test_every_event_page_has_json_ld_open_graph_and_canonical(site, tmp_path):
    out = build(site, tmp_path / "out")
    for event_dir in sorted(p for p in (out / "events").iterdir() if p.is_dir()):
        html = (event_dir / "index.html").read_text()
        page = parse_html(html)
        url = f"https://example.org/chronology/events/{event_dir.name}/"
        assert page.find("link", rel="canonical")[0]["href"] == url
        assert page.find("meta", property="og:url")[0]["content"] == url
        assert page.find("meta", property="og:type")[0]["content"] == "article"
        assert page.find("meta", name="twitter:card")[0]["content"] == "summary"
        title = page.find("meta", property="og:title")[0]["content"]
        data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
        assert data[0]["headline"] == title


def test_oembed_discovery_and_response_follow_the_spec(site, tmp_path):
    out = build(site, tmp_path / "out")
    page = parse_html((out / "events" / FIRST / "index.html").read_text())
    link = page.find("link", type="application/json+oembed")[0]
    expected = "https://example.org/chronology/events/2023-10-16-first-call/oembed.json"
    assert link["href"] == expected
    data = json.loads((out / "events" / FIRST / "oembed.json").read_text())
    # oEmbed 1.0, section 2.3.4: version and type always; html, width, height for "rich".
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    frame = parse_html(data["html"]).find("iframe")[0]
    assert frame["src"] == "https://example.org/chronology/embed/2023-10-16-first-call/"
    assert (out / "embed" / FIRST / "index.html").is_file()
    card = parse_html((out / "embed" / FIRST / "index.html").read_text())
    assert not card.find("script")
    assert card.find("a", href="https://example.org/chronology/events/2023-10-16-first-call/")


def test_cite_box_offers_every_form_with_permalink(site, tmp_path):
    out = build(site, tmp_path / "out")
    html = (out / "events" / FIRST / "index.html").read_text()
    box = section_text(html, "section", "cite")
    for label in ("Reference", "Chicago", "APA", "MLA", "BibTeX", "CSL-JSON", "Embed"):
        assert label in box
    assert box.count("https://example.org/chronology/events/2023-10-16-first-call/") >= 6
    assert "@misc{2023-10-16-first-call," in box
    assert "2023" in box and "20" in box  # the last-updated date, from the correction


def test_aliases_become_redirect_pages(site, tmp_path):
    entry = site / "content" / "events" / "2023" / f"{FIRST}.md"
    entry.write_text(entry.read_text().replace("related:", "aliases: [old-first-call]\nrelated:"))
    out = build(site, tmp_path / "out")
    page = parse_html((out / "events" / "old-first-call" / "index.html").read_text())
    metas = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == "refresh"]
    assert metas and metas[0]["content"] == "0; url=../../events/2023-10-16-first-call/"
    canonical = page.find("link", rel="canonical")[0]["href"]
    assert canonical == "https://example.org/chronology/events/2023-10-16-first-call/"
    assert page.find("a", href="../../events/2023-10-16-first-call/")  # a visible link too
    assert broken_links(out, "https://example.org/chronology/") == []
    sitemap = (out / "sitemap.xml").read_text()
    assert "old-first-call" not in sitemap and "2023-10-16-first-call" in sitemap


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": "2024-03-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-03-01T12:00:00+00:00",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_history_from_git_lists_versions_and_dates_the_page(site, tmp_path):
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "First version of the chronology")
    (site / "site.yaml").write_text(
        (site / "site.yaml").read_text() + "repository_url: https://git.example.org/chronology\n"
    )
    out = build(site, tmp_path / "out")
    html = (out / "events" / "2024-02-05-second-call" / "index.html").read_text()
    assert "First version of the chronology" in section_text(html, "section", "history")
    sha = git(site, "rev-parse", "HEAD").strip()
    page = parse_html(html)
    expected = f"https://git.example.org/chronology/blob/{sha}/content/events/2024/2024-02-05-second-call.md"
    assert page.find("a", href=expected)
    assert "Last updated: 1 March 2024" in " ".join(
        section_text(html, "footer", "event-meta").split()
    )
    first = (out / "events" / FIRST / "index.html").read_text()
    assert "1 March 2024" in section_text(first, "section", "history")
    # Git dates the page, unless the entry says otherwise with `updated:`.
    assert "Last updated: 1 March 2024" in section_text(first, "footer", "event-meta")


def test_without_git_the_history_is_simply_omitted(site, tmp_path):
    out = build(site, tmp_path / "out")
    html = (out / "events" / "2024-02-05-second-call" / "index.html").read_text()
    assert section_text(html, "section", "history") == ""


def test_check_against_reports_ids_that_vanished(site, cli):
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "Published")
    old = site / "content" / "events" / "2024" / "2024-02-05-second-call.md"
    new = old.with_name("2024-02-05-renamed-call.md")
    old.rename(new)
    result = cli("check", "--site", str(site), "--against", "HEAD", "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [p["message"] for p in problems] == [
        "id `2024-02-05-second-call` was published (at HEAD) and has disappeared"
    ]
    assert "aliases" in problems[0]["hint"]
    new.write_text(new.read_text().replace("title:", "aliases: [2024-02-05-second-call]\ntitle:"))
    assert cli("check", "--site", str(site), "--against", "HEAD").returncode == 0
    bad = cli("check", "--site", str(site), "--against", "no-such-ref")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr

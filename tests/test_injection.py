"""Injection: hostile but valid text everywhere an editor can write it, and a site that stays
harmless (tests/harmless.py) while every string comes out exactly as written, in every page and
every export (feed, JSON, CSV, iCalendar, oEmbed, JSON-LD).

Bidirectional overrides are left out: validation refuses them (see tests/hostile/).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from harmless import embed_html_problems, page_problems, site_problems
from htmlwalk import parse_html, section_text
from icalendar import Calendar

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
END_SCRIPT = "</script><script>alert(2)</script><!--"
JINJA = "{{ 7*7 }}"
ENTITY = "&lt;b&gt; &amp; &#x3C;"
SINGLE = "'><svg onload=alert(3)>"
BASE_URL = "https://example.org/hostile/"

SITE_TITLE = f"Site {SCRIPT} {ATTRIBUTE}"
SITE_DESCRIPTION = f"{JINJA} {END_SCRIPT} {ENTITY}"
PUBLISHER = f"Publisher {SINGLE}"
ACTOR = {"name": f"{SCRIPT} Land", "description": f"{ATTRIBUTE} {JINJA}"}
TOPIC = {"name": f"{END_SCRIPT} topic", "description": f"{ENTITY} {SINGLE}"}
RECORD = {
    "publisher": f"{SCRIPT} Agency",
    "title": f"{ATTRIBUTE} {END_SCRIPT}",
    # `"`, `<` and `>` are refused in addresses (RFC 3986 has them percent-encoded); what is
    # allowed, `'`, `&` and parentheses, must still come out escaped.
    "url": "https://example.org/news?q='onmouseover=alert(1)//&x=1",
    "date": "2023-10-16",
    "language": "ru",
    "note": f"{JINJA} {ENTITY}",
}
INLINE = {
    "publisher": f"{END_SCRIPT} Gazette",
    "title": f"{SINGLE} {JINJA}",
    "url": "https://example.org/a?b=1&c=(2)'",
    "archived_url": "https://web.archive.org/web/2023/https://example.org/a?x='y'",
    "quote": f"{SCRIPT} said {ATTRIBUTE}",
    "note": f"{ENTITY} {END_SCRIPT}",
}
BODY = f"""Intro {JINJA} and {ENTITY} and {SCRIPT}.

[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)
[vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [upper](JaVaScRiPt:alert(1))

<a href="javascript:alert(1)">raw link</a> <img src=x onerror=alert(1)> {END_SCRIPT}

[a reference][evil] and [a fine link](https://example.org/ok '{ATTRIBUTE}')

[evil]: javascript:alert(1)
"""
FIRST = {
    "id": "2023-10-16-hostile-call",
    "title": f"{SCRIPT} {ATTRIBUTE} {JINJA} {ENTITY}",
    "date": "2023-10-16",
    "date_note": f"{END_SCRIPT} {JINJA}",
    "summary": f"{END_SCRIPT} {SINGLE} {JINJA} {ENTITY} {ATTRIBUTE}",
    "location": f"{SCRIPT} {SINGLE}",
    "actors": ["hostile-actor"],
    "topics": ["hostile-topic"],
    "disputed": [f"{SCRIPT} says one thing", f"{ATTRIBUTE} says another"],
    "sources": [
        {"ref": "hostile-record", "quote": f"{JINJA} {END_SCRIPT}", "note": f"{SINGLE}"},
        INLINE,
    ],
    "related": ["2023-11-hostile-vote"],
    "aliases": ["an-old-hostile-id"],
    "corrections": [{"date": "2023-10-20", "note": f"{SCRIPT} {ENTITY}"}],
}
SECOND = {
    "title": f"{END_SCRIPT} {SINGLE} {ENTITY}",
    "date": "2023-11",
    "summary": f"{SCRIPT}{ATTRIBUTE}{JINJA}",
    "actors": ["hostile-actor"],
    "sources": [{"ref": "hostile-record"}],
    "body": f"Second body {SCRIPT} [x](javascript:alert(1)) {JINJA}",
}
EVENTS = {FIRST["id"]: FIRST, "2023-11-hostile-vote": SECOND}


def _yaml(value: Any, indent: str = "") -> str:
    """Block YAML whose every scalar is a JSON string (a valid YAML double-quoted scalar)."""
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list):
                lines.append(f"{indent}{key}:\n{_yaml(item, indent + '  ')}")
            else:
                lines.append(f"{indent}{key}: {json.dumps(item, ensure_ascii=False)}\n")
        return "".join(lines)
    out = []
    for item in value:
        text = _yaml(item, indent + "  ") if isinstance(item, dict | list) else None
        if text is None:
            out.append(f"{indent}- {json.dumps(item, ensure_ascii=False)}\n")
        else:
            out.append(f"{indent}- {text.lstrip()}")
    return "".join(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("hostile-site")
    site_yaml = {
        "title": SITE_TITLE,
        "description": SITE_DESCRIPTION,
        "base_url": BASE_URL,
        "language": "en",
        "publisher": PUBLISHER,
    }
    (site / "site.yaml").write_text(_yaml(site_yaml), "utf-8")
    content = site / "content"
    (content / "events" / "2023").mkdir(parents=True)
    (content / "sources").mkdir()
    actors = [{"id": "hostile-actor", "kind": "state", **ACTOR}]
    (content / "actors.yaml").write_text(_yaml(actors), "utf-8")
    (content / "topics.yaml").write_text(_yaml([{"id": "hostile-topic", **TOPIC}]), "utf-8")
    (content / "sources" / "hostile-record.yaml").write_text(_yaml(RECORD), "utf-8")
    first = {key: value for key, value in FIRST.items() if key != "id"}
    text = f"---\n{_yaml(first)}---\n{BODY}"
    (content / "events" / "2023" / f"{FIRST['id']}.md").write_text(text, "utf-8")
    (content / "events" / "2023" / "2023-11-hostile-vote.yaml").write_text(_yaml(SECOND))
    output = tmp_path_factory.mktemp("hostile-out") / "site"
    done = run_cli("build", "--site", str(site), "--output", str(output))
    assert done.returncode == 0, done.stdout + done.stderr
    return output


def _page(built: Path, path: str):
    return parse_html((built / path).read_text("utf-8"))


def _text(built: Path, path: str) -> str:
    return "".join(_page(built, path).text)


def test_every_page_is_harmless(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 15
    assert site_problems(built, BASE_URL) == []


def test_the_checker_catches_what_it_must(built):
    """The harmlessness check itself: it flags each kind of injection it looks for."""
    bad = {
        "<script>alert(1)</script>": "an inline script",
        '<script src="https://evil.example/x.js"></script>': "not the theme's own",
        '<script src="static/site.js" type="text/plain">x</script>': "not the theme's own",
        '<p onclick="x">': "an event handler",
        '<p style="color:red">': "an inline style",
        '<a href=" JaVa&#x09;Script:alert(1)">': "a forbidden scheme",
        '<img src="data:image/png;base64,AAAA">': "a forbidden scheme",
        '<form action="vbscript:x">': "a forbidden scheme",
        '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">': "refresh",
        '<iframe src="https://example.org/"></iframe>': "<iframe>",
        '<script type="application/ld+json">{"a": </script>': "not JSON",
    }
    for html, problem in bad.items():
        found = page_problems(html, "events/x/", BASE_URL)
        assert any(problem in p for p in found), (html, found)
    fine = '<script src="../../static/site.js" defer></script><a href="https://example.org/">'
    assert page_problems(fine, "events/x/", BASE_URL) == []


@pytest.mark.parametrize("event_id", sorted(EVENTS))
def test_event_page_shows_every_string_as_written(built, event_id):
    event = EVENTS[event_id]
    path = f"events/{event_id}/index.html"
    page = _page(built, path)
    text = "".join(page.text)
    assert section_text((built / path).read_text("utf-8"), "article", "event")
    for value in (event["title"], event["summary"], *event.get("disputed", ())):
        assert value in text
    for key in ("location", "date_note"):
        if key in event:
            assert event[key] in text
    assert JINJA in text and "49" not in event["title"]
    assert f"<title>{event['title']}" not in (built / path).read_text("utf-8")
    titles = [a for t, a in page.elements if t == "meta" and a.get("property") == "og:title"]
    assert [a["content"] for a in titles] == [event["title"]]


def test_sources_and_corrections_are_shown_as_written(built):
    path = f"events/{FIRST['id']}/index.html"
    page = _page(built, path)
    text = "".join(page.text)
    for value in (*RECORD.values(), *INLINE.values()):
        if not value.startswith("http") and len(value) > 3:
            assert value in text, value
    assert FIRST["sources"][0]["quote"] in text
    assert FIRST["corrections"][0]["note"] in text
    hrefs = {a.get("href") for t, a in page.elements if t == "a"}
    assert {RECORD["url"], INLINE["url"], INLINE["archived_url"]} <= hrefs


def test_markdown_links_to_scripts_stay_text(built):
    path = f"events/{FIRST['id']}/index.html"
    body = section_text((built / path).read_text("utf-8"), "div", "event-body")
    for written in (
        "[click](javascript:alert(1))",
        "[vb](vbscript:msgbox(1))",
        "[file](file:///etc/passwd)",
        '<a href="javascript:alert(1)">raw link</a>',
        "<img src=x onerror=alert(1)>",
        SCRIPT,
        JINJA,
        "<b> & <",  # Markdown reads `&lt;` as an entity (CommonMark): shown as text
    ):
        assert written in body, written
    links = [a for t, a in _page(built, path).elements if t == "a" and a.get("title")]
    assert links == [{"href": "https://example.org/ok", "title": ATTRIBUTE, "rel": "noopener"}]


def test_site_and_vocabulary_text_is_shown_as_written(built):
    landing = _text(built, "index.html")
    assert SITE_TITLE in landing and SITE_DESCRIPTION in landing
    assert ACTOR["name"] in landing and TOPIC["name"] in landing
    actor = _text(built, "actors/hostile-actor/index.html")
    assert ACTOR["name"] in actor and ACTOR["description"] in actor
    topic = _text(built, "topics/hostile-topic/index.html")
    assert TOPIC["name"] in topic and TOPIC["description"] in topic
    source = _text(built, "sources/hostile-record/index.html")
    assert RECORD["title"] in source and RECORD["publisher"] in source and RECORD["note"] in source
    search = _page(built, "search/index.html")
    options = {a.get("value") for t, a in search.elements if t == "option"}
    assert {ACTOR["name"], TOPIC["name"]} <= options
    assert PUBLISHER in landing


@pytest.mark.parametrize("event_id", sorted(EVENTS))
def test_json_ld_parses_back_to_the_exact_text(built, event_id):
    event = EVENTS[event_id]
    page = _page(built, f"events/{event_id}/index.html")
    blocks = [s for s in page.script_elements if s.attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0].text)
    assert data["headline"] == event["title"]
    assert data["description"] == event["summary"]
    assert data["about"]["name"] == event["title"]
    assert data["isPartOf"]["name"] == SITE_TITLE
    assert "</script" not in blocks[0].text.lower()


def test_alias_redirect_page_is_harmless(built):
    path = "events/an-old-hostile-id/index.html"
    html = (built / path).read_text("utf-8")
    assert page_problems(html, "events/an-old-hostile-id/", BASE_URL) == []
    assert FIRST["title"] in _text(built, path)


def test_embed_card_and_oembed(built):
    for event_id, event in EVENTS.items():
        assert event["title"] in _text(built, f"embed/{event_id}/index.html")
        oembed = json.loads((built / f"events/{event_id}/oembed.json").read_text("utf-8"))
        assert oembed["title"] == event["title"]
        assert oembed["provider_name"] == SITE_TITLE
        assert embed_html_problems(oembed["html"], BASE_URL) == []
        iframe = parse_html(oembed["html"]).find("iframe")
        assert [a["title"] for a in iframe] == [event["title"]]


def test_atom_feed(built):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built / "feed.xml").getroot()
    assert feed.findtext("a:title", namespaces=ns) == SITE_TITLE
    assert feed.findtext("a:subtitle", namespaces=ns) == SITE_DESCRIPTION
    entries = {
        e.findtext("a:title", namespaces=ns): e.findtext("a:summary", namespaces=ns)
        for e in feed.findall("a:entry", ns)
    }
    assert entries == {e["title"]: e["summary"] for e in EVENTS.values()}


def test_events_json(built):
    data = json.loads((built / "events.json").read_text("utf-8"))
    assert data["site"]["title"] == SITE_TITLE
    assert data["site"]["description"] == SITE_DESCRIPTION
    records = {e["id"]: e for e in data["events"]}
    first = records[FIRST["id"]]
    for key in ("title", "summary", "location", "date_note", "disputed"):
        assert first[key] == FIRST[key], key
    assert first["body"] == BODY.rstrip("\n")
    assert first["actors"] == [{"id": "hostile-actor", "name": ACTOR["name"]}]
    assert first["topics"] == [{"id": "hostile-topic", "name": TOPIC["name"]}]
    record, inline = first["sources"]
    for key in ("publisher", "title", "url", "note"):
        assert record[key] == RECORD[key] and inline[key] == INLINE[key], key
    assert inline["quote"] == INLINE["quote"]
    assert record["quote"] == FIRST["sources"][0]["quote"]
    assert record["citation_note"] == FIRST["sources"][0]["note"]
    assert first["corrections"][0]["note"] == FIRST["corrections"][0]["note"]
    second = records["2023-11-hostile-vote"]
    assert (second["title"], second["summary"], second["body"]) == (
        SECOND["title"],
        SECOND["summary"],
        SECOND["body"],
    )


def test_events_csv(built):
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built / "events.csv").read_text()))}
    for event_id, event in EVENTS.items():
        assert rows[event_id]["title"] == event["title"]
        assert rows[event_id]["summary"] == event["summary"]
    assert rows[FIRST["id"]]["location"] == FIRST["location"]
    assert INLINE["url"] in rows[FIRST["id"]]["sources"]


def test_events_ics(built):
    calendar = Calendar.from_ical((built / "events.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == SITE_TITLE
    found = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    for event_id, event in EVENTS.items():
        assert str(found[event_id]["SUMMARY"]) == event["title"]
        assert str(found[event_id]["DESCRIPTION"]).startswith(event["summary"] + "\n")
    assert str(found[FIRST["id"]]["LOCATION"]) == FIRST["location"]
    assert [str(c) for c in found[FIRST["id"]]["CATEGORIES"].cats] == [TOPIC["name"]]


def test_sitemap_and_schema_parse(built):
    urls = [
        loc.text
        for loc in ET.parse(built / "sitemap.xml").iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert BASE_URL + f"events/{FIRST['id']}/" in urls
    json.loads((built / "events.schema.json").read_text("utf-8"))

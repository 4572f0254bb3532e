"""Exports, each read back with a real parser: Atom (feedparser), iCalendar (icalendar), CSV,
JSON against its own schema (jsonschema), the sitemap (ElementTree)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import feedparser
import icalendar
import pytest
from conftest import SITES
from jsonschema import Draft202012Validator

from timeline.assemble.timeline import Timeline, assemble
from timeline.dates import parse_date, source_date_epoch
from timeline.engine.content import check_site
from timeline.model import Content, Event
from timeline.render.datapackage import CSV_COLUMNS
from timeline.render.exports import EVENTS_SCHEMA, FEED_SIZE, export_files
from timeline.render.language import language_of
from timeline.render.plan import site_pages

BASE = "https://example.org/chronology/"
HOSTILE = (
    "Ends </script> & <b>bold</b> \"double\" 'single'\nsecond line ; a, b | c "
    "Переговоры в Москве, שיחה בירושלים, and a long tail to fold ICS lines at 75 octets"
)


@pytest.fixture(scope="module")
def content() -> Content:
    checked = check_site(SITES / "minimal")
    assert checked.ok, checked.problems
    return checked.content


def with_events(content: Content, events: list[Event], epoch: str = "") -> Timeline:
    return assemble(
        dataclasses.replace(content, events=tuple(events)), epoch=source_date_epoch(epoch)
    )


def page_urls(timeline: Timeline) -> list[str]:
    pages = site_pages(timeline, language_of(timeline.site.language, []))
    return [page.url for page in pages if page.url != "404.html"]


@pytest.fixture(scope="module")
def timeline(content: Content) -> Timeline:
    """The fixture site, plus entries that cover every date precision, a span and an update."""
    template = content.events[0]
    extra = [
        dataclasses.replace(
            template,
            id="2023-10-20-timed",
            title="A timed statement",
            date=parse_date("2023-10-20T14:30+03:00"),
            end=parse_date("2023-10-20T16:00+03:00"),
            related=(),
            corrections=(),
            updated=parse_date("2023-10-21"),
        ),
        dataclasses.replace(
            template,
            id="2023-10-28-span",
            title="A three-day visit",
            date=parse_date("2023-10-28"),
            end=parse_date("2023-10-30"),
            related=(),
            corrections=(),
        ),
        dataclasses.replace(
            template,
            id="2022-about",
            title="Background",
            date=parse_date("2022~"),
            related=(),
            corrections=(),
        ),
    ]
    return with_events(content, [*content.events, *extra])


@pytest.fixture(scope="module")
def files(timeline: Timeline) -> dict[str, bytes]:
    return export_files(timeline, page_urls(timeline))


def permalinks(timeline: Timeline) -> dict[str, str]:
    return {e.id: f"{BASE}events/{e.id}/" for e in timeline.events}


def test_every_export_is_written(files):
    assert set(files) == {
        "feed.xml",
        "events.json",
        "events.schema.json",
        "events.csv",
        "sources.csv",
        "event_sources.csv",
        "datapackage.json",
        "events.ics",
        "sitemap.xml",
        "robots.txt",
    }
    assert all(isinstance(value, bytes) for value in files.values())


def test_exports_are_deterministic(timeline, monkeypatch):
    first = export_files(timeline, page_urls(timeline))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert export_files(timeline, list(reversed(page_urls(timeline)))) == first


# --- Atom -------------------------------------------------------------------------------------


def test_feed_is_valid_atom_with_every_event(timeline, files):
    feed = feedparser.parse(files["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE
    assert feed.feed.title == "Minimal chronology"
    assert feed.feed.link == BASE
    links = {e.id: e.link for e in feed.entries}
    assert links == {url: url for url in permalinks(timeline).values()}
    # Newest first, by the events' own dates.
    assert [e.id for e in feed.entries] == [
        permalinks(timeline)[e.id] for e in reversed(timeline.events)
    ]


def test_feed_entry_dates_and_categories(files):
    feed = feedparser.parse(files["feed.xml"])
    entries = {e.id.removeprefix(BASE + "events/").rstrip("/"): e for e in feed.entries}
    assert entries["2023-10-20-timed"].updated == "2023-10-21T00:00:00Z"  # updated:
    assert entries["2023-10-16-first-call"].updated == "2023-10-20T00:00:00Z"  # a correction
    assert entries["2023-11-vote"].updated == "2023-11-01T00:00:00Z"  # its own date
    assert [t.term for t in entries["2023-11-vote"].tags] == ["votes"]
    assert entries["2023-11-vote"].tags[0].label == "Votes"
    assert entries["2023-11-vote"].summary == "A draft fails in the council."
    assert feed.feed.updated == "2024-02-05T00:00:00Z"


def test_feed_keeps_the_latest_events_only(content):
    template = content.events[0]
    events = [
        dataclasses.replace(
            template,
            id=f"event-{n:03d}",
            date=parse_date(f"2020-{1 + n // 28:02d}-{1 + n % 28:02d}"),
        )
        for n in range(FEED_SIZE + 10)
    ]
    timeline = with_events(content, [dataclasses.replace(e, related=()) for e in events])
    feed = feedparser.parse(export_files(timeline, [])["feed.xml"])
    assert feed.bozo == 0
    ids = [e.id.removeprefix(BASE + "events/").rstrip("/") for e in feed.entries]
    assert ids == [f"event-{n:03d}" for n in reversed(range(10, FEED_SIZE + 10))]


def test_an_empty_feed_is_dated_by_source_date_epoch(content):
    feed = feedparser.parse(export_files(with_events(content, [], "1700000000"), [])["feed.xml"])
    assert feed.bozo == 0
    assert feed.entries == []
    assert feed.feed.updated == "2023-11-14T22:13:20Z"


# --- iCalendar --------------------------------------------------------------------------------


def calendar_events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"])
    return {str(item["uid"]): item for item in calendar.walk("VEVENT")}


def test_calendar_has_every_event(timeline, files):
    items = calendar_events(files["events.ics"])
    assert set(items) == {f"{e.id}@example.org" for e in timeline.events}
    for event in timeline.events:
        item = items[f"{event.id}@example.org"]
        assert str(item["summary"]) == event.title
        assert str(item["url"]) == permalinks(timeline)[event.id]
        assert str(item["description"]).startswith(event.summary)
        assert permalinks(timeline)[event.id] in str(item["description"])
        assert isinstance(item["dtstamp"].dt, datetime)


def span(item: icalendar.Event) -> tuple[object, object]:
    return item["dtstart"].dt, item["dtend"].dt


def test_calendar_dates_follow_the_precision(files):
    items = calendar_events(files["events.ics"])
    day = items["2023-10-16-first-call@example.org"]
    assert span(day) == (date(2023, 10, 16), date(2023, 10, 17))
    assert not isinstance(day["dtstart"].dt, datetime)  # all day
    assert day["dtstart"].params["VALUE"] == "DATE"
    assert day["dtstamp"].dt == datetime(2023, 10, 20, tzinfo=UTC)  # the correction
    assert span(items["2023-10-28-span@example.org"]) == (date(2023, 10, 28), date(2023, 10, 31))
    assert span(items["2023-11-vote@example.org"]) == (date(2023, 11, 1), date(2023, 12, 1))
    assert span(items["2022-about@example.org"]) == (date(2022, 1, 1), date(2023, 1, 1))
    timed = items["2023-10-20-timed@example.org"]
    assert span(timed) == (
        datetime(2023, 10, 20, 11, 30, tzinfo=UTC),
        datetime(2023, 10, 20, 13, 0, tzinfo=UTC),
    )
    assert b"DTSTART:20231020T113000Z" in files["events.ics"]
    uncertain = items["2024-02-05-second-call@example.org"]
    assert "5 February 2024 (uncertain)" in str(uncertain["description"])


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_a_row_per_event(timeline, files):
    text = files["events.csv"].decode("utf-8")
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [row["id"] for row in rows] == [e.id for e in timeline.events]
    first = rows[0]
    assert first["id"] == "2022-about"
    call = next(row for row in rows if row["id"] == "2023-10-16-first-call")
    assert call == {
        "id": "2023-10-16-first-call",
        "url": BASE + "events/2023-10-16-first-call/",
        "date": "2023-10-16",
        "end": "",
        "title": "Leaders of Alphaland and Betaland talk by phone",
        "summary": "The two leaders hold their first call of the crisis.",
        "actors": "alpha;beta",
        "topics": "talks",
        "location": "Alpha City / Beta Town",
        "sources": "https://example.org/news/leaders-talk",
    }
    second = next(row for row in rows if row["id"] == "2024-02-05-second-call")
    assert second["date"] == "2024-02-05?"


# --- JSON -------------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(files):
    schema = json.loads(files["events.schema.json"])
    assert schema == EVENTS_SCHEMA
    Draft202012Validator.check_schema(schema)


def validate_json(files: dict[str, bytes]) -> dict:
    document = json.loads(files["events.json"])
    schema = json.loads(files["events.schema.json"])
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    return document


def test_json_validates_against_its_schema_and_has_every_field(timeline, files):
    document = validate_json(files)
    assert document["version"] == 1
    assert document["schema"] == "events.schema.json"
    assert document["site"]["base_url"] == BASE
    by_id = {item["id"]: item for item in document["events"]}
    assert list(by_id) == [e.id for e in timeline.events]
    call = by_id["2023-10-16-first-call"]
    assert call["url"] == BASE + "events/2023-10-16-first-call/"
    assert call["actors"] == [
        {"id": "alpha", "name": "Alphaland"},
        {"id": "beta", "name": "Betaland"},
    ]
    assert call["topics"] == [{"id": "talks", "name": "Talks"}]
    assert call["sources"][0] == {
        "id": "wire-report",
        "publisher": "Example Wire Service",
        "title": "Leaders talk by phone",
        "url": "https://example.org/news/leaders-talk",
        "date": "2023-10-16",
        "language": "en",
        "archived_url": None,
        "note": None,
        "quote": "a frank conversation",
        "citation_note": "Alphaland's readout.",
    }
    assert call["sources"][1]["id"] is None
    assert call["disputed"] == ["The two readouts differ on who placed the call."]
    assert call["related"] == ["2023-11-vote"]
    assert call["corrections"] == [
        {"date": "2023-10-20", "note": "Corrected the spelling of Beta Town."}
    ]
    assert "Ключевое слово" in call["body"]
    # `related` is shown both ways, as on the pages.
    assert by_id["2023-11-vote"]["related"] == ["2023-10-16-first-call"]
    second = by_id["2024-02-05-second-call"]
    assert (second["date"], second["precision"], second["uncertain"]) == (
        "2024-02-05?",
        "day",
        True,
    )
    assert second["date_display"] == "5 February 2024 (uncertain)"
    assert second["date_note"] == 'The report says only "early February".'
    span = by_id["2023-10-28-span"]
    assert (span["end"], span["date_display"]) == ("2023-10-30", "28–30 October 2023")
    assert by_id["2023-10-20-timed"]["updated"] == "2023-10-21"
    assert by_id["2023-10-20-timed"]["precision"] == "time"
    assert by_id["2022-about"]["approximate"] is True


# --- sitemap and robots.txt -------------------------------------------------------------------


def test_sitemap_lists_every_page_once_sorted(timeline, files):
    root = ET.fromstring(files["sitemap.xml"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    expected = sorted(BASE + url for url in set(page_urls(timeline)))
    assert locs == expected
    assert BASE in locs
    assert BASE + "events/2023-11-vote/" in locs


def test_robots_txt_points_at_the_sitemap(files):
    assert files["robots.txt"] == (
        b"User-agent: *\nAllow: /\nSitemap: https://example.org/chronology/sitemap.xml\n"
    )


# --- hostile text -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(content: Content) -> tuple[Event, dict[str, bytes]]:
    event = dataclasses.replace(
        content.events[0],
        title=HOSTILE,
        summary=HOSTILE,
        location=HOSTILE,
        disputed=(HOSTILE,),
        body=HOSTILE,
    )
    timeline = with_events(content, [event, *content.events[1:]])
    return event, export_files(timeline, page_urls(timeline))


def test_hostile_text_round_trips_in_the_feed(hostile):
    event, files = hostile
    assert b"</script>" not in files["feed.xml"]
    feed = feedparser.parse(files["feed.xml"])
    assert feed.bozo == 0
    entry = next(e for e in feed.entries if e.id.endswith(f"/{event.id}/"))
    assert entry.title == HOSTILE
    assert entry.summary == HOSTILE
    parsed = ET.fromstring(files["feed.xml"])
    titles = parsed.findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert HOSTILE in [t.text for t in titles]


def test_hostile_text_round_trips_in_the_calendar(hostile):
    event, files = hostile
    item = calendar_events(files["events.ics"])[f"{event.id}@example.org"]
    assert str(item["summary"]) == HOSTILE
    assert str(item["location"]) == HOSTILE
    assert str(item["description"]).startswith(HOSTILE + "\n\n")


def test_hostile_text_round_trips_in_the_csv(hostile):
    event, files = hostile
    rows = list(csv.DictReader(io.StringIO(files["events.csv"].decode("utf-8"), newline="")))
    row = next(r for r in rows if r["id"] == event.id)
    assert (row["title"], row["summary"], row["location"]) == (HOSTILE, HOSTILE, HOSTILE)
    assert len(rows) == 3


def test_hostile_text_round_trips_in_the_json(hostile):
    event, files = hostile
    document = validate_json(files)
    item = next(e for e in document["events"] if e["id"] == event.id)
    assert item["title"] == item["summary"] == item["body"] == HOSTILE
    assert item["disputed"] == [HOSTILE]


@pytest.mark.parametrize("epoch", ["", "\u00b2", "99999999999999999999", "garbage"])
def test_a_missing_or_malformed_source_date_epoch_gives_the_epoch(content, epoch):
    feed = feedparser.parse(export_files(with_events(content, [], epoch), [])["feed.xml"])
    assert feed.feed.updated == "1970-01-01T00:00:00Z"

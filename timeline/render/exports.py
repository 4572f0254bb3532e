"""Machine-readable exports of a timeline: Atom feed, JSON (with its schema), CSV, iCalendar,
sitemap and robots.txt.

Each is built with a real serialiser (ElementTree, json, csv, icalendar), never by pasting
strings, so any text an editor writes (`&`, `<`, quotes, `</script>`, newlines) comes out escaped
for its format. Output is deterministic: every timestamp comes from the content (an entry's
updated, correction or own date), so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from timeline.assemble.timeline import Timeline
from timeline.dates import DATE_SCHEMA_PATTERN, EventDate, Precision, display_range
from timeline.ids import ID_SCHEMA_PATTERN
from timeline.model import Event, SiteConfig, Term
from timeline.render.cite import author_of
from timeline.render.datapackage import (
    DATAPACKAGE,
    EVENT_SOURCES_CSV,
    EVENTS_CSV,
    SOURCES_CSV,
    datapackage_json,
    event_sources_csv,
    events_csv,
    sources_csv,
)
from timeline.render.routes import permalink as routes_permalink

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PRODID = "-//timeline//timeline static-site generator//EN"
# Characters XML 1.0 cannot hold at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


EXPORT_FILES = (
    "feed.xml",
    "events.json",
    "events.schema.json",
    EVENTS_CSV,
    SOURCES_CSV,
    EVENT_SOURCES_CSV,
    DATAPACKAGE,
    "events.ics",
    "sitemap.xml",
    "robots.txt",
)


SITEMAP = "sitemap.xml"

# How each event's piece of a large export is made: `pieces(kind, event, make)` returns
# `make(timeline)`. The engine passes a memo that returns the same text without making it again
# when nothing the piece read has changed; alone, an export makes every piece.
PieceMaker = Callable[[str, Event, Callable[[Any], str]], str]


def make_each(timeline: Timeline) -> PieceMaker:
    return lambda kind, event, make: make(timeline)


def export_files(timeline: Timeline, page_urls: list[str]) -> dict[str, bytes]:
    """Every export, by output path. `page_urls` are site paths ("events/<id>/") for the sitemap."""
    return {
        path: make_export(path, timeline, make_each(timeline), page_urls) for path in EXPORT_FILES
    }


def make_export(
    path: str, timeline: Timeline, pieces: PieceMaker, page_urls: Iterable[str] = ()
) -> bytes:
    """One export file."""
    if path == SITEMAP:
        return sitemap(timeline.site.base_url, page_urls)
    return _MAKERS[path](timeline, pieces)


def permalink(timeline: Timeline, event: Event) -> str:
    return routes_permalink(timeline.site.base_url, event.id)


def last_changed(timeline: Timeline, event: Event) -> EventDate:
    """When the entry last changed, for timestamps a format requires (Atom `updated`, iCalendar
    DTSTAMP): updated, else the last correction, else the event's own date, the only date left
    in the content (and the entry cannot have been written before what it records).
    """
    return timeline.updated.get(event.id) or event.date


def fallback_instant(timeline: Timeline) -> datetime:
    """A timestamp for when the content has none (no events): SOURCE_DATE_EPOCH, else the epoch.

    Never the wall clock, so that an empty site also builds reproducibly.
    """
    return timeline.epoch or datetime.fromtimestamp(0, UTC)


def rfc3339(value: EventDate) -> str:
    """An RFC 3339 timestamp: a written time keeps its offset; a date is its first instant, UTC."""
    if value.precision is Precision.TIME and value.local is not None:
        return value.local.isoformat()
    return utc_stamp(value.start)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Atom ---------------------------------------------------------------------------------------


def atom_feed(timeline: Timeline) -> bytes:
    """Atom 1.0 (RFC 4287): the latest FEED_SIZE events by date, newest first."""
    site = timeline.site
    entries = list(reversed(timeline.events))[:FEED_SIZE]
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": site.language})
    xml_element(feed, "id", site.base_url)
    xml_element(feed, "title", site.title)
    if site.description:
        xml_element(feed, "subtitle", site.description)
    xml_element(feed, "link", rel="alternate", type="text/html", href=site.base_url)
    xml_element(
        feed, "link", rel="self", type="application/atom+xml", href=site.base_url + "feed.xml"
    )
    stamps = [last_changed(timeline, e) for e in entries]
    newest = max(stamps, key=lambda d: d.start) if stamps else None
    xml_element(
        feed, "updated", rfc3339(newest) if newest else utc_stamp(fallback_instant(timeline))
    )
    author = xml_element(feed, "author")
    xml_element(author, "name", author_of(site))
    xml_element(feed, "generator", "timeline")
    for event in entries:
        _atom_entry(feed, timeline, event)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _atom_entry(feed: ET.Element, timeline: Timeline, event: Event) -> None:
    url = permalink(timeline, event)
    # An edition's entry not translated yet says which language its words are in.
    entry = xml_element(
        feed, "entry", **{"xml:lang": event.text_language} if event.text_language else {}
    )
    xml_element(entry, "id", url)
    xml_element(entry, "title", event.title, type="text")
    xml_element(entry, "link", rel="alternate", type="text/html", href=url)
    xml_element(entry, "updated", rfc3339(last_changed(timeline, event)))
    xml_element(entry, "summary", event.summary, type="text")
    for topic in event.topics:
        term = timeline.topics.get(topic)
        xml_element(entry, "category", term=topic, label=term.name if term else topic)


def xml_element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _xml(text: str) -> str:
    """Drop the control characters XML 1.0 cannot represent (ElementTree would write them raw)."""
    return _XML_INVALID.sub("", text)


# --- JSON ---------------------------------------------------------------------------------------


def events_json(timeline: Timeline, pieces: PieceMaker) -> bytes:
    """The document as `json_bytes` writes it, but each event's record on a line of its own,
    made (or reused) as a piece."""
    site = timeline.site
    document = {
        "version": 1,
        "schema": "events.schema.json",
        "site": {
            "title": site.title,
            "description": site.description,
            "base_url": site.base_url,
            "language": site.language,
            "publisher": site.publisher or None,
            "repository_url": site.repository_url or None,
        },
        "events": [],  # last: the records go in its place
    }
    head = json_bytes(document).decode("utf-8")
    assert head.endswith(_NO_EVENTS)
    records = [
        pieces("json", event, lambda seen, event=event: _json_piece(seen, event))
        for event in timeline.events
    ]
    if not records:
        return head.encode("utf-8")
    body = head[: -len(_NO_EVENTS)] + "[\n" + ",\n".join(records) + "\n  ]\n}\n"
    return body.encode("utf-8")


_NO_EVENTS = "[]\n}\n"


def _json_piece(timeline: Timeline, event: Event) -> str:
    """An event's record on one line (json's C encoder, many times faster than an indented
    dump; and a diff of two exports shows one line per changed event)."""
    return "    " + json.dumps(_event_record(timeline, event), ensure_ascii=False)


def _event_record(timeline: Timeline, event: Event) -> dict[str, Any]:
    """Every field of an entry; an absent optional value is null, an absent list is []."""
    return {
        "id": event.id,
        "url": permalink(timeline, event),
        "title": event.title,
        "date": event.date.text,
        "date_display": display_range(event.date, event.end),
        "precision": event.date.precision.name.lower(),
        "approximate": event.date.approximate,
        "uncertain": event.date.uncertain,
        "end": event.end.text if event.end else None,
        "date_note": event.date_note or None,
        "summary": event.summary,
        "body": event.body or None,
        "actors": [_term(timeline.actors, key) for key in event.actors],
        "topics": [_term(timeline.topics, key) for key in event.topics],
        "location": event.location or None,
        "sources": [
            {
                "id": c.source.id or None,
                "publisher": c.source.publisher,
                "title": c.source.title or None,
                "url": c.source.url or None,
                "date": c.source.date.text if c.source.date else None,
                "language": c.source.language or None,
                "archived_url": c.source.archived_url or None,
                "note": c.source.note or None,
                "quote": c.quote or None,
                "citation_note": c.note or None,
            }
            for c in event.citations
        ],
        "disputed": list(event.disputed),
        "related": [other.id for other in timeline.related.get(event.id, ())],
        "aliases": list(event.aliases),
        "corrections": [{"date": c.date.text, "note": c.note} for c in event.corrections],
        "updated": event.updated.text if event.updated else None,
    }


def _term(terms: dict[str, Term], key: str) -> dict[str, str]:
    term = terms.get(key)
    return {"id": key, "name": term.name if term else key}


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_ID = {"type": "string", "pattern": ID_SCHEMA_PATTERN}
_DATE = {
    "type": "string",
    "description": "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]±HH:MM, with ~ or ? at the "
    "end for approximate or uncertain",
    "pattern": DATE_SCHEMA_PATTERN,
}
_OPTIONAL_DATE = {**_DATE, "type": ["string", "null"]}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
_OPTIONAL_URL = {"type": ["string", "null"], "format": "uri", "pattern": "^https?://"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object whose every property is present (absent values are null)."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }
    if description:
        schema = {"description": description, **schema}
    return schema


_TERM = _object({"id": _ID, "name": _TEXT})

EVENTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Timeline events export (events.json)",
    "description": "Every entry of the chronology, in chronological order. Optional values that "
    "an entry does not have are null; lists are always present, possibly empty.",
    **_object(
        {
            "version": {"const": 1},
            "schema": {"const": "events.schema.json"},
            "site": _object(
                {
                    "title": _TEXT,
                    "description": _TEXT,
                    "base_url": _URL,
                    "language": _TEXT,
                    "publisher": _OPTIONAL_TEXT,
                    "repository_url": _OPTIONAL_URL,
                }
            ),
            "events": {
                "type": "array",
                "items": _object(
                    {
                        "id": _ID,
                        "url": {**_URL, "description": "the permalink"},
                        "title": _TEXT,
                        "date": {**_DATE, "description": "the date as written in the entry"},
                        "date_display": {
                            **_TEXT,
                            "description": "the date (and end) as shown on the site",
                        },
                        "precision": {"enum": ["year", "month", "day", "time"]},
                        "approximate": {"type": "boolean"},
                        "uncertain": {"type": "boolean"},
                        "end": _OPTIONAL_DATE,
                        "date_note": _OPTIONAL_TEXT,
                        "summary": _TEXT,
                        "body": {**_OPTIONAL_TEXT, "description": "Markdown"},
                        "actors": {"type": "array", "items": _TERM},
                        "topics": {"type": "array", "items": _TERM},
                        "location": _OPTIONAL_TEXT,
                        "sources": {
                            "type": "array",
                            "minItems": 1,
                            "items": _object(
                                {
                                    "id": {
                                        **_ID,
                                        "type": ["string", "null"],
                                        "description": "the source record's id; null for a "
                                        "source written out in the entry",
                                    },
                                    "publisher": _TEXT,
                                    "title": _OPTIONAL_TEXT,
                                    "url": _OPTIONAL_URL,
                                    "date": _OPTIONAL_DATE,
                                    "language": _OPTIONAL_TEXT,
                                    "archived_url": _OPTIONAL_URL,
                                    "note": {
                                        **_OPTIONAL_TEXT,
                                        "description": "about the source itself",
                                    },
                                    "quote": {
                                        **_OPTIONAL_TEXT,
                                        "description": "verbatim, as this entry quotes it",
                                    },
                                    "citation_note": {
                                        **_OPTIONAL_TEXT,
                                        "description": "what this entry takes from the source",
                                    },
                                }
                            ),
                        },
                        "disputed": {"type": "array", "items": _TEXT},
                        "related": {
                            "type": "array",
                            "items": _ID,
                            "description": "ids of related entries, in both directions",
                        },
                        "aliases": {
                            "type": "array",
                            "items": _ID,
                            "description": "earlier ids of this entry",
                        },
                        "corrections": {
                            "type": "array",
                            "items": _object({"date": _DATE, "note": _TEXT}),
                        },
                        "updated": _OPTIONAL_DATE,
                    }
                ),
            },
        }
    ),
}


# --- iCalendar ----------------------------------------------------------------------------------


def events_ics(timeline: Timeline, pieces: PieceMaker) -> bytes:
    """iCalendar (RFC 5545): an all-day event spanning what a day, month or year date denotes;
    a timed event at its UTC instant. Each VEVENT is made (or reused) as a piece of its own.
    """
    site = timeline.site
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", site.title)
    host = urlsplit(site.base_url).hostname or "localhost"
    head = calendar.to_ical().decode("utf-8")
    assert head.endswith(_CALENDAR_END)
    vevents = [
        pieces("ics", event, lambda seen, e=event: _vevent(seen, e, host).to_ical().decode("utf-8"))
        for event in timeline.events
    ]
    return (head[: -len(_CALENDAR_END)] + "".join(vevents) + _CALENDAR_END).encode("utf-8")


_CALENDAR_END = "END:VCALENDAR\r\n"


def _vevent(timeline: Timeline, event: Event, host: str) -> CalendarEvent:
    url = permalink(timeline, event)
    item = CalendarEvent()
    item.add("uid", f"{event.id}@{host}")
    item.add("dtstamp", last_changed(timeline, event).start.astimezone(UTC))
    words = {"LANGUAGE": event.text_language or timeline.site.language}
    item.add("summary", event.title, parameters=words)
    lines = [event.summary]
    if event.date.approximate or event.date.uncertain:
        lines.append(f"Date: {display_range(event.date, event.end)}")
    item.add("description", "\n\n".join([*lines, url]), parameters=words)
    item.add("url", url)
    if event.location:
        item.add("location", event.location)
    if event.topics:
        names = [timeline.topics[t].name if t in timeline.topics else t for t in event.topics]
        item.add("categories", names)
    if event.date.precision is Precision.TIME:
        item.add("dtstart", event.date.start)
        if event.end is not None:
            end = event.end.start if event.end.precision is Precision.TIME else event.end.end
            if end > event.date.start:
                item.add("dtend", end)
    else:
        item.add("dtstart", event.date.day)
        item.add("dtend", _day_after(event.end or event.date))
    return item


def _day_after(value: EventDate) -> date:
    """The exclusive end of an all-day span: the day after the last day the date denotes."""
    if value.precision is Precision.TIME:
        return value.day + timedelta(days=1)
    return value.end.date()


# --- sitemap and robots.txt ---------------------------------------------------------------------


def sitemap(base_url: str, page_urls: list[str]) -> bytes:
    """A sitemap (sitemaps.org 0.9) of the given site paths, sorted, each once."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(set(page_urls)):
        xml_element(xml_element(urlset, "url"), "loc", base_url + path)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(site: SiteConfig) -> bytes:
    """Served from the site's root only: it names the sitemap of every language."""
    paths = [edition.path for edition in site.editions] or [""]
    sitemaps = "".join(f"Sitemap: {site.root_url}{path}sitemap.xml\n" for path in paths)
    return f"User-agent: *\nAllow: /\n{sitemaps}".encode()


_MAKERS: dict[str, Callable[[Timeline, PieceMaker], bytes]] = {
    "feed.xml": lambda timeline, pieces: atom_feed(timeline),
    "events.json": events_json,
    "events.schema.json": lambda timeline, pieces: json_bytes(EVENTS_SCHEMA),
    EVENTS_CSV: lambda timeline, pieces: events_csv(timeline),
    SOURCES_CSV: lambda timeline, pieces: sources_csv(timeline),
    EVENT_SOURCES_CSV: lambda timeline, pieces: event_sources_csv(timeline),
    DATAPACKAGE: lambda timeline, pieces: datapackage_json(timeline),
    "events.ics": events_ics,
    "robots.txt": lambda timeline, pieces: robots_txt(timeline.site),
}

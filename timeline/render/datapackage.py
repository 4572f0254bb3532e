"""The chronology as a Frictionless Data Package: `datapackage.json` describing three tables a
researcher loads in one step (pandas, R, a spreadsheet): `events.csv`, `sources.csv` and
`event_sources.csv`, the many-to-many table of citations with each one's quote and note. The
descriptor gives every column's type, the tables' primary keys, and the foreign keys that join
them (https://specs.frictionlessdata.io/)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from timeline.assemble.timeline import Timeline
from timeline.model import Citation, Event, SourceRecord
from timeline.render.routes import permalink

DATAPACKAGE = "datapackage.json"
EVENTS_CSV, SOURCES_CSV, EVENT_SOURCES_CSV = "events.csv", "sources.csv", "event_sources.csv"


def _text(name: str, description: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": "string", "description": description, **more}


# Each table's columns, as the descriptor gives them (the CSV header is their names).
EVENT_FIELDS = (
    _text("id", "The entry's id: its permalink is <site>/events/<id>/."),
    _text("url", "The entry's permalink.", format="uri"),
    _text(
        "date",
        "ISO 8601 at its precision (YYYY, YYYY-MM, YYYY-MM-DD or a time with its "
        "offset); a final ~ is approximate, ? uncertain.",
    ),
    _text("end", "The end of a span, in the same form; empty for a single date."),
    _text("title", "The entry's headline."),
    _text("summary", "One sentence."),
    _text("actors", "Actor ids (content/actors.yaml), joined by ;."),
    _text("topics", "Topic ids (content/topics.yaml), joined by ;."),
    _text("location", "Where it happened, free text."),
    _text(
        "sources",
        "The addresses of its sources, joined by ' | ' (event_sources.csv has them one by one).",
    ),
)
SOURCE_FIELDS = (
    _text("id", "A record of the register: its id; a source written in an entry: <entry id>#<n>."),
    _text("publisher", "Who published it (state media named as such)."),
    _text("title", "Its headline, verbatim."),
    _text("url", "Its address.", format="uri"),
    _text("date", "When it was published, at its precision."),
    _text("language", "Its language (a BCP 47 code)."),
    _text("archived_url", "A copy in a web archive.", format="uri"),
    _text("note", "What the chronology notes of it."),
    _text(
        "type",
        "What kind of source it is (official, state-media, wire, press, un-document, "
        "ngo, social, or a site's own).",
    ),
)
CITATION_FIELDS = (
    _text("event_id", "The entry citing it."),
    {
        "name": "position",
        "type": "integer",
        "description": "Its place among the entry's sources, from 1.",
        "constraints": {"required": True, "minimum": 1},
    },
    _text("source_id", "The source cited (sources.csv)."),
    _text("quote", "The words quoted from it, verbatim."),
    _text("note", "What this entry takes from it."),
)
CSV_COLUMNS = tuple(field["name"] for field in EVENT_FIELDS)


def events_csv(timeline: Timeline) -> bytes:
    """One row per event; actors and topics as ids joined by ";", source URLs by " | ".

    Ids rather than names: they never contain the separator, and they join with events.json.
    """
    return _csv(
        CSV_COLUMNS,
        (
            [
                event.id,
                permalink(timeline.site.base_url, event.id),
                event.date.text,
                event.end.text if event.end else "",
                event.title,
                event.summary,
                ";".join(event.actors),
                ";".join(event.topics),
                event.location,
                " | ".join(c.source.url for c in event.citations if c.source.url),
            ]
            for event in timeline.events
        ),
    )


def sources_csv(timeline: Timeline) -> bytes:
    """The register's records, then each source written in an entry, once."""
    rows = [_source_row(record.id, record) for record in timeline.sources.values()]
    rows += [
        _source_row(source_id, citation.source)
        for event in timeline.events
        for source_id, citation in _cited(event)
        if not citation.source.id
    ]
    return _csv([f["name"] for f in SOURCE_FIELDS], rows)


def event_sources_csv(timeline: Timeline) -> bytes:
    rows = (
        [event.id, position, source_id, citation.quote, citation.note]
        for event in timeline.events
        for position, (source_id, citation) in enumerate(_cited(event), 1)
    )
    return _csv([f["name"] for f in CITATION_FIELDS], rows)


def datapackage_json(timeline: Timeline) -> bytes:
    site = timeline.site
    citations_schema = {
        "fields": list(CITATION_FIELDS),
        "primaryKey": ["event_id", "position"],
        "foreignKeys": [
            {"fields": "event_id", "reference": {"resource": "events", "fields": "id"}},
            {"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}},
        ],
    }
    descriptor = {
        "profile": "tabular-data-package",
        "name": _package_name(site.base_url),
        "title": site.title,
        "description": site.description,
        "homepage": site.base_url,
        "languages": [site.language],
        "resources": [
            _resource("events", EVENTS_CSV, {"fields": list(EVENT_FIELDS), "primaryKey": ["id"]}),
            _resource(
                "sources", SOURCES_CSV, {"fields": list(SOURCE_FIELDS), "primaryKey": ["id"]}
            ),
            _resource("event_sources", EVENT_SOURCES_CSV, citations_schema),
        ],
    }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cited(event: Event) -> Iterator[tuple[str, Citation]]:
    """Each citation of an entry with the id of its source in sources.csv."""
    for position, citation in enumerate(event.citations, 1):
        yield citation.source.id or f"{event.id}#{position}", citation


def _source_row(source_id: str, record: SourceRecord) -> list[str]:
    published = record.date.text if record.date else ""
    return [
        source_id,
        record.publisher,
        record.title,
        record.url,
        published,
        record.language,
        record.archived_url,
        record.note,
        record.type,
    ]


def _resource(name: str, path: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _package_name(base_url: str) -> str:
    """A package name (lowercase letters, digits, ".", "-", "_") from where the site lives."""
    parts = urlsplit(base_url)
    return re.sub(r"[^a-z0-9._-]+", "-", f"{parts.hostname}{parts.path}".lower()).strip("-._")


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")

"""What an earlier build made of each entry and source file, by the digest of its bytes (and
the per-event pieces of its exports).

Loading and validating ten thousand entries costs seconds; an edit changes one. A build keeps,
for every entry and source file that had no error, the event or source record it made, the
warnings it had on its own and the positions later checks may report at, in one JSON file beside
the output folder (`.<output>.timeline-memory.json`). The next build reads every file, but
parses and validates again only those whose bytes changed; for the others it checks only what
involves other files (references, ids, dates against today), and when that would have anything
to report, it validates everything afresh (`validate.Unsure`), so the result is always what a
full validation gives. Like the build cache (`incremental.py`), the file is plain JSON, written
for one version of timeline's code, and ignored when unreadable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.dates import EventDate, parse_date
from timeline.engine.incremental import read_record, record_path, write_record
from timeline.load.files import Document, LoadedSite
from timeline.load.yamlstrict import Pos
from timeline.model import Citation, Correction, Event, SourceRecord
from timeline.problems import Problem
from timeline.validate.checks import Known, KnownEvent, KnownFile, KnownSource, Validated

SUFFIX = ".timeline-memory.json"
FORMAT = 3
# Where later checks may report on a file that was not parsed: the root, for an unused source;
# the title, for a probable duplicate.
_POSITIONS: tuple[tuple[str, ...], ...] = ((), ("title",))


@dataclass
class EntryMemory:
    path: Path
    events: dict[str, tuple[str, KnownEvent]] = field(default_factory=dict)  # path -> digest, …
    sources: dict[str, tuple[str, KnownSource]] = field(default_factory=dict)
    pieces: dict[str, str] = field(default_factory=dict)  # of the exports (`exports.Pieces`)
    changed: bool = False
    # Each entry of the file is a JSON text of its own: kept as read, by path, and written back
    # as it was when unchanged (turning ten thousand events into JSON again would cost more than
    # the edit that changed one; and a string is a fraction of the memory of its parsed form).
    stored: dict[str, tuple[tuple[str, Any], str]] = field(default_factory=dict)

    @classmethod
    def for_output(cls, output: Path) -> EntryMemory:
        memory = cls(record_path(output, SUFFIX))
        data = read_record(memory.path, FORMAT)
        try:
            if data is not None:
                for path, text in data["events"].items():
                    digest, file, event = json.loads(text)
                    memory.events[path] = (digest, KnownEvent(_file(path, file), _event(event)))
                    memory.stored[path] = (memory.events[path], text)
                for path, text in data["sources"].items():
                    digest, file, record = json.loads(text)
                    memory.sources[path] = (digest, KnownSource(_file(path, file), _record(record)))
                    memory.stored[path] = (memory.sources[path], text)
                memory.pieces = {str(key): str(piece) for key, piece in data["pieces"].items()}
        except (ValueError, KeyError, AttributeError, TypeError):
            memory.forget()  # nothing usable: every file is parsed
        return memory

    def knows(self, path: str, digest: str) -> bool:
        known = self.events.get(path) or self.sources.get(path)
        return known is not None and known[0] == digest

    def known(self, loaded: LoadedSite) -> Known:
        return Known(
            events={path: self.events[path][1] for path in loaded.known_events},
            sources={path: self.sources[path][1] for path in loaded.known_sources},
        )

    def learn(self, loaded: LoadedSite, checked: Validated) -> None:
        """Remember the files of a site that validated (a failed validation teaches nothing:
        the next run validates afresh)."""
        if checked.content is None:
            return
        events: dict[str, tuple[str, KnownEvent]] = {}
        sources: dict[str, tuple[str, KnownSource]] = {}
        by_file = {event.file: event for event in checked.content.events}
        for path in loaded.known_events:
            events[path] = (
                loaded.digests[path],
                KnownEvent(self.events[path][1].file, by_file[path]),
            )
        for doc in loaded.events:
            file = _known_file(doc, checked)
            events[doc.path] = (loaded.digests[doc.path], KnownEvent(file, by_file[doc.path]))
        for path in loaded.known_sources:
            sources[path] = (loaded.digests[path], self.sources[path][1])
        for doc in loaded.sources:
            record = checked.content.sources[doc.stem]
            sources[doc.path] = (
                loaded.digests[doc.path],
                KnownSource(_known_file(doc, checked), record),
            )
        if events != self.events or sources != self.sources:
            self.events, self.sources, self.changed = events, sources, True

    def save(self) -> None:
        if not self.changed:
            return
        payload = {
            "events": {
                path: self._stored(path, item, lambda known: _event_json(known.event))
                for path, item in sorted(self.events.items())
            },
            "sources": {
                path: self._stored(path, item, lambda known: _record_json(known.record))
                for path, item in sorted(self.sources.items())
            },
            "pieces": self.pieces,
        }
        write_record(self.path, FORMAT, payload)
        self.changed = False

    def _stored(self, path: str, item: tuple[str, Any], made: Callable[[Any], Any]) -> str:
        before = self.stored.get(path)
        if before is not None and before[0] == item:
            return before[1]
        digest, known = item
        return json.dumps([digest, _file_json(known.file), made(known)], ensure_ascii=False)

    def keep_pieces(self, pieces: dict[str, str]) -> None:
        if pieces != self.pieces:
            self.pieces, self.changed = pieces, True

    def forget(self) -> None:
        self.events.clear()
        self.sources.clear()
        self.stored.clear()
        self.pieces.clear()


def _known_file(doc: Document, checked: Validated) -> KnownFile:
    return KnownFile(
        doc.path,
        tuple(checked.file_problems.get(doc.path, ())),
        {where: doc.pos(where) for where in _POSITIONS},
    )


# --- to and from JSON ---------------------------------------------------------------------------


def _file_json(file: KnownFile) -> dict[str, Any]:
    return {
        "problems": [
            [p.line, p.column, p.severity, p.field, p.message, p.hint] for p in file.problems
        ],
        "positions": [[list(where), pos.line, pos.column] for where, pos in file.positions.items()],
    }


def _file(path: str, data: dict[str, Any]) -> KnownFile:
    return KnownFile(
        path,
        tuple(Problem(path, *item) for item in data["problems"]),
        {tuple(where): Pos(line, column) for where, line, column in data["positions"]},
    )


def _date_json(value: EventDate | None) -> str | None:
    return value.text if value is not None else None


def _date(text: str | None) -> EventDate | None:
    return parse_date(text) if text is not None else None


def _record_json(record: SourceRecord) -> dict[str, Any]:
    return {**vars(record), "date": _date_json(record.date)}


def _record(data: dict[str, Any]) -> SourceRecord:
    return SourceRecord(**{**data, "date": _date(data["date"])})


def _event_json(event: Event) -> dict[str, Any]:
    return {
        **vars(event),
        "date": event.date.text,
        "end": _date_json(event.end),
        "updated": _date_json(event.updated),
        "citations": [
            {"source": _record_json(c.source), "quote": c.quote, "note": c.note}
            for c in event.citations
        ],
        "corrections": [{"date": c.date.text, "note": c.note} for c in event.corrections],
    }


def _event(data: dict[str, Any]) -> Event:
    tuples = ("actors", "topics", "disputed", "related", "aliases")
    return Event(
        **{
            **data,
            **{key: tuple(data[key]) for key in tuples},
            "date": parse_date(data["date"]),
            "end": _date(data["end"]),
            "updated": _date(data["updated"]),
            "citations": tuple(
                Citation(_record(c["source"]), c["quote"], c["note"]) for c in data["citations"]
            ),
            "corrections": tuple(
                Correction(parse_date(c["date"]), c["note"]) for c in data["corrections"]
            ),
        }
    )

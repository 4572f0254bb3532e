"""Assemble validated content into a Timeline: the order and the indexes every page reads."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from timeline.dates import EventDate, parse_date
from timeline.documents import find_symbols
from timeline.git import Version
from timeline.model import Content, Event, SiteConfig, SourceRecord, Term


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for m in self.months for e in m.events)


ADDED, UPDATED, CORRECTED, RENAMED, REMOVED = "added", "updated", "corrected", "renamed", "removed"


@dataclass(frozen=True)
class PastVersion:
    """A committed version of an entry's file: its text then, and the entry it made, checked
    against today's registers (None when it no longer passes: it is shown as its text)."""

    version: Version
    text: str
    event: Event | None
    corrections: int = 0  # how many the file listed (read from it, whether it passes or not)
    kind: str = UPDATED  # what its commit did to the entry: ADDED, UPDATED, CORRECTED, RENAMED


@dataclass
class Timeline:
    site: SiteConfig
    events: tuple[Event, ...]  # chronological
    by_id: dict[str, Event]
    years: tuple[Year, ...]
    actors: dict[str, Term]
    topics: dict[str, Term]
    sources: dict[str, SourceRecord]
    by_actor: dict[str, tuple[Event, ...]]
    by_topic: dict[str, tuple[Event, ...]]
    by_source: dict[str, tuple[Event, ...]]
    related: dict[str, tuple[Event, ...]]  # both directions, chronological
    previous: dict[str, Event | None] = field(default_factory=dict)
    next: dict[str, Event | None] = field(default_factory=dict)
    versions: dict[str, tuple[PastVersion, ...]] = field(default_factory=dict)  # oldest first
    removed: tuple[PastVersion, ...] = ()  # entries removed: their last version, at the removal
    updated: dict[str, EventDate | None] = field(default_factory=dict)
    epoch: datetime | None = None  # SOURCE_DATE_EPOCH: the time of a build whose content has none
    source_types: dict[str, Term] = field(default_factory=dict)  # built in, then the site's
    # Each entry's independent origins: its sources, copies counted once with what they carry.
    origins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # UN documents: those each entry concerns (`documents:`, and symbols in its words), and the
    # entries concerning each document, chronological, by symbol.
    event_documents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    documents: dict[str, tuple[Event, ...]] = field(default_factory=dict)


def last_updated(event: Event, versions: tuple[PastVersion, ...]) -> EventDate | None:
    """The page's last-updated date: what the entry says (`updated:`), else the last commit
    that changed its file, else its latest correction; None when nothing dates the page."""
    if event.updated is not None:
        return event.updated
    if versions:
        return parse_date(versions[-1].version.commit.date.isoformat())
    if event.corrections:
        return max((c.date for c in event.corrections), key=EventDate.sort_key)
    return None


def with_kinds(versions: tuple[PastVersion, ...]) -> tuple[PastVersion, ...]:
    """Each version with what its commit did: added the entry, renamed its file, added a
    correction, or updated it otherwise."""
    kinds = []
    for before, now in zip((None, *versions), versions, strict=False):
        if before is None:
            kinds.append(ADDED)
        elif before.version.path != now.version.path:
            kinds.append(RENAMED)
        elif now.corrections > before.corrections:
            kinds.append(CORRECTED)
        else:
            kinds.append(UPDATED)
    return tuple(
        dataclasses.replace(version, kind=kind)
        for version, kind in zip(versions, kinds, strict=True)
    )


def assemble(
    content: Content,
    versions: dict[str, tuple[PastVersion, ...]] | None = None,
    epoch: datetime | None = None,
    removed: tuple[PastVersion, ...] = (),
) -> Timeline:
    """`versions` maps entry files (as in `Event.file`) to their committed versions, oldest
    first, when known; `epoch` is SOURCE_DATE_EPOCH, when set."""
    by_file = {file: with_kinds(past) for file, past in (versions or {}).items()}
    events = tuple(sorted(content.events, key=Event.sort_key))
    by_id = {e.id: e for e in events}

    by_actor: dict[str, list[Event]] = {key: [] for key in sorted(content.actors)}
    by_topic: dict[str, list[Event]] = {key: [] for key in sorted(content.topics)}
    by_source: dict[str, list[Event]] = {key: [] for key in sorted(content.sources)}
    for event in events:
        for actor in event.actors:
            by_actor[actor].append(event)
        for topic in event.topics:
            by_topic[topic].append(event)
        for source_id in dict.fromkeys(c.source.id for c in event.citations if c.source.id):
            by_source[source_id].append(event)
    event_documents, documents = _documents(events)

    return Timeline(
        site=content.site,
        events=events,
        by_id=by_id,
        years=_years(events),
        actors=dict(sorted(content.actors.items())),
        topics=dict(sorted(content.topics.items())),
        sources=dict(sorted(content.sources.items())),
        by_actor={k: tuple(v) for k, v in by_actor.items()},
        by_topic={k: tuple(v) for k, v in by_topic.items()},
        by_source={k: tuple(v) for k, v in by_source.items()},
        related=_related(events, by_id),
        previous={e.id: events[i - 1] if i else None for i, e in enumerate(events)},
        next={e.id: events[i + 1] if i + 1 < len(events) else None for i, e in enumerate(events)},
        versions={e.id: by_file.get(e.file, ()) for e in events},
        updated={e.id: last_updated(e, by_file.get(e.file, ())) for e in events},
        epoch=epoch,
        removed=removed,
        source_types=dict(content.source_types),
        origins={e.id: origins_of(e, content.sources) for e in events},
        event_documents=event_documents,
        documents=documents,
    )


def _years(events: tuple[Event, ...]) -> tuple[Year, ...]:
    """The chronological events by year, and within each year by month."""
    months: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for event in events:
        months[(event.date.year, event.date.month)].append(event)
    years: dict[int, list[Month]] = defaultdict(list)
    for (year, month), items in sorted(months.items()):
        years[year].append(Month(year, month, tuple(items)))
    return tuple(Year(y, tuple(ms)) for y, ms in sorted(years.items()))


def _related(events: tuple[Event, ...], by_id: dict[str, Event]) -> dict[str, tuple[Event, ...]]:
    """Each entry's related entries, chronological: a link shown on one page is shown on both."""
    order = {e.id: i for i, e in enumerate(events)}
    linked: dict[str, set[str]] = {e.id: set() for e in events}
    for event in events:
        for other in event.related:
            if other in by_id and other != event.id:
                linked[event.id].add(other)
                linked[other].add(event.id)
    return {
        key: tuple(by_id[i] for i in sorted(ids, key=order.__getitem__))
        for key, ids in linked.items()
    }


def _documents(
    events: tuple[Event, ...],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[Event, ...]]]:
    """The UN documents each entry concerns, and the entries concerning each document."""
    concerned = {event.id: documents_of(event) for event in events}
    by_symbol: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for symbol in concerned[event.id]:
            by_symbol[symbol].append(event)
    documents = {symbol: tuple(by_symbol[symbol]) for symbol in sorted(by_symbol, key=_by_number)}
    return concerned, documents


def documents_of(event: Event) -> tuple[str, ...]:
    """The UN documents an entry concerns: its `documents:`, then those its words name."""
    words = "\n".join([event.title, event.summary, event.body, *event.disputed])
    return tuple(dict.fromkeys([*event.documents, *find_symbols(words)]))


def _by_number(symbol: str) -> tuple:
    """S/RES/2712 (2023) before S/RES/12000: numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", symbol))


def origins_of(event: Event, register: dict[str, SourceRecord]) -> tuple[str, ...]:
    """The distinct origins of an entry's sources: a record that republishes another counts as
    that one (followed to the report that republishes nothing), one that names an agency as that
    agency; a source written in the entry counts alone. Counts, never a judgement of them."""
    found: dict[str, None] = {}
    for position, citation in enumerate(event.citations, 1):
        record = citation.source
        if not record.id:
            found[f"{event.id}#{position}"] = None
            continue
        seen = set()
        while record.republishes in register and record.id not in seen:
            seen.add(record.id)
            record = register[record.republishes]
        agency = record.republishes.casefold()
        found[f"agency:{agency}" if agency else record.id] = None
    return tuple(found)

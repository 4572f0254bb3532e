"""The content model: what a validated site is made of. Plain, immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field

from timeline.dates import EventDate


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"
    language: str
    description: str = ""
    theme: str = "default"
    repository_url: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Term:
    """An actor or a topic of a controlled vocabulary."""

    id: str
    name: str
    description: str = ""
    kind: str = ""


@dataclass(frozen=True)
class SourceRecord:
    """A source: a record of the register (`content/sources/<id>.yaml`) or one written inline."""

    publisher: str
    title: str = ""
    url: str = ""
    date: EventDate | None = None
    language: str = ""
    archived_url: str = ""
    note: str = ""
    id: str = ""  # empty for inline sources


@dataclass(frozen=True)
class Citation:
    """One entry's use of a source, with what this entry takes from it."""

    source: SourceRecord
    quote: str = ""
    note: str = ""


@dataclass(frozen=True)
class Correction:
    date: EventDate
    note: str


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    date: EventDate
    summary: str
    citations: tuple[Citation, ...]
    file: str  # path of the entry, relative to the site root
    end: EventDate | None = None
    date_note: str = ""
    body: str = ""
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    location: str = ""
    disputed: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    updated: EventDate | None = None

    def sort_key(self) -> tuple:
        """Total, stable order: start instant, then precision, then id."""
        return (*self.date.sort_key(), self.id)


@dataclass(frozen=True)
class Content:
    """Everything validation accepted: the input of the assemble stage."""

    site: SiteConfig
    actors: dict[str, Term] = field(default_factory=dict)
    topics: dict[str, Term] = field(default_factory=dict)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    events: tuple[Event, ...] = ()

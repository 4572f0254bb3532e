"""The content model: what a validated site is made of. Plain, immutable data.

Events and source records also go to and from plain JSON data (`event_to_json`,
`event_from_json`, ...), for what a build keeps between runs: dates as the text the entry wrote,
which `dates.parse_date` reads back into the same `EventDate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from timeline.dates import EventDate, parse_date


@dataclass(frozen=True)
class Edition:
    """The site in one of its languages: published at `path` under the site's root ("" for
    the site's own language, "he/" for Hebrew), with its title and description."""

    language: str
    path: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"; an edition's is its own ("…/he/")
    language: str  # the language of the pages: the site's own, or an edition's
    description: str = ""
    theme: str = "default"
    repository_url: str = ""
    publisher: str = ""
    # Every language the site is published in, its own first; empty for a site in one language.
    editions: tuple[Edition, ...] = ()
    path: str = ""  # the pages' edition's path ("" for the site's own language)

    @property
    def root(self) -> str:
        """From the edition's root to the site's, where the files all editions share are."""
        return "../" * self.path.count("/")

    @property
    def root_url(self) -> str:
        return self.base_url[: len(self.base_url) - len(self.path)]


@dataclass(frozen=True)
class Term:
    """An actor or a topic of a controlled vocabulary."""

    id: str
    name: str
    description: str = ""
    kind: str = ""


def N_(message: str) -> str:
    """A message marked for the theme's catalogue: the render stage translates it."""
    return message


# The kinds of source a record of the register may be (`type:`); a site adds its own in
# content/source-types.yaml. Their names are shown in the page's language.
SOURCE_TYPES = {
    "official": N_("Official statement or readout"),
    "state-media": N_("State media"),
    "wire": N_("Wire agency"),
    "press": N_("Newspaper or broadcaster"),
    "un-document": N_("UN document"),
    "ngo": N_("NGO or research body"),
    "social": N_("Social-media post"),
}
STATE_MEDIA = "state-media"


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
    type: str = ""  # a record of the register's kind: an id of the source types
    # The report this one carries: a record's id, or the origin agency's name ("Reuters").
    republishes: str = ""


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
    documents: tuple[str, ...] = ()  # UN document symbols it concerns (normalised)
    # In an edition, the language of an entry shown untranslated ("" when it is the page's).
    text_language: str = ""
    # In an edition, our translation of each citation's quote ("" where none), by citation.
    quote_translations: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        """Total, stable order: start instant, then precision, then id."""
        return (*self.date.sort_key(), self.id)


# What a translation may give: the entry's words. Dates, sources, actors and the rest are the
# original's, in every language.
TRANSLATED_FIELDS = ("title", "summary", "body", "disputed", "date_note", "location", "quotes")


@dataclass(frozen=True)
class Translation:
    """An entry's words in another language (`<entry file's name>.<lang>.md`)."""

    event_id: str
    language: str
    file: str
    title: str
    summary: str
    body: str = ""
    disputed: tuple[str, ...] = ()
    date_note: str = ""
    location: str = ""
    quotes: tuple[str, ...] = ()  # our translations of the entry's quotes, in their order


@dataclass(frozen=True)
class Content:
    """Everything validation accepted: the input of the assemble stage."""

    site: SiteConfig
    actors: dict[str, Term] = field(default_factory=dict)
    topics: dict[str, Term] = field(default_factory=dict)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    # The built-in source types and the site's own, by id (their names as written).
    source_types: dict[str, Term] = field(default_factory=dict)
    translations: tuple[Translation, ...] = ()


# --- to and from plain JSON data -----------------------------------------------------------------


def date_to_json(value: EventDate | None) -> str | None:
    return value.text if value is not None else None


def date_from_json(text: str | None) -> EventDate | None:
    return parse_date(text) if text is not None else None


def source_to_json(record: SourceRecord) -> dict[str, Any]:
    return {**vars(record), "date": date_to_json(record.date)}


def source_from_json(data: dict[str, Any]) -> SourceRecord:
    return SourceRecord(**{**data, "date": date_from_json(data["date"])})


def citation_to_json(citation: Citation) -> dict[str, Any]:
    return {
        "source": source_to_json(citation.source),
        "quote": citation.quote,
        "note": citation.note,
    }


def citation_from_json(data: dict[str, Any]) -> Citation:
    return Citation(source_from_json(data["source"]), data["quote"], data["note"])


def correction_to_json(correction: Correction) -> dict[str, Any]:
    return {"date": correction.date.text, "note": correction.note}


def correction_from_json(data: dict[str, Any]) -> Correction:
    return Correction(parse_date(data["date"]), data["note"])


_EVENT_LISTS = (
    "actors",
    "topics",
    "disputed",
    "related",
    "aliases",
    "quote_translations",
    "documents",
)
_EVENT_DATES = ("date", "end", "updated")


def event_to_json(event: Event) -> dict[str, Any]:
    return {
        **vars(event),
        **{key: list(getattr(event, key)) for key in _EVENT_LISTS},
        **{key: date_to_json(getattr(event, key)) for key in _EVENT_DATES},
        "citations": [citation_to_json(citation) for citation in event.citations],
        "corrections": [correction_to_json(correction) for correction in event.corrections],
    }


def event_from_json(data: dict[str, Any]) -> Event:
    return Event(
        **{
            **data,
            **{key: tuple(data[key]) for key in _EVENT_LISTS},
            **{key: date_from_json(data[key]) for key in _EVENT_DATES},
            "citations": tuple(citation_from_json(item) for item in data["citations"]),
            "corrections": tuple(correction_from_json(item) for item in data["corrections"]),
        }
    )

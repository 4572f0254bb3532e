"""Validation, first stage: each entry and source file alone.

Everything that can be said of one file from its path and bytes alone is said here: decoding and
YAML (from `load`), the shape its schema gives, its texts, placeholders, dates that exist, an end
before the date, its own id and aliases, a reference to itself, inline source records,
corrections. The result is a draft (`drafts.py`) holding those problems and what the
across-files stage needs; it depends on no other file and not on the build day, so a build may
keep it by the digest of the file's bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from timeline.dates import EventDate
from timeline.documents import is_symbol, normalised
from timeline.ids import is_id
from timeline.load.files import Document, parse_document
from timeline.model import Citation, Correction, Event, SourceRecord
from timeline.problems import Problem
from timeline.validate.document import (
    FieldPath,
    Found,
    get_path,
    list_at,
    parsed_date,
    placeholder_problems,
    problem_at,
    span_problems,
    text_problems,
    url_problems,
)
from timeline.validate.drafts import Dated, EntryDraft, Mention, SourceDraft
from timeline.validate.shape import schema_problems

NOT_AN_ID = "must be lowercase letters, digits and single hyphens"


def read_entry(path: str, raw: bytes) -> EntryDraft:
    """The draft of the entry file at `path` (relative to the site root) holding `raw`."""
    doc, problems = parse_document(raw, path, front_matter=path.endswith(".md"))
    return entry_draft(path, doc, problems)


def read_source(path: str, raw: bytes) -> SourceDraft:
    """The draft of the source record file at `path` holding `raw`."""
    doc, problems = parse_document(raw, path, front_matter=False)
    return source_draft(path, doc, problems)


def entry_draft(path: str, doc: Document | None, load_problems: list[Problem]) -> EntryDraft:
    """The draft of an entry file that loading made `doc` of (None if it could not), with the
    problems loading found in it."""
    if doc is None:
        return EntryDraft(path, tuple(load_problems))
    found = Found(load_problems)
    found.extend(schema_problems(doc, "event", found))
    found.extend(text_problems(doc))
    found.extend(span_problems(doc))
    found.extend(placeholder_problems(doc))
    own_id, problems = _own_id(doc, found)
    found.extend(problems)
    aliases, problems = _aliases(doc, found)
    found.extend(problems)
    if not isinstance(doc.data, dict):
        return EntryDraft(path, tuple(found.problems), own_id, aliases)
    parts = _parts(doc, found)
    found.extend(parts.problems)
    event = None
    if not found.has_error() and parts.start is not None:
        event = _event(doc, parts, parts.start)
    return EntryDraft(
        path,
        tuple(found.problems),
        own_id,
        aliases,
        actors=parts.actors,
        topics=parts.topics,
        related=parts.related,
        sources=parts.sources,
        dates=parts.dates,
        title=doc.pos(("title",)),
        event=event,
    )


def source_draft(path: str, doc: Document | None, load_problems: list[Problem]) -> SourceDraft:
    """The draft of a record of the source register (`content/sources/<id>.yaml`)."""
    if doc is None:
        return SourceDraft(path, tuple(load_problems))
    found = Found(load_problems)
    found.extend(schema_problems(doc, "source", found))
    found.extend(text_problems(doc))
    if not is_id(doc.stem):
        message = f"the file name `{doc.stem}` is not a valid source id"
        hint = "rename it to lowercase letters, digits and single hyphens"
        found.extend([problem_at(doc, (), message, hint)])
        return SourceDraft(path, tuple(found.problems), None, doc.pos())
    record, problems = _source_record(doc, (), found, doc.stem)
    found.extend(problems)
    usable = record if not found.has_error() else None
    places = (doc.pos(), doc.pos(("type",)), doc.pos(("republishes",)))
    return SourceDraft(path, tuple(found.problems), usable, *places)


# --- ids -----------------------------------------------------------------------------------------


def _own_id(doc: Document, found: Found) -> tuple[Mention | None, list[Problem]]:
    """The id the entry claims: `id:`, or else its file name."""
    data = doc.data if isinstance(doc.data, dict) else {}
    own = data.get("id")
    if own is None:
        if is_id(doc.stem):
            return Mention(doc.stem, (), doc.pos()), []
        message = f"the file name `{doc.stem}` is not a valid id"
        hint = "rename the file to lowercase letters, digits and single hyphens, or set `id:`"
        return None, [problem_at(doc, ("id",), message, hint)]
    if isinstance(own, str) and not found.has_error(("id",)):
        if is_id(own):
            return Mention(own, ("id",), doc.pos(("id",))), []
        return None, [problem_at(doc, ("id",), NOT_AN_ID, "")]
    return None, []


def _aliases(doc: Document, found: Found) -> tuple[tuple[Mention, ...], list[Problem]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    aliases = data.get("aliases")
    if not isinstance(aliases, list) or found.has_error(("aliases",)):
        return (), []
    mentions, problems = [], []
    for index, alias in enumerate(aliases):
        path = ("aliases", index)
        if not isinstance(alias, str) or found.has_error(path):
            continue
        if is_id(alias):  # the schema's `$` would allow a final newline
            mentions.append(Mention(alias, path, doc.pos(path)))
        else:
            problems.append(problem_at(doc, path, NOT_AN_ID, ""))
    return tuple(mentions), problems


def _mentions(doc: Document, key: str, found: Found) -> tuple[Mention, ...]:
    """The items of the list `key` that are text without an error of their own: the references
    the across-files stage looks up."""
    values = get_path(doc.data, (key,))
    if not isinstance(values, list):
        return ()
    return tuple(
        Mention(value, (key, index), doc.pos((key, index)))
        for index, value in enumerate(values)
        if isinstance(value, str) and not found.has_error((key, index))
    )


# --- the parts of an event -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """What an entry's fields make, and the problems found making it."""

    problems: list[Problem]
    start: EventDate | None
    end: EventDate | None
    updated: EventDate | None
    dates: tuple[Dated, ...]
    actors: tuple[Mention, ...]
    topics: tuple[Mention, ...]
    related: tuple[Mention, ...]
    sources: tuple[Mention, ...]
    citations: tuple[Citation, ...]
    corrections: tuple[Correction, ...]
    documents: tuple[str, ...]


def _parts(doc: Document, found: Found) -> _Parts:
    problems = body_key_problems(doc)
    dates: dict[str, EventDate | None] = {}
    for key in ("date", "end", "updated"):
        dates[key], found_here = parsed_date(doc, (key,), found)
        problems += found_here
    start, end = dates["date"], dates["end"]
    if start and end and end.start < start.start:
        message = f"`{end.text}` is before the date `{start.text}`"
        problems.append(problem_at(doc, ("end",), message, "swap them"))
    related = _mentions(doc, "related", found)
    problems += _related_to_itself(doc, related)
    citations, sources, found_here = _citations(doc, found)
    problems += found_here
    corrections, found_here = _corrections(doc, found)
    problems += found_here
    documents, found_here = _documents(doc, found)
    return _Parts(
        problems=problems + found_here,
        start=start,
        end=end,
        updated=dates["updated"],
        dates=tuple(Dated(value, (key,), doc.pos((key,))) for key, value in dates.items() if value),
        actors=_mentions(doc, "actors", found),
        topics=_mentions(doc, "topics", found),
        related=related,
        sources=sources,
        citations=citations,
        corrections=corrections,
        documents=documents,
    )


def _documents(doc: Document, found: Found) -> tuple[tuple[str, ...], list[Problem]]:
    """The UN document symbols of `documents:`, as the UN writes them."""
    symbols, problems = [], []
    for index, item in enumerate(list_at(doc.data, "documents")):
        if not isinstance(item, str) or found.has_error(("documents", index)):
            continue
        if is_symbol(normalised(item)):
            symbols.append(normalised(item))
        else:
            message = f"`{item}` is not a UN document symbol"
            hint = "write it as the UN does: S/RES/2712 (2023), S/PV.9479, A/ES-10/L.25"
            problems.append(problem_at(doc, ("documents", index), message, hint))
    return tuple(dict.fromkeys(symbols)), problems


def body_key_problems(doc: Document) -> list[Problem]:
    if doc.body is None or "body" not in doc.data:
        return []
    message = "a Markdown entry has its body below the front matter"
    hint = "move the text after the closing `---` line"
    return [problem_at(doc, ("body",), message, hint, at_key=True)]


def _own_id_or_stem(doc: Document) -> str:
    own = doc.data.get("id")
    return own if isinstance(own, str) else doc.stem


def _related_to_itself(doc: Document, related: tuple[Mention, ...]) -> list[Problem]:
    own_id = _own_id_or_stem(doc)
    # Numbered among the usable references, as the check always has (not the list's index).
    return [
        problem_at(doc, ("related", index), "an event cannot be related to itself", "")
        for index, mention in enumerate(related)
        if mention.id == own_id
    ]


def _citations(
    doc: Document, found: Found
) -> tuple[tuple[Citation, ...], tuple[Mention, ...], list[Problem]]:
    """The citations (those of the register as placeholders: a record with only its id), the
    references to the register, and the problems of inline records."""
    citations, refs, problems = [], [], []
    for index, item in enumerate(list_at(doc.data, "sources")):
        base: FieldPath = ("sources", index)
        if not isinstance(item, dict) or found.has_error(base):
            continue
        if "ref" in item:
            ref = item["ref"]
            if not isinstance(ref, str) or found.has_error((*base, "ref")):
                continue
            refs.append(Mention(ref, (*base, "ref"), doc.pos((*base, "ref"))))
            record: SourceRecord | None = SourceRecord(publisher="", id=ref)
        else:
            record, found_here = _source_record(doc, base, found)
            problems += found_here
            if record is None:
                continue
        # An inline source's `note` is the source's own (already in `record`), not a second one.
        citation_note = (item.get("note") or "") if "ref" in item else ""
        citations.append(Citation(record, item.get("quote") or "", citation_note))
    return tuple(citations), tuple(refs), problems


def _corrections(doc: Document, found: Found) -> tuple[tuple[Correction, ...], list[Problem]]:
    corrections, problems = [], []
    for index, item in enumerate(list_at(doc.data, "corrections")):
        when, found_here = parsed_date(doc, ("corrections", index, "date"), found)
        problems += found_here
        if when is not None and isinstance(item, dict) and isinstance(item.get("note"), str):
            corrections.append(Correction(when, item["note"]))
    return tuple(sorted(corrections, key=lambda c: c.date.sort_key())), problems


def _source_record(
    doc: Document, base: FieldPath, found: Found, source_id: str = ""
) -> tuple[SourceRecord | None, list[Problem]]:
    """The source record at `base` (the whole file, for the register), if it has a publisher."""
    data = get_path(doc.data, base)
    problems = url_problems(doc, (*base, "url"), found)
    problems += url_problems(doc, (*base, "archived_url"), found)
    published, found_here = parsed_date(doc, (*base, "date"), found)
    problems += found_here
    if not isinstance(data, dict) or not isinstance(data.get("publisher"), str):
        return None, problems
    record = SourceRecord(
        publisher=data["publisher"],
        title=data.get("title") or "",
        url=data.get("url") or "",
        date=published,
        language=data.get("language") or "",
        archived_url=data.get("archived_url") or "",
        note=data.get("note") or "",
        id=source_id,
        type=data.get("type") or "",
        republishes=data.get("republishes") or "",
    )
    return record, problems


def body_of(doc: Document) -> str:
    """The Markdown body: below the front matter, or a `.yaml` file's `body:`."""
    return doc.body if doc.body is not None else doc.data.get("body") or ""


def disputed_of(data: dict[str, Any]) -> tuple[str, ...]:
    """The points of disagreement: one written alone, or a list."""
    disputed = data.get("disputed") or ()
    return (disputed,) if isinstance(disputed, str) else tuple(disputed)


def _event(doc: Document, parts: _Parts, start: EventDate) -> Event:
    data: dict[str, Any] = doc.data
    return Event(
        id=_own_id_or_stem(doc),
        title=data["title"],
        date=start,
        summary=data["summary"],
        citations=parts.citations,
        file=doc.path,
        end=parts.end,
        date_note=data.get("date_note") or "",
        body=body_of(doc),
        actors=tuple(mention.id for mention in parts.actors),
        topics=tuple(mention.id for mention in parts.topics),
        location=data.get("location") or "",
        disputed=disputed_of(data),
        related=tuple(mention.id for mention in parts.related),
        aliases=tuple(data.get("aliases") or ()),
        corrections=parts.corrections,
        updated=parts.updated,
        documents=parts.documents,
    )

"""Drafts: what one entry or source file makes on its own, the hand-over from the per-file stage
of validation (`files.py`) to the across-files stage (`across.py`).

A draft depends on nothing but the file's path and bytes, so a build may keep it by the digest of
those bytes. It holds the file's own problems, and everything the across-files stage needs,
with the positions that stage may report at. It goes to plain JSON data and back
(`draft_to_json`, `draft_from_json`; never pickle: a stored draft must not be able to run code).

JSON form (positions as [line, column], field paths as lists of keys and indexes):

    {"kind": "entry", "path": "content/events/2023/x.md",
     "problems": [[line, column, severity, field, message, hint], ...],
     "id": [id, field path, position] or null, "aliases": [[id, field path, position], ...],
     "actors": [...], "topics": [...], "related": [...], "sources": [...],
     "dates": [[date text, field path, position], ...], "title": position,
     "event": the event (`model.event_to_json`) or null}
    {"kind": "source", "path": ..., "problems": [...],
     "record": the record (`model.source_to_json`) or null, "root": position, "type": position,
     "republishes": position}
    {"kind": "translation", "path": ..., "problems": [...], "original": the entry's path without
     its suffix, "language": code, "id": [id, field path, position] or null,
     "translation": its fields (`model.Translation`) or null, "root": position}
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from timeline.dates import DateError, EventDate, parse_date
from timeline.load.yamlstrict import Pos
from timeline.model import (
    Event,
    SourceRecord,
    Translation,
    event_from_json,
    event_to_json,
    source_from_json,
    source_to_json,
)
from timeline.problems import Problem
from timeline.validate.document import FieldPath

ENTRY = "entry"
SOURCE = "source"
TRANSLATION = "translation"
_START = Pos(1, 1)


@dataclass(frozen=True)
class Mention:
    """An id a file claims or refers to, and where: the field, and the position a problem about
    it is reported at."""

    id: str
    field: FieldPath
    pos: Pos


@dataclass(frozen=True)
class Dated:
    """A date of an entry, and where it is written."""

    date: EventDate
    field: FieldPath
    pos: Pos


def _own_file(path: str, problems: tuple[Problem, ...]) -> None:
    # A draft's problems are its file's: the JSON form keeps them without the path.
    if any(problem.file != path for problem in problems):
        raise ValueError(f"a draft of {path} holds a problem of another file")


@dataclass(frozen=True)
class EntryDraft:
    """What an entry file makes on its own. The references hold only the items that had no
    error of their own; `event` is None when the file has an error, and its citations of the
    source register are placeholders (a record with only its `id`), resolved across files."""

    path: str
    problems: tuple[Problem, ...] = ()
    id: Mention | None = None  # the id claimed, from `id:` or the file name
    aliases: tuple[Mention, ...] = ()
    actors: tuple[Mention, ...] = ()
    topics: tuple[Mention, ...] = ()
    related: tuple[Mention, ...] = ()
    sources: tuple[Mention, ...] = ()  # each `ref:` of `sources`
    dates: tuple[Dated, ...] = ()  # `date`, `end` and `updated`, those that could be read
    title: Pos = _START  # where a probable duplicate is reported
    event: Event | None = None

    def __post_init__(self) -> None:
        _own_file(self.path, self.problems)

    @property
    def has_error(self) -> bool:
        return any(problem.is_error for problem in self.problems)


@dataclass(frozen=True)
class SourceDraft:
    """What a record of the source register makes on its own: `record` is None when the file
    has an error."""

    path: str
    problems: tuple[Problem, ...] = ()
    record: SourceRecord | None = None
    root: Pos = _START  # where "no entry cites" is reported
    type: Pos = _START  # where its `type:` is, for an unknown type
    republishes: Pos = _START  # where its `republishes:` is

    def __post_init__(self) -> None:
        _own_file(self.path, self.problems)


@dataclass(frozen=True)
class TranslationDraft:
    """What a translation file makes on its own: the entry it translates is the one whose file
    is `original` (its path without the suffix); `translation` is None when the file has an
    error, and its `event_id` is empty until the across-files stage finds the entry."""

    path: str
    original: str
    language: str
    problems: tuple[Problem, ...] = ()
    id: Mention | None = None  # the `id:` it gives, if any
    translation: Translation | None = None
    root: Pos = _START
    quotes: Pos = _START  # where `quotes:` is, for a problem with their number

    def __post_init__(self) -> None:
        _own_file(self.path, self.problems)


Draft = EntryDraft | SourceDraft | TranslationDraft


def draft_to_json(draft: Draft) -> dict[str, Any]:
    common = {"path": draft.path, "problems": [_problem_json(p) for p in draft.problems]}
    if isinstance(draft, SourceDraft):
        record = source_to_json(draft.record) if draft.record is not None else None
        return {
            "kind": SOURCE,
            **common,
            "record": record,
            "root": _pos_json(draft.root),
            "type": _pos_json(draft.type),
            "republishes": _pos_json(draft.republishes),
        }
    if isinstance(draft, TranslationDraft):
        words = draft.translation
        return {
            "kind": TRANSLATION,
            **common,
            "original": draft.original,
            "language": draft.language,
            "id": _mention_json(draft.id) if draft.id is not None else None,
            "translation": dataclasses.asdict(words) if words is not None else None,
            "root": _pos_json(draft.root),
            "quotes": _pos_json(draft.quotes),
        }
    return {
        "kind": ENTRY,
        **common,
        "id": _mention_json(draft.id) if draft.id is not None else None,
        **{key: [_mention_json(m) for m in getattr(draft, key)] for key in _MENTIONS},
        "dates": [[d.date.text, list(d.field), _pos_json(d.pos)] for d in draft.dates],
        "title": _pos_json(draft.title),
        "event": event_to_json(draft.event) if draft.event is not None else None,
    }


def draft_from_json(data: dict[str, Any]) -> Draft:
    """The draft `draft_to_json` made; ValueError when `data` is not one."""
    try:
        if data["kind"] == SOURCE:
            return _source_from_json(data)
        if data["kind"] == ENTRY:
            return _entry_from_json(data)
        if data["kind"] == TRANSLATION:
            return _translation_from_json(data)
    except (KeyError, IndexError, TypeError, AttributeError, DateError) as exc:
        raise ValueError(f"not a draft: {exc!r}") from exc
    raise ValueError(f"not a draft: kind {data['kind']!r}")


_MENTIONS = ("aliases", "actors", "topics", "related", "sources")


def _entry_from_json(data: dict[str, Any]) -> EntryDraft:
    path = data["path"]
    return EntryDraft(
        path=path,
        problems=tuple(_problem(path, item) for item in data["problems"]),
        id=_mention(data["id"]) if data["id"] is not None else None,
        **{key: tuple(_mention(item) for item in data[key]) for key in _MENTIONS},
        dates=tuple(
            Dated(parse_date(text), tuple(field), _pos(pos)) for text, field, pos in data["dates"]
        ),
        title=_pos(data["title"]),
        event=event_from_json(data["event"]) if data["event"] is not None else None,
    )


def _source_from_json(data: dict[str, Any]) -> SourceDraft:
    path = data["path"]
    return SourceDraft(
        path=path,
        problems=tuple(_problem(path, item) for item in data["problems"]),
        record=source_from_json(data["record"]) if data["record"] is not None else None,
        root=_pos(data["root"]),
        type=_pos(data["type"]),
        republishes=_pos(data["republishes"]),
    )


def _translation_from_json(data: dict[str, Any]) -> TranslationDraft:
    path, words = data["path"], data["translation"]
    return TranslationDraft(
        path=path,
        original=data["original"],
        language=data["language"],
        problems=tuple(_problem(path, item) for item in data["problems"]),
        id=_mention(data["id"]) if data["id"] is not None else None,
        translation=(
            Translation(**{**words, **{k: tuple(words[k]) for k in ("disputed", "quotes")}})
            if words
            else None
        ),
        root=_pos(data["root"]),
        quotes=_pos(data["quotes"]),
    )


def _pos_json(pos: Pos) -> list[int]:
    return [pos.line, pos.column]


def _pos(data: list[int]) -> Pos:
    line, column = data
    return Pos(line, column)


def _mention_json(mention: Mention) -> list[Any]:
    return [mention.id, list(mention.field), _pos_json(mention.pos)]


def _mention(data: list[Any]) -> Mention:
    value, field, pos = data
    return Mention(value, tuple(field), _pos(pos))


def _problem_json(problem: Problem) -> list[Any]:
    return [
        problem.line,
        problem.column,
        problem.severity,
        problem.field,
        problem.message,
        problem.hint,
    ]


def _problem(path: str, data: list[Any]) -> Problem:
    line, column, severity, field, message, hint = data
    return Problem(path, line, column, severity, field, message, hint)
